package dev.walrus.engine.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.engine.FsyncSchedule;
import dev.walrus.engine.Walrus;
import dev.walrus.engine.WalrusConfig;
import dev.walrus.engine.tools.DumpSegment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the on-disk format: a fixed sequence of appends must produce exactly the golden dump and the golden bytes.
 * A change here is a format change: bump {@link FormatVersion} and update docs/engine-format.md in the same commit.
 */
class FormatGoldenTest {

    @TempDir
    Path dir;

    private Path writeGoldenSegment() {
        WalrusConfig config = WalrusConfig.builder().dataDir(dir).blockSize(4096).fileSize(4 * 4096)
                .fsync(FsyncSchedule.none()).build();
        try (Walrus w = Walrus.open(config)) {
            w.append("golden", "hello".getBytes(StandardCharsets.US_ASCII));
            w.append("golden", "walrus".getBytes(StandardCharsets.US_ASCII));
            w.appendBatch("golden", List.of("a".getBytes(StandardCharsets.US_ASCII),
                    "bc".getBytes(StandardCharsets.US_ASCII)));
            w.append("other", new byte[] {0, 1, 2, (byte) 0xff});
            w.append("golden", new byte[0]);
        }
        return dir.resolve("00000000000000000001.wal");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = FormatGoldenTest.class.getResourceAsStream("/golden/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldDumpTheGoldenSegmentExactly() throws IOException {
        String dump = DumpSegment.dump(writeGoldenSegment()).replaceAll("created \\S+", "created <time>");
        assertThat(dump).isEqualTo(resource("segment-dump.txt"));
    }

    @Test
    void shouldWriteTheGoldenBlockBytesExactly() throws IOException {
        byte[] file = Files.readAllBytes(writeGoldenSegment());
        HexFormat hex = HexFormat.of();
        // file header without the creation time and its CRC
        assertThat(hex.formatHex(file, 0, FileHeader.CREATED_MILLIS_OFFSET))
                .isEqualTo(resource("file-header.hex").strip());
        // the first block's header and frames, up to the zero padding of the block
        assertThat(hex.formatHex(file, FileHeader.BLOCKS_OFFSET, FileHeader.BLOCKS_OFFSET + 160))
                .isEqualTo(resource("golden-block.hex").strip());
    }
}
