package dev.walrus.engine;

import static dev.walrus.engine.TestEngines.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.walrus.engine.format.FileHeader;
import dev.walrus.engine.format.FormatVersion;
import dev.walrus.engine.format.Layout;
import dev.walrus.engine.format.MetaFileHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadInputTest {

    @TempDir
    Path dir;

    @Test
    void shouldRejectAnOversizedEntryAndKeepTheTopicUsable() {
        try (Walrus w = Walrus.open(TestEngines.small(dir).maxEntrySize(1000).build())) {
            w.append("t", bytes("ok"));
            assertThatThrownBy(() -> w.append("t", new byte[1001])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1001").hasMessageContaining("maxEntrySize 1000");
            assertThatThrownBy(() -> w.append("t", ByteBuffer.allocate(1001)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> w.appendBatch("t", List.of(new byte[600], new byte[600])))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch");
            w.append("t", bytes("still ok"));
            assertThat(w.readBatch("t", 10_000, true)).extracting(TestEngines::text).containsExactly("ok", "still ok");
        }
    }

    @Test
    void shouldRejectAnEmptyTopicName() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            assertThatThrownBy(() -> w.append("", bytes("x"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must not be empty");
        }
    }

    @Test
    void shouldRejectATopicNameLongerThan255Utf8Bytes() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            String ok = "a".repeat(255);
            w.append(ok, bytes("x"));
            String tooLong = "é".repeat(128); // 256 UTF-8 bytes
            assertThatThrownBy(() -> w.append(tooLong, bytes("x"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("256 UTF-8 bytes");
            assertThat(w.topics()).containsExactly(ok);
        }
        try (Walrus w = TestEngines.openSmall(dir)) {
            assertThat(w.readNext("a".repeat(255), true).map(TestEngines::text)).contains("x");
        }
    }

    @Test
    void shouldRejectAnEmptyBatch() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            assertThatThrownBy(() -> w.appendBatch("t", List.of())).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void shouldRejectEveryCallAfterClose() {
        Walrus w = TestEngines.openSmall(dir);
        w.append("t", bytes("x"));
        w.close();
        w.close();
        assertThatThrownBy(() -> w.append("t", bytes("y"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> w.readNext("t", true)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> w.read("t", 0, 10)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(w::syncAsync).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(w::topics).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldRefuseADataDirectoryAlreadyOpen() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            assertThatThrownBy(() -> TestEngines.openSmall(dir)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already open");
            w.append("t", bytes("still works"));
        }
        try (Walrus w = TestEngines.openSmall(dir)) {
            assertThat(w.readNext("t", true)).isPresent();
        }
    }

    @Test
    void shouldRefuseADataDirectoryLockedByAnotherProcess() throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), LockHolderChild.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()))) {
            assertThat(out.readLine()).isEqualTo("OPEN");
            assertThatThrownBy(() -> TestEngines.openSmall(dir)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("locked by another process");
            child.getOutputStream().close();
            assertThat(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        try (Walrus w = TestEngines.openSmall(dir)) {
            w.append("t", bytes("the lock was released with the process"));
        }
    }

    @Test
    void shouldRefuseSegmentFilesOfANewerFormatVersion() throws IOException {
        try (Walrus w = TestEngines.openSmall(dir)) {
            w.append("t", bytes("x"));
        }
        Path segment = TestEngines.segmentFiles(dir).getFirst();
        try (FileChannel c = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            c.write(ByteBuffer.allocate(4).order(Layout.ORDER).putInt(0, FormatVersion.CURRENT + 1),
                    FileHeader.VERSION_OFFSET);
        }
        assertThatThrownBy(() -> TestEngines.openSmall(dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("newer than this engine");
        // the failed open released the lock
        assertThatThrownBy(() -> TestEngines.openSmall(dir)).hasMessageContaining("newer than this engine");
    }

    @Test
    void shouldRefuseAMetadataLogOfANewerFormatVersion() throws IOException {
        try (Walrus w = TestEngines.openSmall(dir)) {
            w.configureTopic("t", w.config().defaultTopicSettings());
        }
        Path meta;
        try (var s = java.nio.file.Files.list(dir)) {
            meta = s.filter(p -> p.getFileName().toString().startsWith("meta-")).findFirst().orElseThrow();
        }
        ByteBuffer header = MetaFileHeader.encode(1);
        header.putInt(MetaFileHeader.VERSION_OFFSET, FormatVersion.CURRENT + 1);
        try (FileChannel c = FileChannel.open(meta, StandardOpenOption.WRITE)) {
            c.write(header.clear(), 0);
        }
        // header CRC now mismatches first; rewrite it over the bumped version
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(header.array(), 0, MetaFileHeader.CRC_OFFSET);
        header.putInt(MetaFileHeader.CRC_OFFSET, (int) crc.getValue());
        try (FileChannel c = FileChannel.open(meta, StandardOpenOption.WRITE)) {
            c.write(header.clear(), 0);
        }
        assertThatThrownBy(() -> TestEngines.openSmall(dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("newer than this engine");
    }
}
