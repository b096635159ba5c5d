package dev.walrus.engine.meta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.engine.FsyncSchedule;
import dev.walrus.engine.ReadConsistency;
import dev.walrus.engine.TopicSettings;
import dev.walrus.engine.format.MetaRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetaLogTest {

    @TempDir
    Path dir;

    private List<Path> generations() throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("meta-")).sorted().toList();
        }
    }

    @Test
    void shouldCompactIntoANewGenerationKeepingTheState() throws IOException {
        TopicSettings settings = new TopicSettings(FsyncSchedule.syncEach(), ReadConsistency.atLeastOnce(9));
        try (MetaLog log = MetaLog.open(dir, 16 * 1024)) {
            log.write(new MetaRecord.Settings("t", settings), true);
            log.write(new MetaRecord.DeleteTopic("gone", 3), true);
            for (int i = 0; i < 5000; i++) {
                log.write(new MetaRecord.ReaderCommit("t", "g" + (i % 7), i, new byte[] {(byte) i}), false);
            }
            log.write(new MetaRecord.Truncate("t", 77), true);
            assertThat(log.size()).isLessThan(64 * 1024);
        }
        assertThat(generations()).hasSize(1);
        assertThat(generations().getFirst().getFileName().toString()).isNotEqualTo("meta-00000000000000000001.wal");
        try (MetaLog log = MetaLog.open(dir)) {
            MetaState.TopicMeta t = log.state().topics().get("t");
            assertThat(t.settings).isEqualTo(settings);
            assertThat(t.truncation).isEqualTo(77);
            assertThat(t.readers).hasSize(7);
            assertThat(t.readers.get("g1").position()).isEqualTo(4999); // 4999 % 7 == 1
            assertThat(t.readers.get("g1").attachment()).containsExactly((byte) 4999);
            assertThat(log.state().deletedIncarnation("gone")).isEqualTo(3);
        }
    }

    @Test
    void shouldIgnoreAnUnfinishedCompaction() throws IOException {
        try (MetaLog log = MetaLog.open(dir)) {
            log.write(new MetaRecord.Truncate("t", 5), true);
        }
        Files.write(dir.resolve("meta-00000000000000000002.wal.tmp"), new byte[] {1, 2, 3});
        try (MetaLog log = MetaLog.open(dir)) {
            assertThat(log.state().topics().get("t").truncation).isEqualTo(5);
        }
        assertThat(generations()).extracting(p -> p.getFileName().toString())
                .containsExactly("meta-00000000000000000001.wal");
    }

    @Test
    void shouldForgetEverythingAboutADeletedTopicButItsIncarnation() {
        try (MetaLog log = MetaLog.open(dir)) {
            log.write(new MetaRecord.Truncate("t", 5), true);
            log.write(new MetaRecord.ReaderCommit("t", "g", 1, new byte[0]), true);
            log.write(new MetaRecord.DeleteTopic("t", 1), true);
        }
        try (MetaLog log = MetaLog.open(dir)) {
            assertThat(log.state().topics()).doesNotContainKey("t");
            assertThat(log.state().deletedIncarnation("t")).isEqualTo(1);
        }
    }
}
