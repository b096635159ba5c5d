package dev.walrus.kafka.log;

import dev.walrus.engine.Walrus;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log cleaner on one partition, on a real engine in a temporary directory, with the clock in the test's hands:
 * each append and each pass gets its time, so segment rolls ({@code segment.ms} 100) and delete horizons
 * ({@code delete.retention.ms} 1000) fall where the test says. What a consumer would read is checked after each pass
 * and after a restart.
 */
class PartitionLogCompactionTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final String ENGINE_TOPIC = "p-test-0";
    private static final LogConfig.Cleanup COMPACT = new LogConfig.Cleanup(false, true, 1L << 30, 100, 1_000, 0.01, 0,
            Long.MAX_VALUE);
    private static final LogConfig CONFIG = LogConfig.defaults().withCleanup(COMPACT);

    @TempDir
    Path dir;
    private Walrus engine;
    private PartitionLog log;
    private LogConfig config = CONFIG;

    @BeforeEach
    void open() {
        engine = Walrus.open(dir);
        log = PartitionLog.open(engine, TP, ENGINE_TOPIC, config);
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void shouldKeepTheLastRecordOfEachKeyAtItsOffsetAcrossARestart() {
        for (int k = 0; k < 5; k++) {
            append(1_000, "k" + k, "v1"); // offsets 0-4
        }
        for (int k = 0; k < 3; k++) {
            append(1_000, "k" + k, "v2"); // 5-7
        }
        append(2_000, "z", "roll"); // 8: rolls the segment, 0-7 become cleanable

        assertThat(log.clean(2_000)).isTrue();

        List<String> expected = List.of("3 k3=v1", "4 k4=v1", "5 k0=v2", "6 k1=v2", "7 k2=v2", "8 z=roll");
        assertThat(readAll()).isEqualTo(expected);
        assertThat(log.logStartOffset()).isZero();
        assertThat(log.logEndOffset()).isEqualTo(9);
        assertThat(log.clean(2_000)).as("nothing left to clean").isFalse();
        assertThat(readFrom(4)).as("a fetch inside the cleaned chain").startsWith("4 k4=v1", "5 k0=v2");
        assertThat(readFrom(8)).as("a fetch past it").containsExactly("8 z=roll");

        reopen();
        assertThat(readAll()).isEqualTo(expected);
        assertThat(log.logStartOffset()).isZero();
        assertThat(log.logEndOffset()).isEqualTo(9);
        assertThat(append(3_000, "k0", "v3").baseOffset()).isEqualTo(9);
        assertThat(engine.topics()).contains(ENGINE_TOPIC + ".c1");
    }

    @Test
    void shouldRewriteTheCleanedChainWhenLaterRecordsSupersedeIt() {
        append(1_000, "a", "1");
        append(1_000, "b", "1");
        append(2_000, "c", "1"); // roll
        assertThat(log.clean(2_000)).isTrue();
        append(2_000, "a", "2"); // 3
        append(3_000, "d", "1"); // 4: roll
        assertThat(log.clean(3_000)).isTrue();

        assertThat(readAll()).containsExactly("1 b=1", "2 c=1", "3 a=2", "4 d=1");
        assertThat(log.cleanedEngineTopic()).hasValue(ENGINE_TOPIC + ".c2");
        assertThat(engine.topics()).as("the previous generation is gone").doesNotContain(ENGINE_TOPIC + ".c1");
        reopen();
        assertThat(readAll()).containsExactly("1 b=1", "2 c=1", "3 a=2", "4 d=1");
    }

    @Test
    void shouldDropATombstoneOnlyAfterItsDeleteHorizon() {
        append(1_000, "k", "v");
        append(1_000, "k", null); // 1: the tombstone
        append(2_000, "z", "1"); // 2: roll
        assertThat(log.clean(2_000)).isTrue(); // the tombstone's delete horizon: 2,000 + 1,000
        assertThat(readAll()).containsExactly("1 k=null", "2 z=1");

        append(2_500, "y", "1"); // 3: roll
        assertThat(log.clean(2_500)).isTrue();
        assertThat(readAll()).as("before the horizon").containsExactly("1 k=null", "2 z=1", "3 y=1");

        append(3_500, "x", "1"); // 4: roll
        assertThat(log.clean(3_500)).isTrue();
        assertThat(readAll()).as("after the horizon").containsExactly("2 z=1", "3 y=1", "4 x=1");
    }

    @Test
    void shouldNotCleanTheActiveSegmentOrWhileTheDirtyRatioIsBelowTheMinimum() {
        append(1_000, "k", "1");
        append(1_000, "k", "2");
        assertThat(log.clean(5_000)).as("everything is in the active segment").isFalse();

        config = CONFIG.withCleanup(new LogConfig.Cleanup(false, true, 1L << 30, 100, 1_000, 0.99, 0, Long.MAX_VALUE));
        log.updateConfig(config);
        append(2_000, "a", "1"); // roll
        assertThat(log.clean(2_000)).isTrue(); // no cleaned part yet: the dirty ratio is 1
        append(2_000, "b", "1");
        append(3_000, "c", "1"); // roll: one dirty batch against two clean ones
        assertThat(log.clean(3_000)).as("dirty ratio below 0.99").isFalse();
        assertThat(readAll()).containsExactly("1 k=2", "2 a=1", "3 b=1", "4 c=1");
    }

    @Test
    void shouldKeepTheLastBatchOfAnIdempotentProducerSoARestartStillKnowsItsSequence() {
        appendBatch(MemoryRecords.withIdempotentRecords(Compression.NONE, 7L, (short) 0, 0, record(1_000, "k", "v1")));
        append(1_000, "k", "v2"); // 1: supersedes the producer's only record
        append(2_000, "z", "1"); // 2: roll
        assertThat(log.clean(2_000)).isTrue();
        assertThat(readAll()).containsExactly("1 k=v2", "2 z=1");

        reopen();
        AppendResult retry = appendBatch(MemoryRecords.withIdempotentRecords(Compression.NONE, 7L, (short) 0, 0,
                record(1_000, "k", "v1")));
        assertThat(retry.baseOffset()).as("a retry of the cleaned batch is still a duplicate").isZero();
        assertThat(log.logEndOffset()).isEqualTo(3);
        AppendResult next = appendBatch(MemoryRecords.withIdempotentRecords(Compression.NONE, 7L, (short) 0, 1,
                record(4_000, "k", "v3")));
        assertThat(next.baseOffset()).isEqualTo(3);
    }

    @Test
    void shouldDropAnAbortedTransactionAndItsMarkerButKeepTheProducersLastMarker() {
        appendBatch(MemoryRecords.withTransactionalRecords(Compression.NONE, 9L, (short) 0, 0,
                record(1_000, "aborted-key", "x")));
        log.appendMarker(9L, (short) 0, false, 1_000); // 1: abort
        append(1_000, "k", "y"); // 2
        appendBatch(MemoryRecords.withTransactionalRecords(Compression.NONE, 9L, (short) 0, 1,
                record(1_000, "c", "z1"))); // 3
        log.appendMarker(9L, (short) 0, true, 1_000); // 4: commit, the producer's last entry
        append(5_000, "z", "1"); // 5: roll
        assertThat(log.clean(5_000)).isTrue(); // the aborted records go; the emptied marker gets its delete horizon
        assertThat(readAll()).as("the data records left").containsExactly("2 k=y", "3 c=z1", "5 z=1");
        assertThat(controlOffsets()).as("the markers stay until the horizon, 5,000 + 1,000").containsExactly(1L, 4L);

        append(7_000, "y", "1"); // 6: roll
        assertThat(log.clean(7_000)).isTrue();
        assertThat(controlOffsets()).as("the emptied transaction's marker went, the last one stayed").containsExactly(4L);
        PartitionRead running = log.read(0, 1 << 20, true, true);
        assertThat(running.abortedTransactions()).as("no aborted transaction left for read_committed to skip")
                .isEmpty();
        running.release();
        reopen();
        assertThat(readAll()).containsExactly("2 k=y", "3 c=z1", "5 z=1", "6 y=1");
        assertThat(controlOffsets()).containsExactly(4L);
        PartitionRead committed = log.read(0, 1 << 20, true, true);
        assertThat(committed.abortedTransactions()).isEmpty();
        committed.release();
    }

    @Test
    void shouldKeepAMarkerWhileItsTransactionHasRecordsOrUntilItsDeleteHorizon() {
        appendBatch(MemoryRecords.withTransactionalRecords(Compression.NONE, 9L, (short) 0, 0,
                record(1_000, "a", "1"))); // 0
        log.appendMarker(9L, (short) 0, true, 1_000); // 1
        appendBatch(MemoryRecords.withTransactionalRecords(Compression.NONE, 9L, (short) 0, 1,
                record(1_000, "a", "2"))); // 2: supersedes the first transaction's only record
        log.appendMarker(9L, (short) 0, true, 1_000); // 3
        append(1_500, "z", "1"); // 4: roll
        assertThat(log.clean(1_500)).isTrue();
        assertThat(controlOffsets()).as("an emptied transaction's marker only gets its delete horizon")
                .containsExactly(1L, 3L);

        append(3_000, "y", "1"); // 5: roll
        assertThat(log.clean(3_000)).isTrue();
        assertThat(controlOffsets()).as("past the horizon the first pass set (1,500 + 1,000): the emptied "
                + "transaction's marker goes, the other stays").containsExactly(3L);
        assertThat(readAll()).containsExactly("2 a=2", "4 z=1", "5 y=1");
    }

    @Test
    void shouldApplyRetentionOnlyWhenThePolicyListsDelete() {
        append(1_000, "a", "1");
        append(2_000, "b", "1"); // roll
        assertThat(log.clean(2_000)).isTrue();
        append(100_000, "c", "1");

        config = LogConfig.defaults().withCleanup(COMPACT);
        config = new LogConfig(config.maxMessageBytes(), false, true, config.fsyncSchedule(), 0,
                config.timestampBeforeMaxMs(), config.timestampAfterMaxMs(), 10_000, -1, COMPACT);
        log.updateConfig(config);
        assertThat(log.applyRetention(100_000)).as("compact only: retention.ms does not apply").isZero();

        LogConfig.Cleanup compactDelete = new LogConfig.Cleanup(true, true, 1L << 30, 100, 1_000, 0.01, 0,
                Long.MAX_VALUE);
        log.updateConfig(config.withCleanup(compactDelete));
        assertThat(log.applyRetention(100_000)).as("compact,delete: the old cleaned batches expire").isEqualTo(2);
        assertThat(readAll()).containsExactly("2 c=1");
        reopen();
        assertThat(log.logStartOffset()).isEqualTo(2);
        assertThat(readAll()).containsExactly("2 c=1");
    }

    @Test
    void shouldMoveTheLogStartInsideAndThenPastTheCleanedChain() {
        for (int i = 0; i < 6; i++) {
            append(1_000, "k" + i, "v"); // 0-5
        }
        append(2_000, "z", "1"); // 6: roll
        assertThat(log.clean(2_000)).isTrue();

        log.truncateBefore(3);
        assertThat(log.logStartOffset()).isEqualTo(3);
        assertThat(readAll()).containsExactly("3 k3=v", "4 k4=v", "5 k5=v", "6 z=1");
        assertThat(log.read(2, 1 << 20, true).error()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
        reopen();
        assertThat(log.logStartOffset()).isEqualTo(3);
        assertThat(readAll()).containsExactly("3 k3=v", "4 k4=v", "5 k5=v", "6 z=1");

        log.truncateBefore(6);
        assertThat(readAll()).containsExactly("6 z=1");
        reopen();
        assertThat(log.logStartOffset()).isEqualTo(6);
        assertThat(readAll()).containsExactly("6 z=1");
    }

    @Test
    void shouldDeleteTheChainOfAPassThatACrashInterrupted() {
        engine.append(ENGINE_TOPIC + ".c1", new byte[] {1, 2, 3}); // what a pass wrote before the crash
        reopen();
        assertThat(engine.topics()).doesNotContain(ENGINE_TOPIC + ".c1");
        append(1_000, "a", "1");
        append(2_000, "b", "1");
        assertThat(log.clean(2_000)).isTrue();
        assertThat(readAll()).containsExactly("0 a=1", "1 b=1");
    }

    @Test
    void shouldServeEveryKeysLastValueToAReaderWhileAppendsAndPassesRun() throws Exception {
        int keys = 50;
        int rounds = 60;
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicInteger passes = new java.util.concurrent.atomic.AtomicInteger();
        Thread cleaner = new Thread(() -> {
            while (!done.get()) {
                try {
                    if (log.clean(Long.MAX_VALUE / 2)) {
                        passes.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }
        });
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                try {
                    // every scan from the start must see strictly increasing offsets, each key's values in order
                    long last = -1;
                    java.util.Map<String, Integer> lastValue = new java.util.HashMap<>();
                    for (String r : readAll()) {
                        long offset = Long.parseLong(r.substring(0, r.indexOf(' ')));
                        assertThat(offset).isGreaterThan(last);
                        last = offset;
                        String key = r.substring(r.indexOf(' ') + 1, r.indexOf('='));
                        int value = Integer.parseInt(r.substring(r.indexOf('=') + 1));
                        Integer before = lastValue.put(key, value);
                        assertThat(before == null || before < value).as("%s after %s", r, before).isTrue();
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }
        });
        cleaner.start();
        reader.start();
        long now = 1_000;
        for (int round = 0; round < rounds; round++) {
            now += 200; // each round rolls the segment: the previous rounds become cleanable
            for (int k = 0; k < keys; k++) {
                append(now, "k" + k, String.valueOf(round));
            }
        }
        append(now + 200, "end", "0"); // rolls the last round's segment
        Thread.sleep(300);
        done.set(true);
        cleaner.join();
        reader.join();
        assertThat(failure.get()).isNull();
        assertThat(passes.get()).isPositive();
        log.clean(Long.MAX_VALUE / 2);
        List<String> expected = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            expected.add(((long) (rounds - 1) * keys + k) + " k" + k + "=" + (rounds - 1));
        }
        expected.add((long) rounds * keys + " end=0");
        assertThat(readAll()).isEqualTo(expected);
        reopen();
        assertThat(readAll()).isEqualTo(expected);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static SimpleRecord record(long timestamp, String key, String value) {
        return new SimpleRecord(timestamp, key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private AppendResult append(long now, String key, String value) {
        AppendResult result = log.append(copy(MemoryRecords.withRecords(Compression.NONE, record(now, key, value))), now);
        assertThat(result.error()).isEqualTo(Errors.NONE);
        return result;
    }

    private AppendResult appendBatch(MemoryRecords records) {
        long now = records.batches().iterator().next().maxTimestamp();
        AppendResult result = log.append(copy(records), now, "txn", (id, pid, epoch, tp) -> Errors.NONE);
        assertThat(result.error()).isEqualTo(Errors.NONE);
        return result;
    }

    private static ByteBuffer copy(MemoryRecords records) {
        ByteBuffer b = ByteBuffer.allocate(records.sizeInBytes());
        b.put(records.buffer().duplicate()).flip();
        return b;
    }

    private void reopen() {
        engine.close();
        engine = Walrus.open(dir);
        log = PartitionLog.open(engine, TP, ENGINE_TOPIC, config);
    }

    private List<String> readAll() {
        return readFrom(log.logStartOffset());
    }

    /** Every data record from {@code offset} to the end, as a consumer gets them: "offset key=value". */
    private List<String> readFrom(long offset) {
        List<String> records = new ArrayList<>();
        long next = offset;
        while (next < log.logEndOffset()) {
            PartitionRead read = log.read(next, 1 << 20, true);
            assertThat(read.error()).isEqualTo(Errors.NONE);
            assertThat(read.records()).as("a read below the log end finds a batch").isInstanceOf(EntryRecords.class);
            EntryRecords entries = (EntryRecords) read.records();
            ByteBuffer joined = ByteBuffer.allocate(entries.sizeInBytes());
            entries.batches().forEach(b -> joined.put(b.duplicate()));
            read.release();
            for (MutableRecordBatch batch : MemoryRecords.readableRecords(joined.flip()).batches()) {
                next = batch.nextOffset();
                if (batch.isControlBatch()) {
                    continue;
                }
                for (Record r : batch) {
                    if (r.offset() >= offset) {
                        records.add(r.offset() + " " + string(r.key()) + "=" + string(r.value()));
                    }
                }
            }
        }
        return records;
    }

    /** The offsets of the transaction markers from the log start on. */
    private List<Long> controlOffsets() {
        List<Long> offsets = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            PartitionRead read = log.read(next, 1 << 20, true);
            EntryRecords entries = (EntryRecords) read.records();
            ByteBuffer joined = ByteBuffer.allocate(entries.sizeInBytes());
            entries.batches().forEach(b -> joined.put(b.duplicate()));
            read.release();
            for (MutableRecordBatch batch : MemoryRecords.readableRecords(joined.flip()).batches()) {
                next = batch.nextOffset();
                if (batch.isControlBatch() && batch.iterator().hasNext()) {
                    offsets.add(batch.baseOffset());
                }
            }
        }
        return offsets;
    }

    private static String string(ByteBuffer b) {
        if (b == null) {
            return "null";
        }
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
