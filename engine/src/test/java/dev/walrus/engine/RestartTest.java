package dev.walrus.engine;

import static dev.walrus.engine.TestEngines.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.engine.alloc.DataSeeker;
import dev.walrus.engine.format.FileHeader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RestartTest {

    @TempDir
    Path dir;

    static Stream<Arguments> schedulesAndConsistencies() {
        List<Arguments> all = new ArrayList<>();
        for (FsyncSchedule f : List.of(FsyncSchedule.syncEach(), FsyncSchedule.every(Duration.ofMillis(5)),
                FsyncSchedule.none())) {
            for (ReadConsistency c : List.of(ReadConsistency.strictlyAtOnce(), ReadConsistency.atLeastOnce(3))) {
                all.add(Arguments.of(f, c));
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("schedulesAndConsistencies")
    void shouldRecoverEntriesPositionsAndCheckpointsAfterCleanRestart(FsyncSchedule fsync, ReadConsistency rc) {
        WalrusConfig config = TestEngines.small(dir).fsync(fsync).readConsistency(rc).build();
        List<Long> positions = new ArrayList<>();
        long end;
        try (Walrus w = Walrus.open(config)) {
            for (int i = 0; i < 300; i++) {
                positions.add(w.append("t" + (i % 3), bytes("e" + i)));
            }
            positions.add(w.appendBatch("t0", List.of(bytes("b1"), bytes("b2"))));
            for (int i = 0; i < 10; i++) {
                w.readNext("t1", true);
            }
            w.reader("t2", "g").readBatch(10_000, true);
            end = w.endPosition("t0");
        }
        try (Walrus w = Walrus.open(config)) {
            assertThat(w.topics()).containsExactlyInAnyOrder("t0", "t1", "t2");
            assertThat(w.endPosition("t0")).isEqualTo(end);
            List<Entry> t0 = w.readBatch("t0", Integer.MAX_VALUE, false);
            assertThat(t0).hasSize(102);
            assertThat(TestEngines.text(t0.get(5))).isEqualTo("e15");
            assertThat(t0.get(5).position()).isEqualTo(positions.get(15));
            // close persists at-least-once checkpoints too, so a clean restart replays nothing
            assertThat(w.readNext("t1", true).map(TestEngines::text)).contains("e31");
            assertThat(w.reader("t2", "g").readNext(true)).isEmpty();
            long next = w.append("t0", bytes("after"));
            assertThat(next).isGreaterThanOrEqualTo(end);
        }
    }

    @ParameterizedTest
    @MethodSource("schedulesAndConsistencies")
    void shouldRecoverEveryReturnedAppendAfterAKill(FsyncSchedule fsync, ReadConsistency rc) {
        // kill -9 keeps the page cache: a copy of the live directory is what the next open would find
        Path copy = dir.resolveSibling(dir.getFileName() + "-killed");
        WalrusConfig config = TestEngines.small(dir).fsync(fsync).readConsistency(rc).build();
        List<Long> positions = new ArrayList<>();
        try (Walrus w = Walrus.open(config)) {
            for (int i = 0; i < 200; i++) {
                positions.add(w.append("t", bytes("e" + i)));
            }
            w.appendBatch("t", List.of(bytes("b1"), bytes("b2")));
            for (int i = 0; i < 7; i++) {
                w.readNext("t", true);
            }
            CrashCopies.copy(dir, copy);
        }
        try (Walrus w = Walrus.open(TestEngines.small(copy).fsync(fsync).readConsistency(rc).build())) {
            try (ReadResult r = w.read("t", 0, Integer.MAX_VALUE)) {
                assertThat(r.entries()).hasSize(202);
                for (int i = 0; i < 200; i++) {
                    assertThat(r.entries().get(i).position()).isEqualTo(positions.get(i));
                }
            }
            // strictly-at-once: the checkpoint after 7 reads is durable; at-least-once(3): persisted at 3 and 6
            String expected = rc instanceof ReadConsistency.StrictlyAtOnce ? "e7" : "e6";
            assertThat(w.readNext("t", true).map(TestEngines::text)).contains(expected);
        } finally {
            CrashCopies.delete(copy);
        }
    }

    @Test
    void shouldPersistTopicSettingsAcrossRestart() {
        TopicSettings custom = new TopicSettings(FsyncSchedule.every(Duration.ofMillis(42)),
                ReadConsistency.atLeastOnce(7));
        try (Walrus w = TestEngines.openSmall(dir)) {
            w.configureTopic("configured", custom);
            assertThat(w.topicSettings("configured")).isEqualTo(custom);
            assertThat(w.topicSettings("other")).isEqualTo(new TopicSettings(FsyncSchedule.none(),
                    ReadConsistency.strictlyAtOnce()));
        }
        try (Walrus w = TestEngines.openSmall(dir)) {
            assertThat(w.topics()).containsExactly("configured");
            assertThat(w.topicSettings("configured")).isEqualTo(custom);
        }
    }

    @Test
    void shouldContinuePositionsAfterRestartWithoutReusingAny() {
        long last;
        try (Walrus w = TestEngines.openSmall(dir)) {
            for (int i = 0; i < 50; i++) {
                w.append("t", bytes("x" + i));
            }
            last = w.append("t", bytes("last"));
        }
        try (Walrus w = TestEngines.openSmall(dir)) {
            long p = w.append("t", bytes("new"));
            assertThat(p).isGreaterThan(last);
            try (ReadResult r = w.read("t", last, 10_000)) {
                assertThat(r.entries()).extracting(TestEngines::text).containsExactly("last", "new");
            }
        }
    }

    @Test
    void shouldReplayAtMostPersistEveryEntriesUnderAtLeastOnceAfterACrash() throws Exception {
        // a crash is simulated by copying the directory while the engine is open (nothing is closed or flushed)
        Path copy = dir.resolveSibling(dir.getFileName() + "-copy");
        WalrusConfig config = TestEngines.small(dir).readConsistency(ReadConsistency.atLeastOnce(5)).build();
        try (Walrus w = Walrus.open(config)) {
            for (int i = 0; i < 20; i++) {
                w.append("t", bytes("e" + i));
            }
            for (int i = 0; i < 12; i++) {
                w.readNext("t", true);
            }
            CrashCopies.copy(dir, copy);
        }
        try (Walrus w = Walrus.open(TestEngines.small(copy).build())) {
            // 12 read, checkpoint persisted at 5 and 10: the reader resumes at e10
            assertThat(w.readNext("t", true).map(TestEngines::text)).contains("e10");
        } finally {
            CrashCopies.delete(copy);
        }
    }

    /** 4 KiB blocks in 1 MiB files: many starts' worth of small blocks fit in one file. */
    private WalrusConfig roomyFile() {
        return WalrusConfig.builder().dataDir(dir).blockSize(4096).fileSize(1024 * 1024)
                .fsync(FsyncSchedule.none()).build();
    }

    @Test
    void shouldKeepAllocatingInTheNewestFileAfterARestartInsteadOfAddingAFilePerStart() {
        List<String> written = new ArrayList<>();
        for (int start = 0; start < 5; start++) {
            try (Walrus w = Walrus.open(roomyFile())) {
                for (int i = 0; i < 3; i++) {
                    String entry = "start" + start + "-" + i;
                    w.append("t", bytes(entry));
                    written.add(entry);
                }
            }
            assertThat(TestEngines.segmentFiles(dir)).as("segment files after start %d", start).hasSize(1);
        }
        try (Walrus w = Walrus.open(roomyFile())) {
            assertThat(w.recoveryDamage()).isEmpty();
            assertThat(w.readBatch("t", Integer.MAX_VALUE, false)).extracting(TestEngines::text)
                    .containsExactlyElementsOf(written);
        }
    }

    @Test
    void shouldNeverReadFramesLeftAfterTheLastBlockAsEntriesOfANewBlockWrittenOverThem() throws Exception {
        List<String> old = new ArrayList<>();
        try (Walrus w = Walrus.open(roomyFile())) {
            for (int i = 0; i < 20; i++) {
                old.add("old-" + i);
                w.append("t", bytes("old-" + i));
            }
        }
        // Leftovers after the file's only block (as a torn block would leave them): a copy of its valid frames,
        // where the next block's second page will be. That block is a positional writer's (a direct entry larger
        // than a page), which zero-fills only its first page.
        Path file = TestEngines.segmentFiles(dir).getFirst();
        long firstBlock = FileHeader.BLOCKS_OFFSET;
        long nextBlock = firstBlock + 4096;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer frames = ByteBuffer.allocate(1024);
            ch.read(frames, firstBlock + 8); // all but the block header's magic: no block starts there
            ch.write(frames.flip(), nextBlock + 6144 + 8);
        }
        byte[] large = TestEngines.filled(5000, 3);
        try (Walrus w = Walrus.open(roomyFile())) {
            w.append("t", ByteBuffer.allocateDirect(large.length).put(large).flip());
        }
        try (Walrus w = Walrus.open(roomyFile())) {
            List<Entry> entries = w.readBatch("t", Integer.MAX_VALUE, false);
            assertThat(entries).hasSize(21);
            assertThat(entries.subList(0, 20)).extracting(TestEngines::text).containsExactlyElementsOf(old);
            assertThat(entries.get(20).bytes()).isEqualTo(large);
            assertThat(w.recoveryDamage()).isEmpty();
        }
    }

    @Test
    void shouldGiveTheUnusedRestOfEachTopicsBlockBackToTheFileSystemOnClose() throws Exception {
        WalrusConfig config = WalrusConfig.builder().dataDir(dir).fsync(FsyncSchedule.none()).build(); // 1 MiB blocks
        long block = config.blockSize();
        try (Walrus w = Walrus.open(config)) {
            w.append("t0", bytes("first")); // its block was zero-filled 256 KiB ahead of this entry
            w.append("t1", bytes("second"));
        }
        Path file = TestEngines.segmentFiles(dir).getFirst();
        try (DataSeeker seeker = DataSeeker.open(file)) {
            long t0Block = FileHeader.BLOCKS_OFFSET;
            assertThat(seeker.nextData(t0Block + 4096)).as("after t0's first page: hole up to t1's block")
                    .isEqualTo(t0Block + block);
            assertThat(seeker.nextData(t0Block + block + 4096)).as("after t1's first page: hole to the end of the file")
                    .isEqualTo(-1);
        }
        try (Walrus w = Walrus.open(config)) {
            assertThat(w.readBatch("t0", 1000, false)).extracting(TestEngines::text).containsExactly("first");
            assertThat(w.readBatch("t1", 1000, false)).extracting(TestEngines::text).containsExactly("second");
        }
    }
}
