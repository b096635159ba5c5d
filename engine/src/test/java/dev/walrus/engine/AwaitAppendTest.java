package dev.walrus.engine;

import static dev.walrus.engine.TestEngines.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AwaitAppendTest {

    @TempDir
    Path dir;

    @Test
    void shouldCompleteAtOnceWhenTheEndIsAlreadyPast() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            w.append("t", bytes("a"));
            assertThat(w.awaitAppend("t", 0)).isDone();
        }
    }

    @Test
    void shouldCompleteOnAnEngineThreadWhenAnAppendPassesThePosition() throws Exception {
        try (Walrus w = TestEngines.openSmall(dir)) {
            long end = w.endPosition("t");
            AtomicReference<String> thread = new AtomicReference<>();
            CompletableFuture<Void> f = w.awaitAppend("t", end);
            CompletableFuture<Void> seen = f.thenRun(() -> thread.set(Thread.currentThread().getName()));
            assertThat(f).isNotDone();
            w.append("t", bytes("a"));
            seen.get(10, TimeUnit.SECONDS);
            assertThat(thread.get()).startsWith("walrus-");
        }
    }

    @Test
    void shouldNotCompleteForAnAppendThatDoesNotPassThePosition() throws Exception {
        try (Walrus w = TestEngines.openSmall(dir)) {
            w.append("t", bytes("a"));
            long end = w.endPosition("t");
            CompletableFuture<Void> far = w.awaitAppend("t", end + 1_000_000);
            w.append("t", bytes("b"));
            CompletableFuture<Void> near = w.awaitAppend("t", end);
            near.get(10, TimeUnit.SECONDS);
            assertThat(far).isNotDone();
        }
    }

    @Test
    void shouldDropCancelledWaiters() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            for (int i = 0; i < 100; i++) {
                w.awaitAppend("t", 0).cancel(false);
            }
            assertThat(w.topicLogs().get("t").waiters().size()).isZero();
        }
    }

    @Test
    void shouldFailPendingWaitersWhenTheEngineCloses() {
        Walrus w = TestEngines.openSmall(dir);
        CompletableFuture<Void> f = w.awaitAppend("t", 0);
        w.close();
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldWakeWaitersWhenTheTopicIsDeleted() throws Exception {
        try (Walrus w = TestEngines.openSmall(dir)) {
            w.append("t", bytes("a"));
            CompletableFuture<Void> f = w.awaitAppend("t", w.endPosition("t"));
            w.deleteTopic("t");
            f.get(10, TimeUnit.SECONDS);
        }
    }
}
