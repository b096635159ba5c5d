package dev.walrus.engine;

import static dev.walrus.engine.TestEngines.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamedReaderTest {

    @TempDir
    Path dir;

    @Test
    void shouldKeepIndependentCursorsPerName() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            w.append("t", bytes("a"));
            w.append("t", bytes("b"));
            NamedReader g1 = w.reader("t", "g1");
            NamedReader g2 = w.reader("t", "g2");
            assertThat(g1.readNext(true).map(TestEngines::text)).contains("a");
            assertThat(g1.readNext(true).map(TestEngines::text)).contains("b");
            assertThat(g2.readNext(true).map(TestEngines::text)).contains("a");
            assertThat(w.readNext("t", true).map(TestEngines::text)).contains("a");
            assertThat(w.readerNames("t")).containsExactlyInAnyOrder("g1", "g2");
        }
    }

    @Test
    void shouldStartANewReaderAtTheTopicStart() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            w.append("t", bytes("a"));
            long b = w.append("t", bytes("b"));
            w.truncateBefore("t", b);
            assertThat(w.reader("t", "late").position()).isEqualTo(b);
        }
    }

    @Test
    void shouldPersistCommitPositionAndAttachmentAcrossRestart() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            w.append("t", bytes("a"));
            w.reader("t", "g").commit(12345L, bytes("meta"));
        }
        try (Walrus w = TestEngines.openSmall(dir)) {
            NamedReader g = w.reader("t", "g");
            assertThat(g.position()).isEqualTo(12345L);
            assertThat(g.attachment()).isEqualTo(bytes("meta"));
        }
    }

    @Test
    void shouldStoreAnyCommittedPositionAsGiven() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            NamedReader g = w.reader("t", "g");
            g.commit(-7, null);
            assertThat(g.position()).isEqualTo(-7);
            assertThat(g.attachment()).isEmpty();
        }
    }

    @Test
    void shouldReadBatchAndCheckpointAfterTheLastEntry() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            w.append("t", bytes("a"));
            long b = w.append("t", bytes("b"));
            NamedReader g = w.reader("t", "g");
            assertThat(g.readBatch(1, true)).hasSize(1);
            assertThat(g.position()).isEqualTo(b);
            assertThat(g.readBatch(1000, false)).extracting(TestEngines::text).containsExactly("b");
            assertThat(g.position()).isEqualTo(b);
        }
    }

    @Test
    void shouldForgetADeletedReader() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            w.append("t", bytes("a"));
            w.reader("t", "g").commit(99, null);
            w.deleteReader("t", "g");
            assertThat(w.readerNames("t")).isEmpty();
        }
        try (Walrus w = TestEngines.openSmall(dir)) {
            assertThat(w.readerNames("t")).isEmpty();
            assertThat(w.reader("t", "g").position()).isZero();
        }
    }

    @Test
    void shouldRejectOversizedAttachmentAndKeepTheOldCheckpoint() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            NamedReader g = w.reader("t", "g");
            g.commit(5, bytes("ok"));
            assertThatThrownBy(() -> g.commit(6, new byte[Walrus.MAX_ATTACHMENT_BYTES + 1]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attachment");
            assertThat(g.position()).isEqualTo(5);
            assertThat(g.attachment()).isEqualTo(bytes("ok"));
        }
    }

    @Test
    void shouldRejectEmptyReaderName() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            assertThatThrownBy(() -> w.reader("t", "")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("reader name");
        }
    }

    @Test
    void shouldFailReadsOfAReaderWhoseTopicWasDeleted() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            w.append("t", bytes("a"));
            NamedReader g = w.reader("t", "g");
            w.deleteTopic("t");
            assertThatThrownBy(() -> g.readNext(true)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("deleted");
        }
    }
}
