package dev.walrus.engine;

import static dev.walrus.engine.TestEngines.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncTest {

    @TempDir
    Path dir;

    @Test
    void shouldCompleteSyncAsyncOnAnEngineThread() throws Exception {
        try (Walrus w = TestEngines.openSmall(dir)) {
            w.append("t", bytes("a"));
            AtomicReference<String> thread = new AtomicReference<>();
            w.syncAsync().thenRun(() -> thread.set(Thread.currentThread().getName())).get(10, TimeUnit.SECONDS);
            assertThat(thread.get()).isEqualTo("walrus-flusher");
        }
    }

    @Test
    void shouldShareOneFsyncAmongConcurrentSyncRequests() throws Exception {
        try (Walrus w = TestEngines.openSmall(dir)) {
            w.append("t", bytes("a"));
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                futures.add(w.syncAsync());
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            // 1000 requests issued back to back cannot each have had a round of their own
            assertThat(w.flusherRounds()).isLessThan(1000);
        }
    }

    @Test
    void shouldAppendWithSyncEachFromManyThreads() throws Exception {
        try (Walrus w = Walrus.open(TestEngines.small(dir).fsync(FsyncSchedule.syncEach()).build())) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 20; i++) {
                        w.append("t" + id, bytes("x" + i));
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            for (int t = 0; t < 8; t++) {
                assertThat(w.readBatch("t" + t, 100_000, false)).hasSize(20);
            }
            assertThat(w.flusherRounds()).isLessThanOrEqualTo(160);
        }
    }

    @Test
    void shouldFlushWithoutError() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            w.append("t", bytes("a"));
            w.flush();
            w.flush();
        }
    }
}
