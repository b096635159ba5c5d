package dev.walrus.engine.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Platform threads sleep in the futex until their round completes, and one broadcast wakes them all. */
class RoundSignalTest {

    @Test
    void shouldWakeEveryWaiterOfACompletedRoundAndNoEarlier() throws Exception {
        assertThat(RoundSignal.available()).as("futex through FFM on this Linux machine").isTrue();
        RoundSignal signal = new RoundSignal();
        CountDownLatch firstDone = new CountDownLatch(4);
        CountDownLatch secondDone = new CountDownLatch(4);
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            waiters.add(Thread.ofPlatform().start(() -> {
                signal.await(1);
                firstDone.countDown();
                signal.await(2);
                secondDone.countDown();
            }));
        }
        assertThat(firstDone.await(200, TimeUnit.MILLISECONDS)).as("nobody passes before round 1 completes").isFalse();
        signal.complete(1);
        assertThat(firstDone.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(secondDone.getCount()).as("round 2 is not complete yet").isEqualTo(4);
        signal.complete(2);
        assertThat(secondDone.await(10, TimeUnit.SECONDS)).isTrue();
        for (Thread t : waiters) {
            assertThat(t.join(Duration.ofSeconds(10))).isTrue();
        }
        signal.await(2); // a completed round returns at once
    }
}
