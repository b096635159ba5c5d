package dev.walrus.kafka.testing;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Record batches as kafka-clients builds them, and their contents read back. */
public final class Batches {

    private Batches() {}

    public static MemoryRecords of(String... values) {
        return of(Compression.NONE, values);
    }

    public static MemoryRecords of(Compression compression, String... values) {
        return MemoryRecords.withRecords(compression, simple(System.currentTimeMillis(), values));
    }

    public static MemoryRecords withTimestamps(long firstTimestamp, long step, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(firstTimestamp + i * step, null, bytes(values[i]));
        }
        return MemoryRecords.withRecords(Compression.NONE, records);
    }

    public static MemoryRecords idempotent(long producerId, short epoch, int baseSequence, String... values) {
        return MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, epoch, baseSequence,
                simple(System.currentTimeMillis(), values));
    }

    /** A copy of the batch bytes with one byte changed inside the CRC-covered range. */
    public static MemoryRecords corrupted(MemoryRecords records) {
        ByteBuffer copy = copyOf(records);
        int at = copy.limit() - 1;
        copy.put(at, (byte) (copy.get(at) ^ 0x5A));
        return MemoryRecords.readableRecords(copy);
    }

    public static ByteBuffer copyOf(MemoryRecords records) {
        ByteBuffer source = records.buffer().duplicate();
        ByteBuffer copy = ByteBuffer.allocate(source.remaining());
        copy.put(source).flip();
        return copy;
    }

    /** Every record value, in order, of every batch. */
    public static List<String> values(org.apache.kafka.common.record.internal.BaseRecords records) {
        List<String> values = new ArrayList<>();
        for (RecordBatch batch : ((MemoryRecords) records).batches()) {
            for (Record r : batch) {
                values.add(r.value() == null ? null : StandardCharsets.UTF_8.decode(r.value()).toString());
            }
        }
        return values;
    }

    /** Every value of the data records, in order, as a consumer sees them: transaction markers left out. */
    public static List<String> dataValues(org.apache.kafka.common.record.internal.BaseRecords records) {
        List<String> values = new ArrayList<>();
        for (RecordBatch batch : ((MemoryRecords) records).batches()) {
            if (batch.isControlBatch()) {
                continue;
            }
            for (Record r : batch) {
                values.add(r.value() == null ? null : StandardCharsets.UTF_8.decode(r.value()).toString());
            }
        }
        return values;
    }

    /** Every record offset, in order. */
    public static List<Long> offsets(org.apache.kafka.common.record.internal.BaseRecords records) {
        List<Long> offsets = new ArrayList<>();
        for (RecordBatch batch : ((MemoryRecords) records).batches()) {
            for (Record r : batch) {
                offsets.add(r.offset());
            }
        }
        return offsets;
    }

    private static SimpleRecord[] simple(long timestamp, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(timestamp, bytes("k" + i), bytes(values[i]));
        }
        return records;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
