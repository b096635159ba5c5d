package dev.walrus.kafka.log;

import dev.walrus.kafka.testing.Batches;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class BatchValidatorTest {

    private static final short V9 = 9;
    private static final int MAX = LogConfig.DEFAULT_MAX_MESSAGE_BYTES;

    @Test
    void shouldAcceptAWellFormedBatch() {
        MemoryRecords records = Batches.of("a", "b", "c");
        BatchValidation result = BatchValidator.validate(records.buffer(), V9, MAX);
        assertThat(result).isInstanceOf(BatchValidation.Valid.class);
        assertThat(((BatchValidation.Valid) result).batch().remaining()).isEqualTo(records.sizeInBytes());
    }

    @Test
    void shouldAcceptCompressedBatchesWithoutDecodingThem() {
        BatchValidation result = BatchValidator.validate(Batches.of(Compression.gzip().build(), "x", "y").buffer(), V9, MAX);
        assertThat(result).isInstanceOf(BatchValidation.Valid.class);
    }

    @Test
    void shouldRejectACorruptCrcAsCorruptMessage() {
        assertError(Batches.corrupted(Batches.of("a")).buffer(), V9, MAX, Errors.CORRUPT_MESSAGE);
    }

    @Test
    void shouldRejectMagicOneAsInvalidRecord() {
        MemoryRecords v1 = MemoryRecords.withRecords(RecordBatch.MAGIC_VALUE_V1, Compression.NONE,
                new SimpleRecord(1L, "k".getBytes(), "v".getBytes()));
        assertError(v1.buffer(), V9, MAX, Errors.INVALID_RECORD);
    }

    @Test
    void shouldRejectAnUnknownMagicAsCorruptMessage() {
        ByteBuffer b = Batches.copyOf(Batches.of("a"));
        b.put(RecordBatchHeader.MAGIC_OFFSET, (byte) 7);
        assertError(b, V9, MAX, Errors.CORRUPT_MESSAGE);
    }

    @Test
    void shouldRejectABatchOverMaxMessageBytes() {
        MemoryRecords records = Batches.of("0123456789".repeat(20));
        assertError(records.buffer(), V9, records.sizeInBytes() - 1, Errors.MESSAGE_TOO_LARGE);
    }

    @Test
    void shouldRejectTwoBatchesInOnePartition() {
        MemoryRecords one = Batches.of("a");
        ByteBuffer two = ByteBuffer.allocate(one.sizeInBytes() * 2);
        two.put(one.buffer().duplicate()).put(one.buffer().duplicate()).flip();
        assertError(two, V9, MAX, Errors.INVALID_RECORD);
    }

    @Test
    void shouldRejectATruncatedBatch() {
        ByteBuffer b = Batches.copyOf(Batches.of("abc", "def"));
        b.limit(b.limit() - 3);
        assertError(b, V9, MAX, Errors.INVALID_RECORD);
    }

    @Test
    void shouldRejectMissingRecords() {
        assertError(null, V9, MAX, Errors.INVALID_RECORD);
        assertError(ByteBuffer.allocate(0), V9, MAX, Errors.INVALID_RECORD);
    }

    @Test
    void shouldRejectANonZeroBaseOffset() {
        ByteBuffer b = Batches.copyOf(MemoryRecords.withRecords(5L, Compression.NONE, new SimpleRecord("v".getBytes())));
        assertError(b, V9, MAX, Errors.INVALID_RECORD);
    }

    @Test
    void shouldRejectZstdBeforeVersionSeven() {
        ByteBuffer b = Batches.copyOf(Batches.of("a"));
        // Zstd's compression id with a recomputed CRC: only the produce version is wrong.
        b.putShort(RecordBatchHeader.ATTRIBUTES_OFFSET, (short) 4);
        b.putInt(RecordBatchHeader.CRC_OFFSET, (int) BatchValidator.crcOf(b));
        assertError(b, (short) 6, MAX, Errors.UNSUPPORTED_COMPRESSION_TYPE);
    }

    @Test
    void shouldRejectAnInconsistentRecordCount() {
        ByteBuffer b = Batches.copyOf(Batches.of("a", "b"));
        b.putInt(RecordBatchHeader.RECORDS_COUNT_OFFSET, 3);
        b.putInt(RecordBatchHeader.CRC_OFFSET, (int) BatchValidator.crcOf(b));
        assertError(b, V9, MAX, Errors.INVALID_RECORD);
    }

    @Test
    void shouldStampLogAppendTimeWithAValidCrc() {
        ByteBuffer b = Batches.copyOf(Batches.of("a", "b"));
        BatchValidator.stampLogAppendTime(b, 1_234_567L);
        MutableRecordBatch batch = MemoryRecords.readableRecords(b).batches().iterator().next();
        assertThat(batch.isValid()).isTrue();
        assertThat(batch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(batch.maxTimestamp()).isEqualTo(1_234_567L);
    }

    private static void assertError(ByteBuffer records, short version, int max, Errors expected) {
        BatchValidation result = BatchValidator.validate(records, version, max);
        assertThat(result).isInstanceOfSatisfying(BatchValidation.Invalid.class, invalid -> {
            assertThat(invalid.error()).isEqualTo(expected);
            assertThat(invalid.message()).isNotBlank();
        });
    }
}
