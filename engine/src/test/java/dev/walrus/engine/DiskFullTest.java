package dev.walrus.engine;

import static dev.walrus.engine.TestEngines.filled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.walrus.engine.format.MetaRecord;
import dev.walrus.engine.meta.MetaLog;
import dev.walrus.engine.space.DiskSpace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A full disk, for real: the data directory is a tiny tmpfs (mounted here; the tests run as root) that holds the first
 * segment files but not continuous appends. Checks that the full disk reaches the caller as a clear exception, that
 * nothing half-written is ever visible, that every acknowledged entry survives a reopen, and that the engine stays
 * usable (other calls work or fail clearly, close works, freeing space lets appends continue).
 *
 * <p>Why tmpfs: a store through a mapping into a hole of a full file system raises SIGBUS; the engine must discover
 * the full disk through write()/madvise before any mapped store, and only a really full file system shows that.
 */
class DiskFullTest {

    /** 1 MiB files of 64 KiB blocks; the tmpfs holds a few files (each is zero-written ahead or zero-filled as it is used). */
    private static final long FILE_SIZE = 1024 * 1024;
    private static final int BLOCK_SIZE = 64 * 1024;
    private static final String TMPFS_SIZE = "3m";
    /** Far more than the tmpfs can hold, so a loop that never meets the full disk fails instead of running on. */
    private static final int MAX_APPENDS = 100_000;

    @TempDir
    Path base;

    private Path dir;

    @BeforeEach
    void mountTinyFileSystem() throws Exception {
        dir = base.resolve("full");
        Files.createDirectories(dir);
        int rc = run("mount", "-t", "tmpfs", "-o", "size=" + TMPFS_SIZE, "tmpfs", dir.toString());
        if (rc != 0) {
            fail("DiskFullTest needs root to mount a " + TMPFS_SIZE + " tmpfs on " + dir
                    + " (mount exited with " + rc + "); run the engine tests as root, as CI does");
        }
    }

    @AfterEach
    void unmount() throws Exception {
        int rc = run("umount", dir.toString());
        assertThat(rc).as("umount " + dir).isZero();
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).inheritIO().start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    private WalrusConfig.Builder config() {
        return WalrusConfig.builder().dataDir(dir).fileSize(FILE_SIZE).blockSize(BLOCK_SIZE)
                .fsync(FsyncSchedule.none());
    }

    /** Appends distinct 1 KiB entries until the disk is full; returns the acknowledged payloads, fails if never full. */
    private static List<byte[]> appendUntilFull(Walrus w, String topic, List<UncheckedIOException> failure) {
        List<byte[]> acked = new ArrayList<>();
        for (int i = 0; i < MAX_APPENDS; i++) {
            byte[] data = filled(1000 + (i % 24), i);
            try {
                w.append(topic, data);
            } catch (UncheckedIOException e) {
                failure.add(e);
                return acked;
            }
            acked.add(data);
        }
        return fail("the " + TMPFS_SIZE + " tmpfs never filled up after " + MAX_APPENDS + " appends");
    }

