package dev.walrus.kafka.log;

import dev.walrus.engine.Walrus;
import dev.walrus.kafka.testing.Batches;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionLogTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final String ENGINE_TOPIC = "p-test-0";
    private static final LogConfig CONFIG = LogConfig.defaults();

    @TempDir
    Path dir;
    private Walrus engine;
    private PartitionLog log;

    @BeforeEach
    void open() {
        engine = Walrus.open(dir);
        log = PartitionLog.open(engine, TP, ENGINE_TOPIC, CONFIG);
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void shouldStartEmptyAtOffsetZero() {
        assertThat(log.logStartOffset()).isZero();
        assertThat(log.logEndOffset()).isZero();
        assertThat(log.read(0, 1024, true).sizeInBytes()).isZero();
    }

    @Test
    void shouldFindAnyOffsetThroughTheSparseIndex() {
        for (int i = 0; i < 400; i++) {
            append("v" + i + "-a", "v" + i + "-b");
        }
        for (long offset : new long[] {0, 1, 77, 400, 401, 798, 799}) {
            PartitionRead read = log.read(offset, 1, true);
            List<Long> offsets = Batches.offsets(toMemory(read));
            assertThat(offsets).as("offset %d", offset).contains(offset);
            read.release();
        }
    }

    @Test
    void shouldRebuildOffsetsAndIndexAfterARestart() {
        for (int i = 0; i < 300; i++) {
            append("r" + i);
        }
        reopen();
        assertThat(log.logEndOffset()).isEqualTo(300);
        PartitionRead read = log.read(250, 1, true);
        assertThat(Batches.values(toMemory(read))).containsExactly("r250");
        read.release();
        assertThat(append("after").baseOffset()).isEqualTo(300);
    }

    @Test
    void shouldKeepTheLogStartOffsetAcrossARestart() {
        for (int i = 0; i < 10; i++) {
            append("x" + i);
        }
        log.truncateBefore(6);
        assertThat(log.logStartOffset()).isEqualTo(6);
        assertThat(log.read(5, 1024, true).error()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
        reopen();
        assertThat(log.logStartOffset()).isEqualTo(6);
        assertThat(log.logEndOffset()).isEqualTo(10);
        PartitionRead read = log.read(6, 1024 * 1024, true);
        assertThat(Batches.values(toMemory(read))).containsExactly("x6", "x7", "x8", "x9");
        read.release();
    }

    @Test
    void shouldKeepOffsetsGoingAfterEverythingWasTruncated() {
        append("a");
        append("b");
        log.truncateBefore(2);
        reopen();
        assertThat(log.logStartOffset()).isEqualTo(2);
        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThat(append("c").baseOffset()).isEqualTo(2);
    }

    @Test
    void shouldFindOffsetsByTimestampAcrossManyBatches() {
        for (int i = 0; i < 200; i++) {
            appendRecords(Batches.withTimestamps(10_000 + i * 10L, 1, "t" + i));
        }
        assertThat(log.offsetForTimestamp(10_000 + 1234)).isEqualTo(new OffsetAndTimestamp(124, 10_000 + 1240));
        assertThat(log.offsetForTimestamp(0)).isEqualTo(new OffsetAndTimestamp(0, 10_000));
        assertThat(log.maxTimestampOffset()).isEqualTo(new OffsetAndTimestamp(199, 10_000 + 1990));
    }

    @Test
    void shouldDropLeadingBatchesOlderThanRetention() {
        long now = System.currentTimeMillis();
        log.updateConfig(withRetention(60_000));
        appendRecords(Batches.withTimestamps(now - 300_000, 1, "old-1"));
        appendRecords(Batches.withTimestamps(now - 200_000, 1, "old-2"));
        appendRecords(Batches.withTimestamps(now - 1_000, 1, "recent"));
        appendRecords(Batches.withTimestamps(now - 400_000, 1, "old but after a recent one"));
        assertThat(log.applyRetention(now)).isEqualTo(2);
        assertThat(log.read(1, 1024, true).error()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
        PartitionRead read = log.read(2, 1024 * 1024, true);
        assertThat(Batches.values(toMemory(read))).containsExactly("recent", "old but after a recent one");
        read.release();
        reopen();
        assertThat(log.logStartOffset()).isEqualTo(2);
    }

    @Test
    void shouldKeepEverythingWithoutARetentionLimit() {
        log.updateConfig(withRetention(-1));
        appendRecords(Batches.withTimestamps(1_000, 1, "ancient"));
        assertThat(log.applyRetention(System.currentTimeMillis())).isZero();
    }

    @Test
    void shouldDropLeadingBatchesWhileWhatRemainsIsAtLeastRetentionBytes() {
        for (int i = 0; i < 10; i++) {
            append("0123456789".repeat(10) + i);
        }
        long batchSize = log.sizeInBytes() / 10;
        log.updateConfig(withRetention(-1, batchSize * 3 + batchSize / 2));
        // Dropping a batch must leave at least retention.bytes: 4 of the 10 same-sized batches stay.
        assertThat(log.applyRetention(System.currentTimeMillis())).isEqualTo(6);
        assertThat(log.sizeInBytes()).isEqualTo(batchSize * 4);
        reopen();
        assertThat(log.logStartOffset()).isEqualTo(6);
        assertThat(log.sizeInBytes()).isEqualTo(batchSize * 4);
    }

    @Test
    void shouldKeepEveryBatchAppendedWhileATruncationRunsAndCountItsBytes() throws Exception {
        // A truncation counts the bytes it drops outside the partition's lock (a long walk here: 5,000 batches):
        // batches appended meanwhile must stay readable, indexed, and counted in the size.
        for (int i = 0; i < 5_000; i++) {
            append("old" + String.format("%05d", i));
        }
        long batchSize = log.sizeInBytes() / 5_000;
        long target = log.logEndOffset();
        int appended = 500;
        java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(1);
        Thread writer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < appended; i++) {
                append("new" + String.format("%05d", i));
                writing.countDown();
            }
        });
        writing.await();
        log.truncateBefore(target);
        writer.join();
        assertThat(log.logStartOffset()).isEqualTo(target);
        assertThat(log.logEndOffset()).isEqualTo(target + appended);
        assertThat(log.sizeInBytes()).as("the size counts exactly the batches kept").isEqualTo(appended * batchSize);
        for (long offset = target; offset < target + appended; offset++) {
            PartitionRead read = log.read(offset, 1, true);
            assertThat(Batches.values(toMemory(read))).as("offset %d", offset)
                    .containsExactly("new" + String.format("%05d", offset - target));
            read.release();
        }
        reopen();
        assertThat(log.logStartOffset()).isEqualTo(target);
        assertThat(log.sizeInBytes()).isEqualTo(appended * batchSize);
    }

    private static LogConfig withRetention(long retentionMs) {
        return withRetention(retentionMs, -1);
    }

    private static LogConfig withRetention(long retentionMs, long retentionBytes) {
        LogConfig d = LogConfig.defaults();
        return new LogConfig(d.maxMessageBytes(), d.logAppendTime(), d.syncBeforeAck(), d.fsyncSchedule(),
                d.flushEveryMessages(), d.timestampBeforeMaxMs(), d.timestampAfterMaxMs(), retentionMs, retentionBytes,
                d.cleanup());
    }

    private AppendResult append(String... values) {
        return appendRecords(Batches.of(values));
    }

    private AppendResult appendRecords(MemoryRecords records) {
        BatchValidation v = BatchValidator.validate(Batches.copyOf(records), (short) 9, LogConfig.DEFAULT_MAX_MESSAGE_BYTES);
        ByteBuffer batch = ((BatchValidation.Valid) v).batch();
        AppendResult result = log.append(batch, System.currentTimeMillis());
        assertThat(result.error()).isEqualTo(Errors.NONE);
        return result;
    }

    private void reopen() {
        engine.close();
        engine = Walrus.open(dir);
        log = PartitionLog.open(engine, TP, ENGINE_TOPIC, CONFIG);
    }

    private static MemoryRecords toMemory(PartitionRead read) {
        EntryRecords entries = (EntryRecords) read.records();
        ByteBuffer joined = ByteBuffer.allocate(entries.sizeInBytes());
        entries.batches().forEach(b -> joined.put(b.duplicate()));
        return MemoryRecords.readableRecords(joined.flip());
    }
}
