package dev.walrus.engine;

import static dev.walrus.engine.TestEngines.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsyncScheduleTest {

    @TempDir
    Path dir;

    private static void awaitRounds(Walrus w, long atLeast) throws InterruptedException {
        Eventually.await(() -> w.flusherRounds() >= atLeast);
    }

    @Test
    void shouldFsyncOnItsOwnAfterAnAppendToAnEveryTopic() throws Exception {
        try (Walrus w = Walrus.open(TestEngines.small(dir).fsync(FsyncSchedule.every(Duration.ofMillis(20))).build())) {
            long before = w.flusherRounds();
            w.append("t", bytes("a"));
            awaitRounds(w, before + 1);
            assertThat(w.flusherRounds()).isGreaterThan(before);
        }
    }

    @Test
    void shouldNotFsyncOnItsOwnForANoneTopic() throws Exception {
        try (Walrus w = TestEngines.openSmall(dir)) {
            long before = w.flusherRounds();
            w.append("t", bytes("a"));
            Thread.sleep(300);
            assertThat(w.flusherRounds()).isEqualTo(before);
        }
    }

    @Test
    void shouldFsyncOnItsOwnForATopicConfiguredEveryWhileTheDefaultIsNone() throws Exception {
        try (Walrus w = TestEngines.openSmall(dir)) {
            w.configureTopic("timed", new TopicSettings(FsyncSchedule.every(Duration.ofMillis(20)),
                    ReadConsistency.strictlyAtOnce()));
            long before = w.flusherRounds();
            w.append("timed", bytes("a"));
            awaitRounds(w, before + 1);
            assertThat(w.flusherRounds()).isGreaterThan(before);
        }
    }

    @Test
    void shouldRunOneFsyncRoundPerSyncEachAppendFromOneThread() {
        try (Walrus w = Walrus.open(TestEngines.small(dir).fsync(FsyncSchedule.syncEach()).build())) {
            long before = w.flusherRounds();
            for (int i = 0; i < 10; i++) {
                w.append("t", bytes("a" + i));
            }
            assertThat(w.flusherRounds() - before).isEqualTo(10);
        }
    }
}
