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
    void shouldAcceptSoundCompressedBatches() {
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

    @Test
    void shouldAcceptEveryShapeOfSoundRecord() {
        // null keys and values, empty ones, headers with null values, multi-byte varints (a 300-byte value), 200 records
        java.util.List<SimpleRecord> records = new java.util.ArrayList<>();
        records.add(new SimpleRecord(1L, (byte[]) null, (byte[]) null));
        records.add(new SimpleRecord(0L, new byte[0], new byte[0])); // before the first: a negative delta
        records.add(new SimpleRecord(Long.MAX_VALUE / 2, "k".getBytes(), "v".repeat(300).getBytes(),
                new org.apache.kafka.common.header.Header[] {
                    new org.apache.kafka.common.header.internals.RecordHeader("h1", "x".getBytes()),
                    new org.apache.kafka.common.header.internals.RecordHeader("h2", null)}));
        for (int i = 0; i < 200; i++) {
            records.add(new SimpleRecord(i, ("k" + i).getBytes(), ("value-" + i).getBytes()));
        }
        for (Compression c : java.util.List.of(Compression.NONE, Compression.gzip().build(), Compression.lz4().build(),
                Compression.zstd().build(), Compression.snappy().build())) {
            MemoryRecords batch = MemoryRecords.withRecords(c, records.toArray(SimpleRecord[]::new));
            assertThat(BatchValidator.validate(batch.buffer(), V9, MAX)).as(c.type().name)
                    .isInstanceOf(BatchValidation.Valid.class);
        }
    }

    @Test
    void shouldRejectRecordsThatDoNotDecodeAsTheHeaderSaysThoughTheCrcMatches() {
        ByteBuffer fewer = Batches.copyOf(Batches.of("a", "b"));
        fewer.putInt(RecordBatchHeader.RECORDS_COUNT_OFFSET, 3).putInt(RecordBatchHeader.LAST_OFFSET_DELTA_OFFSET, 2);
        assertError(resealed(fewer), V9, MAX, Errors.INVALID_RECORD);

        ByteBuffer sound = Batches.copyOf(Batches.of("a", "b"));
        ByteBuffer trailing = ByteBuffer.allocate(sound.remaining() + 3).put(sound).put(new byte[] {9, 9, 9}).flip();
        assertError(resealed(trailing), V9, MAX, Errors.INVALID_RECORD);

        ByteBuffer cut = Batches.copyOf(Batches.of("a", "bbbbbbbb"));
        assertError(resealed(cut.limit(cut.limit() - 2).slice()), V9, MAX, Errors.INVALID_RECORD);

        ByteBuffer negativeHeaderCount = Batches.copyOf(Batches.of("a"));
        int last = negativeHeaderCount.limit() - 1; // the record's header count: 0, as zig-zag -1 is 1
        negativeHeaderCount.put(last, (byte) 1);
        assertError(resealed(negativeHeaderCount), V9, MAX, Errors.INVALID_RECORD);

        ByteBuffer endlessVarint = Batches.copyOf(Batches.of("a"));
        endlessVarint.put(RecordBatchHeader.HEADER_SIZE, (byte) 0x80); // the length varint never ends within the record
        for (int i = RecordBatchHeader.HEADER_SIZE + 1; i < endlessVarint.limit(); i++) {
            endlessVarint.put(i, (byte) 0xFF);
        }
        assertError(resealed(endlessVarint), V9, MAX, Errors.INVALID_RECORD);

        ByteBuffer gzipFewer = Batches.copyOf(Batches.of(Compression.gzip().build(), "x", "y"));
        gzipFewer.putInt(RecordBatchHeader.RECORDS_COUNT_OFFSET, 3).putInt(RecordBatchHeader.LAST_OFFSET_DELTA_OFFSET, 2);
        assertError(resealed(gzipFewer), V9, MAX, Errors.INVALID_RECORD);
    }

    /** The batch length and CRC made right for the bytes as they are (as a client's encoder would write them). */
    private static ByteBuffer resealed(ByteBuffer batch) {
        batch.putInt(RecordBatchHeader.LENGTH_OFFSET, batch.limit() - RecordBatchHeader.LOG_OVERHEAD);
        batch.putInt(RecordBatchHeader.CRC_OFFSET, (int) BatchValidator.crcOf(batch));
        return batch;
    }

    private static void assertError(ByteBuffer records, short version, int max, Errors expected) {
        BatchValidation result = BatchValidator.validate(records, version, max);
        assertThat(result).isInstanceOfSatisfying(BatchValidation.Invalid.class, invalid -> {
            assertThat(invalid.error()).isEqualTo(expected);
            assertThat(invalid.message()).isNotBlank();
        });
    }
}
