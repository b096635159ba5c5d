package dev.walrus.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.engine.format.BlockHeader;
import dev.walrus.engine.format.EntryFrame;
import dev.walrus.engine.format.FileHeader;
import dev.walrus.engine.recovery.Damage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of damage named, and what recovery does about it: nothing corrupted is ever returned. */
class CorruptionTest {

    @TempDir
    Path dir;

    static String marker(int i) {
        return "entry-" + String.format("%04d", i) + "|";
    }

    static byte[] payload(int i) {
        return (marker(i) + "x".repeat(i % 50 + 10)).getBytes(StandardCharsets.US_ASCII);
    }

    private void write(int count) {
        try (Walrus w = TestEngines.openSmall(dir)) {
            for (int i = 0; i < count; i++) {
                w.append("t", payload(i));
            }
        }
    }

    /** The segment file holding entry {@code i}, and the file offset of that entry's frame. */
    private record Located(Path file, long frame) {}

    private Located locate(int i) throws IOException {
        byte[] m = marker(i).getBytes(StandardCharsets.US_ASCII);
        for (Path f : TestEngines.segmentFiles(dir)) {
            byte[] b = Files.readAllBytes(f);
            outer:
            for (int at = 0; at + m.length <= b.length; at++) {
                for (int k = 0; k < m.length; k++) {
                    if (b[at + k] != m[k]) {
                        continue outer;
                    }
                }
                return new Located(f, at - EntryFrame.HEADER_LENGTH);
            }
        }
        throw new AssertionError("entry " + i + " not found on disk");
    }

    /** Which of the first {@code count} entries have their frame in the 4 KiB block at {@code block} of {@code file}. */
    private Set<Integer> entriesInBlock(Path file, long block, int count) throws IOException {
        Set<Integer> in = new HashSet<>();
        for (int i = 0; i < count; i++) {
            Located l = locate(i);
            if (l.file().equals(file) && l.frame() / 4096 * 4096 == block) {
                in.add(i);
            }
        }
        return in;
    }

