package dev.walrus.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.walrus.engine.format.EntryFrame;
import dev.walrus.engine.format.FileHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What recovery leaves behind in memory, and that it finds every entry and block beyond a long run of never-written
 * (all-zero) space.
 */
class RecoveryFootprintTest {

    private static final Path SMAPS = Path.of("/proc/self/smaps");

    @TempDir
    Path dir;

    @Test
    void shouldNotKeepRecoveredSegmentFilesResident() throws IOException {
        assumeTrue(Files.isReadable(SMAPS), "needs Linux /proc/self/smaps");
        WalrusConfig config = WalrusConfig.builder().dataDir(dir).fsync(FsyncSchedule.none()).build();
        try (Walrus w = Walrus.open(config)) {
            for (int i = 0; i < 1000; i++) {
                w.append("t", TestEngines.filled(1000, i));
            }
        }
        try (Walrus w = Walrus.open(config)) {
            assertThat(w.readBatch("t", Integer.MAX_VALUE, false)).hasSize(1000);
            // The recovered file is 64 MiB and recovery read all of it (its 1 MB of entries and the hole after them).
            assertThat(residentKiBOfSegmentFiles()).isLessThan(4 * 1024);
        }
    }

    @Test
    void shouldFindTheEntriesAfterALongZeroedRunInsideABlock() throws IOException {
        WalrusConfig config = WalrusConfig.builder().dataDir(dir).blockSize(512 * 1024).fileSize(1024 * 1024)
                .fsync(FsyncSchedule.none()).build();
        try (Walrus w = Walrus.open(config)) {
            for (int i = 0; i < 3000; i++) {
                w.append("t", payload(i));
            }
        }
        Path file = TestEngines.segmentFiles(dir).getFirst();
        long from = frameOffset(file, 100);
        long to = frameOffset(file, 2900);
        assertThat(to - from).as("a zero run of more than 128 KiB").isGreaterThan(128 * 1024);
        zero(file, from, to - from);

        try (Walrus w = Walrus.open(config)) {
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                if (i < 100 || i >= 2900) {
                    expected.add(i);
                }
            }
            assertThat(readable(w)).isEqualTo(expected);
            assertThat(w.recoveryDamage()).singleElement()
                    .satisfies(d -> assertThat(d.offset()).isEqualTo(from));
        }
    }

    @Test
    void shouldFindTheBlocksAfterAWholeZeroedBlock() throws IOException {
        int block = 128 * 1024;
        WalrusConfig config = WalrusConfig.builder().dataDir(dir).blockSize(block).fileSize(8L * block)
                .fsync(FsyncSchedule.none()).build();
        try (Walrus w = Walrus.open(config)) {
            for (int i = 0; i < 5000; i++) { // about three and a half blocks
                w.append("t", payload(i));
            }
        }
        Path file = TestEngines.segmentFiles(dir).getFirst();
        long secondBlock = FileHeader.BLOCKS_OFFSET + block;
        zero(file, secondBlock, block);
        List<Integer> lost = new ArrayList<>();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            long at = frameOffset(file, i);
            (at >= 0 ? expected : lost).add(i);
        }
        assertThat(lost).as("the entries of the zeroed block").isNotEmpty();
        assertThat(expected.getLast()).isEqualTo(4999);

        try (Walrus w = Walrus.open(config)) {
            assertThat(readable(w)).isEqualTo(expected);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static byte[] payload(int i) {
        return ("entry-" + String.format("%04d", i) + "|" + "x".repeat(i % 50 + 10)).getBytes(StandardCharsets.US_ASCII);
    }

    private static List<Integer> readable(Walrus w) {
        List<Integer> out = new ArrayList<>();
        for (Entry e : w.readBatch("t", Integer.MAX_VALUE, false)) {
            int i = Integer.parseInt(new String(e.bytes(), StandardCharsets.US_ASCII).substring(6, 10));
            assertThat(e.bytes()).as("entry %d intact", i).isEqualTo(payload(i));
            out.add(i);
        }
        return out;
    }

    /** The file offset of entry {@code i}'s frame, or -1 if its marker is not in the file. */
    private static long frameOffset(Path file, int i) throws IOException {
        byte[] m = ("entry-" + String.format("%04d", i) + "|").getBytes(StandardCharsets.US_ASCII);
        byte[] b = Files.readAllBytes(file);
        outer:
        for (int at = 0; at + m.length <= b.length; at++) {
            for (int k = 0; k < m.length; k++) {
                if (b[at + k] != m[k]) {
                    continue outer;
                }
            }
            return at - EntryFrame.HEADER_LENGTH;
        }
        return -1;
    }

    private static void zero(Path file, long offset, long length) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.write(ByteBuffer.allocate((int) length), offset);
        }
    }

    /** Resident KiB of this process's mappings of segment files in {@link #dir}. */
    private long residentKiBOfSegmentFiles() throws IOException {
        long total = 0;
        boolean inSegment = false;
        for (String line : Files.readAllLines(SMAPS)) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                inSegment = line.contains(dir.toString()) && line.endsWith(".wal") && !line.contains("meta-");
            } else if (inSegment && line.startsWith("Rss:")) {
                total += Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return total;
    }
}
