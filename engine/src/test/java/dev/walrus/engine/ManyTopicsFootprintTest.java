package dev.walrus.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A test suite's broker holds thousands of topics written once or twice each. Their blocks are holes in sparse
 * files, so each should take the few pages it holds on disk, not the megabyte its block reserves: the pages the
 * preparer zero-writes ahead are for files that fill with data, and a topic's first block is no sign of that.
 */
class ManyTopicsFootprintTest {

    private static final int TOPICS = 300;
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} appends, fsync {1}")
    @CsvSource({"heap, none", "direct, none", "heap, syncEach", "direct, syncEach"})
    void shouldTakeAFewPagesOfDiskPerTopicWrittenOnce(String buffers, String fsync) throws Exception {
        FsyncSchedule schedule = fsync.equals("syncEach") ? FsyncSchedule.syncEach() : FsyncSchedule.none();
        try (Walrus w = Walrus.open(WalrusConfig.builder().dataDir(dir).fsync(schedule).build())) {
            for (int i = 0; i < TOPICS; i++) {
                byte[] record = record(i);
                // heap arrays are stored through the mapping; direct buffers of a page or more written positionally
                w.append("topic-" + i, buffers.equals("heap") ? ByteBuffer.wrap(record)
                        : ByteBuffer.allocateDirect(record.length).put(record).flip());
            }
            long onDisk = TestEngines.settledDiskUsage(dir);
            // a header page and two or three data pages each, and the engine's own metadata: about 4 MiB;
            // zero-written blocks would be a megabyte per topic
            assertThat(onDisk).as("bytes on disk for %d topics of one record", TOPICS).isLessThan(8 * MIB);
            for (int i = 0; i < TOPICS; i++) {
                assertThat(w.readBatch("topic-" + i, Integer.MAX_VALUE, false)).singleElement()
                        .extracting(Entry::bytes).isEqualTo(record(i));
            }
        }
    }

    /** 5,000 bytes: more than a page, so that direct buffers take the positional path. */
    private static byte[] record(int topic) {
        return TestEngines.filled(5000, topic);
    }
}
