package dev.walrus.kafka.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.engine.FsyncSchedule;
import dev.walrus.engine.Walrus;
import dev.walrus.engine.WalrusConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parked fetches on a real engine: what wakes them, and that nothing of a connection stays once they are answered. */
class FetchParkingTest {

    @TempDir
    Path dir;

    private Walrus open() {
        return Walrus.open(WalrusConfig.builder().dataDir(dir).fsync(FsyncSchedule.none()).build());
    }

    @Test
    void shouldWakeOnAppendAndKeepNoConnectionBehind() throws Exception {
        try (Walrus engine = open(); FetchParking parking = new FetchParking(engine)) {
            engine.append("p0", new byte[] {1});
            CompletableFuture<FetchParking.Wake> woke = new CompletableFuture<>();
            parking.park(7, Map.of("p0", engine.endPosition("p0")), 30_000, woke::complete);
            assertThat(parking.connectionsWithParkedFetches()).isEqualTo(1);

            engine.append("p0", new byte[] {2});
            parking.appended("p0");

            assertThat(woke.get(10, TimeUnit.SECONDS)).isEqualTo(FetchParking.Wake.APPENDED);
            assertThat(parking.connectionsWithParkedFetches()).isZero();
        }
    }

    @Test
    void shouldLeaveNoDeadlineBehindForFetchesWokenWhileTheyPark() throws Exception {
        try (Walrus engine = open(); FetchParking parking = new FetchParking(engine)) {
            engine.append("p0", new byte[] {0});
            AtomicBoolean appending = new AtomicBoolean(true);
            Thread appender = new Thread(() -> { // wakes fetches as they park, some before their deadline is set
                while (appending.get()) {
                    engine.append("p0", new byte[] {1});
                    parking.appended("p0");
                }
            });
            appender.start();
            int fetches = 20_000;
            CountDownLatch answered = new CountDownLatch(fetches);
            try {
                for (int i = 0; i < fetches; i++) {
                    parking.park(1, Map.of("p0", engine.endPosition("p0")), 600_000, wake -> answered.countDown());
                }
            } finally {
                appending.set(false);
                appender.join();
            }
            engine.append("p0", new byte[] {2}); // the fetches that parked after the appender's last append
            parking.appended("p0");

            assertThat(answered.await(30, TimeUnit.SECONDS)).as("every fetch woken by an append").isTrue();
            assertThat(parking.pendingDeadlines()).as("deadlines left of fetches already answered").isZero();
        }
    }

    @Test
    void shouldAnswerAFetchReparkedAfterItsConnectionClosedAndForgetTheConnection() throws Exception {
        try (Walrus engine = open(); FetchParking parking = new FetchParking(engine)) {
            engine.append("p0", new byte[] {1});
            CompletableFuture<FetchParking.Wake> first = new CompletableFuture<>();
            parking.park(9, Map.of("p0", engine.endPosition("p0")), 30_000, first::complete);
            parking.connectionClosed(9);
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(FetchParking.Wake.CONNECTION_CLOSED);

            // a fetch of that connection that was between two reads when it closed parks again: answered at once,
            // not after its max wait (30 s here) for a client that is gone
            CompletableFuture<FetchParking.Wake> again = new CompletableFuture<>();
            parking.park(9, Map.of("p0", engine.endPosition("p0")), 30_000, again::complete);

            assertThat(again.get(10, TimeUnit.SECONDS)).isEqualTo(FetchParking.Wake.CONNECTION_CLOSED);
            assertThat(parking.connectionsWithParkedFetches()).as("the closed connection left nothing behind")
                    .isZero();
        }
    }

    @Test
    void shouldStillParkTheFetchesOfOpenConnectionsAfterManyOthersClosed() throws Exception {
        try (Walrus engine = open(); FetchParking parking = new FetchParking(engine)) {
            engine.append("p0", new byte[] {1});
            for (long closed = 100; closed < 3_100; closed++) {
                parking.connectionClosed(closed);
            }
            CompletableFuture<FetchParking.Wake> open = new CompletableFuture<>();
            parking.park(5, Map.of("p0", engine.endPosition("p0")), 30_000, open::complete);
            assertThat(open).as("a fetch of an open connection waits").isNotDone();
            engine.append("p0", new byte[] {2});
            parking.appended("p0");
            assertThat(open.get(10, TimeUnit.SECONDS)).isEqualTo(FetchParking.Wake.APPENDED);

            // the oldest closes are forgotten (the memory stays bounded), the latest still answer at once
            CompletableFuture<FetchParking.Wake> latest = new CompletableFuture<>();
            parking.park(3_099, Map.of("p0", engine.endPosition("p0")), 30_000, latest::complete);
            assertThat(latest.get(10, TimeUnit.SECONDS)).isEqualTo(FetchParking.Wake.CONNECTION_CLOSED);
            CompletableFuture<FetchParking.Wake> forgotten = new CompletableFuture<>();
            parking.park(100, Map.of("p0", engine.endPosition("p0")), 50, forgotten::complete);
            assertThat(forgotten.get(10, TimeUnit.SECONDS)).isEqualTo(FetchParking.Wake.DEADLINE);
        }
    }
}