    private static void poke(Path file, long offset, byte... bytes) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.write(ByteBuffer.wrap(bytes), offset);
        }
    }

    private static void flip(Path file, long offset) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            c.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x5a));
            c.write(b.flip(), offset);
        }
    }

    /** Indexes of the entries readable after reopening; asserts each is intact, in order. */
    private static List<Integer> readable(Walrus w) {
        List<Integer> out = new ArrayList<>();
        long previous = -1;
        for (Entry e : w.readBatch("t", Integer.MAX_VALUE, false)) {
            assertThat(e.position()).isGreaterThan(previous);
            previous = e.position();
            String s = new String(e.bytes(), StandardCharsets.US_ASCII);
            int i = Integer.parseInt(s.substring(6, 10));
            assertThat(e.bytes()).as("entry %d intact", i).isEqualTo(payload(i));
            out.add(i);
        }
        return out;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> r = new ArrayList<>();
        for (int i = from; i < to; i++) {
            r.add(i);
        }
        return r;
    }

    @Test
    void shouldSkipACorruptMiddleEntryWithAWarningNamingFileAndOffset() throws IOException {
        write(200);
        Located bad = locate(100);
        flip(bad.file(), bad.frame() + EntryFrame.HEADER_LENGTH + 3);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (Walrus w = TestEngines.openSmall(dir)) {
            System.setErr(err);
            List<Integer> expected = range(0, 200);
            expected.remove(Integer.valueOf(100));
            assertThat(readable(w)).isEqualTo(expected);
            assertThat(w.recoveryDamage()).singleElement().satisfies(d -> {
                assertThat(d.file()).isEqualTo(bad.file());
                assertThat(d.offset()).isEqualTo(bad.frame());
            });
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("WARN").contains("corrupt entry skipped")
                .contains(bad.file().toString()).contains("offset " + bad.frame());
    }

    @Test
    void shouldSkipAnEntryWhoseLengthIsCorrupt() throws IOException {
        write(200);
        Located bad = locate(50);
        flip(bad.file(), bad.frame() + EntryFrame.LENGTH_OFFSET + 2);
        try (Walrus w = TestEngines.openSmall(dir)) {
            List<Integer> expected = range(0, 200);
            expected.remove(Integer.valueOf(50));
            assertThat(readable(w)).isEqualTo(expected);
            assertThat(w.recoveryDamage()).hasSize(1);
        }
    }

    @Test
    void shouldDropATornTailSilently() throws IOException {
        write(200);
        Located last = locate(199);
        try (FileChannel c = FileChannel.open(last.file(), StandardOpenOption.WRITE)) {
            c.truncate(last.frame() + EntryFrame.HEADER_LENGTH + 5);
        }
        try (Walrus w = TestEngines.openSmall(dir)) {
            assertThat(readable(w)).isEqualTo(range(0, 199));
            assertThat(w.recoveryDamage()).isEmpty();
            long p = w.append("t", payload(199));
            assertThat(readable(w)).isEqualTo(range(0, 200));
            assertThat(p).isGreaterThan(0);
        }
    }

    @Test
    void shouldDropAZeroFilledTail() throws IOException {
        write(200);
        Located from = locate(197);
        Located to = locate(199);
        poke(from.file(), from.frame(), new byte[(int) (to.frame() - from.frame()) + 80]);
        try (Walrus w = TestEngines.openSmall(dir)) {
            assertThat(readable(w)).isEqualTo(range(0, 197));
            assertThat(w.recoveryDamage()).isEmpty();
        }
    }

    @Test
    void shouldDropAWholeBatchWhenOneOfItsEntriesIsCorrupt() throws IOException {
        try (Walrus w = TestEngines.openSmall(dir)) {
            for (int i = 0; i < 10; i++) {
                w.append("t", payload(i));
            }
            w.appendBatch("t", List.of(payload(10), payload(11), payload(12)));
            for (int i = 13; i < 20; i++) {
                w.append("t", payload(i));
            }
        }
        Located bad = locate(11);
        flip(bad.file(), bad.frame() + EntryFrame.HEADER_LENGTH + 1);
        try (Walrus w = TestEngines.openSmall(dir)) {
            List<Integer> expected = range(0, 10);
            expected.addAll(range(13, 20));
            assertThat(readable(w)).isEqualTo(expected);
        }
    }

    @Test
    void shouldDropABatchWhoseLastEntryIsMissing() throws IOException {
        try (Walrus w = TestEngines.openSmall(dir)) {
            for (int i = 0; i < 10; i++) {
                w.append("t", payload(i));
            }
            w.appendBatch("t", List.of(payload(10), payload(11), payload(12)));
        }
        Located last = locate(12);
        poke(last.file(), last.frame(), new byte[EntryFrame.HEADER_LENGTH + payload(12).length]);
        try (Walrus w = TestEngines.openSmall(dir)) {
            assertThat(readable(w)).isEqualTo(range(0, 10));
            assertThat(w.recoveryDamage()).isEmpty();
        }
    }

    @Test
    void shouldLoseOnlyTheBlockWhoseHeaderIsDamaged() throws IOException {
        write(200);
        Located e = locate(60);
        long block = (e.frame() / 4096) * 4096;
        flip(e.file(), block + BlockHeader.START_POSITION_OFFSET);
        Set<Integer> inDamagedBlock = entriesInBlock(e.file(), block, 200);
        try (Walrus w = TestEngines.openSmall(dir)) {
            List<Integer> expected = range(0, 200);
            expected.removeAll(inDamagedBlock);
            assertThat(readable(w)).isEqualTo(expected);
            assertThat(w.recoveryDamage()).extracting(Damage::what).containsExactly("damaged block header");
        }
    }

    @Test
    void shouldSkipAPageLostToZerosInTheMiddleOfABlockAndReadEverythingAfterIt() throws IOException {
        // one 64 KiB block: the lost page (a write the disk never made) is followed by pages it did make
        try (Walrus w = Walrus.open(TestEngines.small(dir).blockSize(65536).fileSize(4L * 65536).build())) {
            for (int i = 0; i < 600; i++) {
                w.append("t", payload(i));
            }
        }
        Located first = locate(250);
        long pageStart = Math.ceilDiv(first.frame(), 4096) * 4096;
        List<Integer> lost = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            long frame = locate(i).frame();
            long end = frame + EntryFrame.frameLength(payload(i).length);
            if (end > pageStart && frame < pageStart + 4096) {
                lost.add(i);
            }
        }
        assertThat(locate(599).frame()).as("entries well past the zeroed page").isGreaterThan(pageStart + 8192);
        poke(first.file(), pageStart, new byte[4096]);
        assertThat(lost).as("whole entries inside the zeroed page").hasSizeGreaterThan(10);
        try (Walrus w = Walrus.open(TestEngines.small(dir).blockSize(65536).fileSize(4L * 65536).build())) {
            List<Integer> expected = range(0, 600);
            expected.removeAll(lost);
            assertThat(readable(w)).isEqualTo(expected);
            assertThat(w.recoveryDamage()).extracting(Damage::what).containsExactly("corrupt entry skipped");
        }
    }

    @Test
    void shouldFindTheBlocksAfterAWhollyZeroedBlock() throws IOException {
        write(200);
        Located e = locate(60);
        long block = (e.frame() / 4096) * 4096;
        Set<Integer> inZeroedBlock = entriesInBlock(e.file(), block, 200);
        poke(e.file(), block, new byte[4096]);
        try (Walrus w = TestEngines.openSmall(dir)) {
            List<Integer> expected = range(0, 200);
            expected.removeAll(inZeroedBlock);
            assertThat(readable(w)).isEqualTo(expected);
            assertThat(expected.getLast()).isEqualTo(199);
        }
    }

    @Test
    void shouldStillReadBlocksOfAFileWithAWrongMagic() throws IOException {
        write(50);
        Path first = TestEngines.segmentFiles(dir).getFirst();
        flip(first, FileHeader.MAGIC_OFFSET);
        try (Walrus w = TestEngines.openSmall(dir)) {
            assertThat(readable(w)).isEqualTo(range(0, 50));
            assertThat(w.recoveryDamage()).extracting(Damage::what).containsExactly("damaged file header");
        }
    }

    @Test
    void shouldReadTheRestWhenASegmentFileIsMissing() throws IOException {
        write(900);
        List<Path> files = TestEngines.segmentFiles(dir);
        assertThat(files.size()).isGreaterThanOrEqualTo(3);
        Path middle = files.get(1);
        Set<Integer> lost = new HashSet<>();
        for (int i = 0; i < 900; i++) {
            if (locate(i).file().equals(middle)) {
                lost.add(i);
            }
        }
        Files.delete(middle);
        try (Walrus w = TestEngines.openSmall(dir)) {
            List<Integer> expected = range(0, 900);
            expected.removeAll(lost);
            assertThat(readable(w)).isEqualTo(expected);
        }
    }

    @Test
    void shouldDropATornMetadataRecord() throws IOException {
        try (Walrus w = TestEngines.openSmall(dir)) {
            w.append("t", payload(0));
            NamedReader g = w.reader("t", "g");
            g.commit(1, null);
            g.commit(2, null);
            g.commit(3, null);
        }
        Path meta;
        try (var s = Files.list(dir)) {
            meta = s.filter(p -> p.getFileName().toString().startsWith("meta-")).findFirst().orElseThrow();
        }
        try (FileChannel c = FileChannel.open(meta, StandardOpenOption.WRITE)) {
            c.truncate(c.size() - 3);
        }
        try (Walrus w = TestEngines.openSmall(dir)) {
            assertThat(w.reader("t", "g").position()).isEqualTo(2);
            w.reader("t", "g").commit(4, null);
        }
        try (Walrus w = TestEngines.openSmall(dir)) {
            assertThat(w.reader("t", "g").position()).isEqualTo(4);
        }
    }

    @Test
    void shouldNeverReturnCorruptedBytesWhateverIsFlippedOrCut() throws IOException {
        Random random = new Random(7);
        for (int round = 0; round < 25; round++) {
            CrashCopies.delete(dir);
            Files.createDirectories(dir);
            write(300);
            List<Path> files = TestEngines.segmentFiles(dir);
            for (int k = 0; k < 1 + random.nextInt(6); k++) {
                Path f = files.get(random.nextInt(files.size()));
                long size = Files.size(f);
                if (random.nextInt(4) == 0) {
                    try (FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE)) {
                        c.truncate(FileHeader.BLOCKS_OFFSET + random.nextLong(size - FileHeader.BLOCKS_OFFSET));
                    }
                } else {
                    flip(f, FileHeader.BLOCKS_OFFSET + random.nextLong(Math.min(size, 5 * 4096)
                            - FileHeader.BLOCKS_OFFSET));
                }
            }
            try (Walrus w = TestEngines.openSmall(dir)) {
                List<Integer> got = readable(w); // asserts intact and ordered
                assertThat(got).isSorted().doesNotHaveDuplicates();
                w.append("t", payload(299));
            }
        }
    }
}