    private static void assertEntries(Walrus w, String topic, List<byte[]> expected) {
        List<Entry> entries = w.readBatch(topic, Integer.MAX_VALUE, false);
        assertThat(entries).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(entries.get(i).bytes()).as("entry %d of %s", i, topic).isEqualTo(expected.get(i));
        }
    }

    @Test
    void shouldReportFullDiskToTheAppenderAndKeepEveryEarlierEntryReadable() {
        try (Walrus w = Walrus.open(config().build())) {
            List<UncheckedIOException> failure = new ArrayList<>();
            List<byte[]> acked = appendUntilFull(w, "a", failure);
            byte[] refused = filled(1000 + (acked.size() % 24), acked.size());

            assertThat(acked).as("the first segment file fits").hasSizeGreaterThan(100);
            assertThat(failure.getFirst()).hasCauseInstanceOf(IOException.class)
                    .hasMessageContaining(dir.toString());
            long end = w.endPosition("a");
            assertEntries(w, "a", acked);

            // the same entry again: it fails as clearly and publishes nothing, or (if the preparer thread won the
            // race for the last pages and zero-wrote them) it is stored whole
            try {
                w.append("a", refused);
                acked.add(refused);
            } catch (UncheckedIOException e) {
                assertThat(e).hasCauseInstanceOf(IOException.class);
                assertThat(w.endPosition("a")).as("a failed append publishes nothing").isEqualTo(end);
            }
            assertEntries(w, "a", acked);
        }
    }

    /**
     * With 512 KiB blocks a block's unwritten tail beyond the zero-fill step can still be a hole when the disk fills
     * up; on tmpfs even reading such a hole at open needs a page, so recovery must take it as blank.
     */
    @ParameterizedTest
    @ValueSource(ints = {BLOCK_SIZE, 512 * 1024})
    void shouldRecoverEveryAcknowledgedEntryAfterReopeningTheFullDisk(int blockSize) {
        List<byte[]> acked;
        long end;
        try (Walrus w = Walrus.open(config().blockSize(blockSize).fsync(FsyncSchedule.syncEach()).build())) {
            acked = appendUntilFull(w, "a", new ArrayList<>());
            end = w.endPosition("a");
        }
        try (Walrus w = Walrus.open(config().blockSize(blockSize).build())) {
            assertThat(w.recoveryDamage()).isEmpty();
            assertThat(w.endPosition("a")).isEqualTo(end);
            assertEntries(w, "a", acked);
        }
    }

    /** Entries over a page from direct buffers go through {@code pwrite}: ENOSPC there is the same clear failure. */
    @Test
    void shouldReportFullDiskToAPositionalWriteAndRecoverEveryAcknowledgedEntry() {
        List<byte[]> acked = new ArrayList<>();
        UncheckedIOException failure = null;
        long end;
        try (Walrus w = Walrus.open(config().build())) {
            for (int i = 0; i < MAX_APPENDS && failure == null; i++) {
                byte[] data = filled(5000 + (i % 7) * 1000, i);
                long before = w.endPosition("p");
                try {
                    w.append("p", ByteBuffer.allocateDirect(data.length).put(data).flip());
                    acked.add(data);
                } catch (UncheckedIOException e) {
                    failure = e;
                    assertThat(w.endPosition("p")).as("a failed append publishes nothing").isEqualTo(before);
                }
            }
            assertThat(failure).as("the tmpfs filled up").isNotNull();
            assertThat(failure).hasCauseInstanceOf(IOException.class).hasMessageContaining(dir.toString());
            assertThat(acked).hasSizeGreaterThan(50);
            assertEntries(w, "p", acked);
            end = w.endPosition("p");
        }
        try (Walrus w = Walrus.open(config().build())) {
            assertThat(w.recoveryDamage()).isEmpty();
            assertThat(w.endPosition("p")).isEqualTo(end);
            assertEntries(w, "p", acked);
        }
    }

    @Test
    void shouldNeverExposeOrRecoverPartOfABatchThatMetTheFullDisk() {
        int batchSize = 7;
        List<byte[]> acked = new ArrayList<>();
        UncheckedIOException failure = null;
        try (Walrus w = Walrus.open(config().build())) {
            for (int i = 0; i < MAX_APPENDS && failure == null; i++) {
                List<byte[]> batch = new ArrayList<>();
                for (int j = 0; j < batchSize; j++) {
                    batch.add(filled(900 + j * 40, i * batchSize + j));
                }
                try {
                    w.appendBatch("b", batch);
                    acked.addAll(batch);
                } catch (UncheckedIOException e) {
                    failure = e;
                }
            }
            assertThat(failure).as("the tmpfs filled up").isNotNull();
            assertEntries(w, "b", acked);
        }
        try (Walrus w = Walrus.open(config().build())) {
            assertThat(w.recoveryDamage()).isEmpty();
            assertEntries(w, "b", acked);
        }
    }

    @Test
    void shouldKeepServingOtherTopicsAndCloseCleanlyAfterTheDiskFilledUp() {
        List<byte[]> a;
        List<byte[]> other = new ArrayList<>();
        try (Walrus w = Walrus.open(config().build())) {
            a = appendUntilFull(w, "a", new ArrayList<>());
            for (int i = 0; i < 20; i++) {
                byte[] data = filled(100, 7000 + i);
                try {
                    w.append("other", ByteBuffer.wrap(data));
                    other.add(data);
                } catch (UncheckedIOException e) {
                    assertThat(e).hasCauseInstanceOf(IOException.class);
                }
            }
            assertEntries(w, "a", a);
            assertEntries(w, "other", other);
            w.flush();
        }
        try (Walrus w = Walrus.open(config().build())) {
            assertThat(w.recoveryDamage()).isEmpty();
            assertEntries(w, "a", a);
            assertEntries(w, "other", other);
        }
    }

    @Test
    void shouldAppendAgainOnceDeletingATopicFreedSpace() {
        try (Walrus w = Walrus.open(config().build())) {
            appendUntilFull(w, "a", new ArrayList<>());
            w.deleteTopic("a");
            assertEntries(w, "b", appendTwoHundred(w, "b"));
        }
    }

    /** Appends 200 distinct entries of 1,000 bytes, each of which must be accepted; returns them. */
    private static List<byte[]> appendTwoHundred(Walrus w, String topic) {
        List<byte[]> appended = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] data = filled(1000, 9000 + i);
            w.append(topic, data);
            appended.add(data);
        }
        return appended;
    }

    @Test
    void shouldFailConfigureTopicOnAFullDiskWithoutDamagingTheMetadataLog() {
        List<String> configured = new ArrayList<>();
        TopicSettings settings = new TopicSettings(FsyncSchedule.syncEach(), ReadConsistency.atLeastOnce(5));
        List<byte[]> acked;
        try (Walrus w = Walrus.open(config().build())) {
            acked = appendUntilFull(w, "a", new ArrayList<>());
            UncheckedIOException failure = null;
            for (int i = 0; i < MAX_APPENDS && failure == null; i++) {
                String topic = "configured-with-a-long-name-to-fill-the-metadata-log-" + i;
                try {
                    w.configureTopic(topic, settings);
                    configured.add(topic);
                } catch (UncheckedIOException e) {
                    failure = e;
                }
            }
            assertThat(failure).as("a metadata write on the full disk fails").isNotNull();
            assertThat(failure).hasCauseInstanceOf(IOException.class);
        } catch (UncheckedIOException closeFailure) {
            fail("close failed after a metadata write met the full disk", closeFailure);
            return;
        }
        try (Walrus w = Walrus.open(config().build())) {
            assertEntries(w, "a", acked);
            for (String topic : configured) {
                assertThat(w.topicSettings(topic)).as(topic).isEqualTo(settings);
            }
        }
    }

    @Test
    void shouldKeepTheMetadataRecordWhoseCompactionMetTheFullDiskAndCompactOnceThereIsRoom() throws IOException {
        long threshold = 16 * 1024 + 1000; // past a page boundary: the record that crosses it fits in the last page
        TopicSettings settings = new TopicSettings(FsyncSchedule.syncEach(), ReadConsistency.atLeastOnce(5));
        Path filler = dir.resolve("filler");
        long lastPosition;
        try (MetaLog log = MetaLog.open(dir, threshold)) {
            log.write(new MetaRecord.Settings("t", settings), true);
            long position = 0;
            while (log.size() < threshold - 200) { // one reader moving: the state stays tiny, the log grows
                log.write(new MetaRecord.ReaderCommit("t", "g", ++position, new byte[0]), false);
            }
            fillUp(filler);
            long before = log.size();
            // fits in the log's last page, crosses the threshold: compaction needs a page the disk does not have
            while (log.size() <= threshold) {
                log.write(new MetaRecord.ReaderCommit("t", "g", ++position, new byte[0]), true);
            }
            assertThat(log.size()).as("the records went into the current generation").isGreaterThan(before);
            assertThat(metaFiles()).as("no partial new generation left behind")
                    .containsExactly(MetaLogNames.generation(1));

            Files.delete(filler); // room again: the log compacts once it has doubled since the failed attempt
            while (metaFiles().contains(MetaLogNames.generation(1))) {
                assertThat(log.size()).as("compaction tried again within twice the size").isLessThan(4 * threshold);
                log.write(new MetaRecord.ReaderCommit("t", "g", ++position, new byte[0]), true);
            }
            lastPosition = position;
        }
        assertThat(metaFiles()).containsExactly(MetaLogNames.generation(2));
        try (MetaLog log = MetaLog.open(dir)) {
            assertThat(log.state().topics().get("t").settings).isEqualTo(settings);
            assertThat(log.state().topics().get("t").readers.get("g").position()).isEqualTo(lastPosition);
        }
    }

    @Test
    void shouldRefuseAppendsWhileFullKeepingTheReserveAndAcceptThemOnceSpaceIsFreed() throws IOException {
        Path reserve = dir.resolve(DiskSpace.RESERVE_FILE);
        try (Walrus w = Walrus.open(config().build())) {
            long reserveSize = Files.size(reserve);
            assertThat(reserveSize).as("the 8 MiB default, capped at a sixteenth of the 3 MiB tmpfs")
                    .isEqualTo(3L * 1024 * 1024 / 16);
            List<UncheckedIOException> failure = new ArrayList<>();
            List<byte[]> acked = appendUntilFull(w, "a", failure);
            assertThat(failure.getFirst()).isInstanceOf(StorageFullException.class)
                    .hasMessageContaining("is full").hasCauseInstanceOf(IOException.class);
            long end = w.endPosition("a");

            // refused, to any topic: nothing written, and the reserve is kept for the writes that free space
            assertThatThrownBy(() -> w.append("b", filled(10, 1))).isInstanceOf(StorageFullException.class);
            assertThatThrownBy(() -> w.append("a", ByteBuffer.wrap(filled(10, 2))))
                    .isInstanceOf(StorageFullException.class);
            assertThat(Files.size(reserve)).isEqualTo(reserveSize);
            assertThat(w.endPosition("a")).isEqualTo(end);
            assertEntries(w, "a", acked);

            w.deleteTopic("a"); // frees its files: appends go on, no restart
            assertEntries(w, "b", appendTwoHundred(w, "b"));
            assertThat(Files.size(reserve)).isEqualTo(reserveSize);
        }
    }

    @Test
    void shouldLetTheWritesThatFreeSpaceThroughAFullDiskByReleasingTheReserve() throws IOException {
        Path reserve = dir.resolve(DiskSpace.RESERVE_FILE);
        Path filler = dir.resolve("filler");
        TopicSettings settings = new TopicSettings(FsyncSchedule.syncEach(), ReadConsistency.atLeastOnce(5));
        List<byte[]> acked;
        List<byte[]> essential = new ArrayList<>();
        long truncatedTo;
        try (Walrus w = Walrus.open(config().build())) {
            acked = appendUntilFull(w, "a", new ArrayList<>());
            fillUp(filler); // whatever room the engine left: none now
            assertThat(reserve).exists();

            // essential entries go on where ordinary ones are refused: first into pages the preparer zero-wrote
            // ahead before the disk filled (if any), then, once those are used, into the reserve's room
            for (int i = 0; i < 4_000 && Files.exists(reserve); i++) {
                byte[] entry = filled(500, 5_000 + i);
                w.appendEssential("metadata", entry);
                essential.add(entry);
            }
            assertThat(reserve).as("released for the essential writes once nothing else was left").doesNotExist();
            truncatedTo = w.readBatch("a", Integer.MAX_VALUE, false).get(10).position();
            w.truncateBefore("a", truncatedTo);
            w.configureTopic("a", settings);
            assertThatThrownBy(() -> w.append("a", filled(10, 3))).isInstanceOf(StorageFullException.class);
        }
        fillUp(dir.resolve("filler-2")); // the close punched the preparer's zero-written pages back into holes
        try (Walrus w = Walrus.open(config().build())) {
            assertEntries(w, "metadata", essential);
            assertThat(w.startPosition("a")).isEqualTo(truncatedTo);
            assertEntries(w, "a", acked.subList(10, acked.size()));
            assertThat(w.topicSettings("a")).isEqualTo(settings);
            // opened on a full disk: reads work, appends are refused until space is freed, then go on
            assertThatThrownBy(() -> w.append("a", filled(10, 4))).isInstanceOf(StorageFullException.class);
            w.deleteTopic("a");
            byte[] after = filled(1000, 6);
            w.append("b", after);
            assertEntries(w, "b", List.of(after));
            assertThat(reserve).as("allocated again before appends resumed").exists();
        }
    }

    /** Writes a file until the disk is full. */
    private static void fillUp(Path filler) throws IOException {
        byte[] chunk = new byte[4096];
        try (var out = Files.newOutputStream(filler)) {
            for (int i = 0; i < 100_000; i++) {
                out.write(chunk);
            }
        } catch (IOException full) {
            return;
        }
        fail("the " + TMPFS_SIZE + " tmpfs never filled up");
    }

    private List<String> metaFiles() throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("meta-")).sorted().toList();
        }
    }

    /** The metadata log's file names (meta-<generation, 20 digits>.wal). */
    private static final class MetaLogNames {
        static String generation(long gen) {
            return String.format("meta-%020d.wal", gen);
        }
    }

    @Test
    void shouldLeaveNoEmptySegmentFileBehindWhenCreatingOneMeetsTheFullDisk() throws IOException {
        try (Walrus w = Walrus.open(config().build())) {
            appendUntilFull(w, "a", new ArrayList<>());
            byte[] largerThanAFile = filled((int) FILE_SIZE * 2, 1); // gets a new file of its own size each time
            for (int i = 0; i < 10; i++) {
                assertThatThrownBy(() -> w.append("big", largerThanAFile))
                        .isInstanceOf(UncheckedIOException.class);
            }
            for (Path p : TestEngines.segmentFiles(dir)) {
                assertThat(Files.size(p)).as(p.toString()).isPositive();
            }
        }
    }

    @Test
    void shouldShowATailReaderOnlyWholeEntriesWhileTheWriterRunsIntoTheFullDisk() throws Exception {
        try (Walrus w = Walrus.open(config().build())) {
            java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
            java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
            List<AssertionError> readerErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                long position = 0;
                boolean drained = false;
                while (!drained) {
                    boolean stopped = !writing.get(); // after the writer stopped: read on until nothing is left
                    try (ReadResult r = w.read("a", position, 64 * 1024)) {
                        drained = stopped && r.entries().isEmpty();
                        for (Entry e : r.entries()) {
                            int i = seen.getAndIncrement();
                            byte[] actual = new byte[e.data().remaining()];
                            e.data().get(actual);
                            if (!java.util.Arrays.equals(actual, filled(1000 + (i % 24), i))) {
                                readerErrors.add(new AssertionError("entry " + i + " at " + e.position()
                                        + " is not what was appended"));
                                return;
                            }
                        }
                        position = r.nextPosition();
                    }
                }
            });
            List<byte[]> acked;
            try {
                acked = appendUntilFull(w, "a", new ArrayList<>());
            } finally {
                writing.set(false);
                reader.join();
            }
            assertThat(readerErrors).isEmpty();
            assertThat(seen.get()).as("the reader saw every acknowledged entry, and nothing else").isEqualTo(acked.size());
        }
    }
}
