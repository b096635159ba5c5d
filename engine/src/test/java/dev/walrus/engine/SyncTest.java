package dev.walrus.engine;

import static dev.walrus.engine.TestEngines.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncTest {

    @TempDir
    Path dir;

    @Test
    void shouldCompleteSyncAsyncOnTheFlusherThreadNotTheCaller() throws Exception {
        try (Walrus w = TestEngines.openSmall(dir)) {
            java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                w.append("t", bytes("a" + i));
                // a dependent attached after completion runs on the attaching thread: that is CompletableFuture's
                // rule, so only the futures still pending when attached prove which thread completes them
                done.add(w.syncAsync().thenRun(() -> threads.add(Thread.currentThread().getName())));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertThat(threads).contains("walrus-flusher").isSubsetOf("walrus-flusher",
                    Thread.currentThread().getName());
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

    /**
     * Platform threads wait for their fsync round on a futex the flusher broadcasts, virtual threads on the round's
     * latch: both kinds at once, every append returns, everything is there, and rounds were shared.
     */
    @Test
    void shouldWakeEveryPlatformAndVirtualThreadWaitingForTheSameRounds() throws Exception {
        int perKind = 32;
        int appends = 25;
        try (Walrus w = Walrus.open(TestEngines.small(dir).fsync(FsyncSchedule.syncEach()).build())) {
            long before = w.flusherRounds();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 2 * perKind; t++) {
                Thread.Builder builder = t % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual();
                int id = t;
                threads.add(builder.start(() -> {
                    for (int i = 0; i < appends; i++) {
                        w.append("shared", bytes(id + ":" + i));
                    }
                }));
            }
            for (Thread t : threads) {
                t.join(java.time.Duration.ofSeconds(60));
                assertThat(t.isAlive()).as("a writer still waiting for its fsync").isFalse();
            }
            assertThat(w.readBatch("shared", Integer.MAX_VALUE, false)).hasSize(2 * perKind * appends);
            assertThat(w.flusherRounds() - before).as("fsync rounds shared among writers")
                    .isLessThan(2L * perKind * appends);
        }
    }

    @Test
    void shouldServeALoneWriterRightAfterRoundsSharedByManyWriters() throws Exception {
        // a round gathers as many callers as the last one had, for at most one fsync's time: when the crowd is gone,
        // the lone writer that is left must neither hang nor share rounds with anyone
        try (Walrus w = Walrus.open(TestEngines.small(dir).fsync(FsyncSchedule.syncEach()).build())) {
            List<Thread> crowd = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                int id = t;
                crowd.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 20; i++) {
                        w.append("shared", bytes("crowd " + id + ":" + i));
                    }
                }));
            }
            for (Thread t : crowd) {
                t.join(java.time.Duration.ofSeconds(60));
                assertThat(t.isAlive()).as("a writer of the crowd still waiting for its fsync").isFalse();
            }
            long before = w.flusherRounds();
            Thread alone = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 200; i++) {
                    w.append("shared", bytes("alone " + i));
                }
            });
            alone.join(java.time.Duration.ofSeconds(60));
            assertThat(alone.isAlive()).as("the lone writer still waiting for its fsync").isFalse();
            assertThat(w.flusherRounds() - before).as("one round per durable append of the lone writer")
                    .isGreaterThanOrEqualTo(200);
            assertThat(w.readBatch("shared", Integer.MAX_VALUE, false)).hasSize(32 * 20 + 200);
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
