package dev.walrus.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A segment file lives as long as its last live block, so a slow topic's block keeps its file; the blocks retention
 * or deletion expired around it go back to the file system as holes, and no reader ever sees one.
 */
class ExpiredBlocksTest {

    private static final int BLOCK = 64 * 1024;
    private static final long FILE = 16L * BLOCK;
    private static final long MIB = 1024 * 1024;
    private static final int SLOW_TOPICS = 8;

    @TempDir
    Path dir;

    private WalrusConfig config() {
        return WalrusConfig.builder().dataDir(dir).blockSize(BLOCK).fileSize(FILE).fsync(FsyncSchedule.none()).build();
    }

    @Test
    void shouldGiveExpiredBlocksBackToTheFileSystemWhileSlowTopicsKeepTheirFiles() throws Exception {
        long busyEnd;
        try (Walrus w = Walrus.open(config())) {
            long before = fillFilesEachKeptBySlowTopic(w, "busy");

            busyEnd = w.endPosition("busy");
            w.truncateBefore("busy", busyEnd); // retention expires all of it

            long after = TestEngines.settledDiskUsage(dir);
            // left: the slow topics' blocks, the busy topic's last block, the pages prepared ahead, the metadata;
            // the files themselves stay, each kept by a slow topic
            assertThat(after).as("bytes on disk after the busy topic expired (%d before)", before)
                    .isLessThan(3 * MIB);
            assertThat(TestEngines.segmentFiles(dir)).hasSizeGreaterThanOrEqualTo(SLOW_TOPICS);
            assertSlowTopicsIntact(w);
            assertThat(w.readBatch("busy", Integer.MAX_VALUE, false)).isEmpty();
        }
        try (Walrus w = Walrus.open(config())) { // recovery over files with holes where blocks were
            assertSlowTopicsIntact(w);
            assertThat(w.startPosition("busy")).isEqualTo(busyEnd);
            assertThat(w.readBatch("busy", Integer.MAX_VALUE, false)).isEmpty();
            long next = w.append("busy", record("busy", -1));
            assertThat(next).isGreaterThanOrEqualTo(busyEnd);
            assertThat(w.readBatch("busy", Integer.MAX_VALUE, false)).singleElement()
                    .extracting(Entry::bytes).isEqualTo(record("busy", -1));
        }
    }

    @Test
    void shouldGiveADeletedTopicsBlocksBackToTheFileSystem() throws Exception {
        try (Walrus w = Walrus.open(config())) {
            long before = fillFilesEachKeptBySlowTopic(w, "deleted");
            w.deleteTopic("deleted");
            long after = TestEngines.settledDiskUsage(dir);
            assertThat(after).as("bytes on disk after the topic was deleted (%d before)", before)
                    .isLessThan(3 * MIB);
            assertSlowTopicsIntact(w);
        }
        try (Walrus w = Walrus.open(config())) {
            assertThat(w.topics()).doesNotContain("deleted");
            assertSlowTopicsIntact(w);
        }
    }

    @Test
    void shouldNeverShowAReaderAnExpiredBlocksHole() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong entriesChecked = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        try (Walrus w = Walrus.open(config())) {
            w.append("slow", record("slow", 0)); // keeps the first file alive: its expired blocks are punched
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(Thread.ofPlatform().start(() -> {
                    while (writing.get()) {
                        // from the start, holding the views while retention moves on, then checking every byte
                        try (ReadResult result = w.read("t", w.startPosition("t"), 256 * 1024)) {
                            Thread.yield();
                            for (Entry e : result.entries()) {
                                String text = new String(e.bytes(), StandardCharsets.ISO_8859_1);
                                if (!text.startsWith("t-") || !text.equals(new String(
                                        record("t", Integer.parseInt(text.substring(2, text.indexOf('|')))),
                                        StandardCharsets.ISO_8859_1))) {
                                    failures.add("at " + e.position() + ": " + text.substring(0, 20));
                                }
                                entriesChecked.incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            failures.add(e.toString());
                        }
                    }
                }));
            }
            List<Long> positions = new ArrayList<>();
            for (int i = 0; i < 40_000; i++) {
                positions.add(w.append("t", record("t", i)));
                if (i % 500 == 499) {
                    w.truncateBefore("t", positions.get(i - 200)); // keep the last 200 entries
                }
            }
            writing.set(false);
            for (Thread t : readers) {
                t.join();
            }
        }
        assertThat(failures).isEmpty();
        assertThat(entriesChecked.get()).isPositive();
    }

    /**
     * Writes {@code topic} over more than {@link #SLOW_TOPICS} segment files, with a slow topic's first (and only)
     * block in each, which keeps that file alive; returns the bytes on disk then.
     */
    private long fillFilesEachKeptBySlowTopic(Walrus w, String topic) throws InterruptedException {
        for (int f = 0; f < SLOW_TOPICS; f++) {
            w.append("slow-" + f, record("slow", f));
            int files = TestEngines.segmentFiles(dir).size();
            for (int i = 0; TestEngines.segmentFiles(dir).size() == files; i++) {
                w.append(topic, record(topic, i));
            }
        }
        assertThat(TestEngines.segmentFiles(dir)).hasSizeGreaterThan(SLOW_TOPICS);
        long onDisk = TestEngines.settledDiskUsage(dir);
        assertThat(onDisk).as("%s's data", topic).isGreaterThan(SLOW_TOPICS * MIB);
        return onDisk;
    }

    /** About 4 KiB naming its topic and index, then a filler that depends on both. */
    private static byte[] record(String topic, int index) {
        String head = topic + "-" + index + "|";
        StringBuilder b = new StringBuilder(head);
        for (int i = 0; b.length() < 4000; i++) {
            b.append((char) ('a' + (index * 7 + i) % 26));
        }
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void assertSlowTopicsIntact(Walrus w) {
        for (int f = 0; f < SLOW_TOPICS; f++) {
            assertThat(w.readBatch("slow-" + f, Integer.MAX_VALUE, false)).singleElement()
                    .extracting(Entry::bytes).isEqualTo(record("slow", f));
        }
    }
}
