package dev.walrus.kafka.log;

import static dev.walrus.kafka.log.RecordBatchHeader.HEADER_SIZE;

import java.nio.ByteBuffer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.utils.internals.CloseableIterator;
import org.apache.kafka.common.utils.internals.BufferSupplier;

/**
 * Whether a v2 batch's records decode as the header says, as Kafka's leader checks by reading every record before it
 * appends a batch (its answer otherwise: INVALID_RECORD). The CRC cannot tell: a client's encoder that writes wrong
 * records computes its CRC over the wrong bytes. Stored, such a batch would stop every consumer of the partition at
 * its offset.
 *
 * <p>Uncompressed batches are walked in place, field by field, allocating nothing: the produce path's per-record
 * cost is reading about eight varints. Compressed batches are decompressed through kafka-clients' record iterator
 * (without copying keys and values), as Kafka does.
 */
final class RecordWalk {

    /** The most bytes of a varint (int) and of a varlong. */
    private static final int MAX_VARINT_BYTES = 5;
    private static final int MAX_VARLONG_BYTES = 10;

    private RecordWalk() {}

    /**
     * Why the records of {@code batch} (its header already checked: magic 2, CRC, {@code count} positive) do not decode
     * as {@code count} records filling the batch exactly; null if they do.
     */
    static String problem(ByteBuffer batch, int count, boolean compressed) {
        return compressed ? compressedProblem(batch, count) : uncompressedProblem(batch, count);
    }

    /** Kafka's {@code DefaultRecord.readFrom}, for each record, then nothing may be left over. */
    private static String uncompressedProblem(ByteBuffer b, int count) {
        int end = b.limit();
        int p = b.position() + HEADER_SIZE;
        for (int i = 0; i < count; i++) {
            if (p >= end) {
                return "Found invalid record structure: the batch holds " + i + " records, its header says " + count;
            }
            long size = readVarint(b, p, end);
            if (size == MALFORMED) {
                return "Found invalid record structure in record " + i;
            }
            int bodyLength = value(size);
            int bodyStart = next(size);
            if (bodyLength < 0 || bodyLength > end - bodyStart) {
                return "Invalid record size: expected " + bodyLength + " bytes of record payload in record " + i
                        + ", but only " + (end - bodyStart) + " bytes remain";
            }
            int bodyEnd = bodyStart + bodyLength;
            int read = walkBody(b, bodyStart, bodyEnd);
            if (read < 0) {
                return "Found invalid record structure in record " + i;
            }
            if (read != bodyEnd) {
                return "Invalid record size: expected to read " + bodyLength + " bytes in record payload of record " + i
                        + ", but instead read " + (read - bodyStart);
            }
            p = bodyEnd;
        }
        if (p != end) {
            return "Incorrect declared batch size, records still remaining in file (" + (end - p) + " bytes after record "
                    + count + ")";
        }
        return null;
    }

    /**
     * The fields of one record body from {@code p} (attributes, timestamp delta, offset delta, key, value, headers),
     * none reaching past {@code end}; the position after the last, or -1 if one is malformed.
     */
    private static int walkBody(ByteBuffer b, int p, int end) {
        if (p >= end) {
            return -1;
        }
        p++; // attributes
        p = skipVarlong(b, p, end); // timestamp delta
        if (p < 0) {
            return -1;
        }
        long offsetDelta = readVarint(b, p, end);
        if (offsetDelta == MALFORMED) {
            return -1;
        }
        p = skipBytes(b, next(offsetDelta), end, true); // key
        if (p < 0) {
            return -1;
        }
        p = skipBytes(b, p, end, true); // value
        if (p < 0) {
            return -1;
        }
        long headers = readVarint(b, p, end);
        if (headers == MALFORMED || value(headers) < 0) {
            return -1;
        }
        p = next(headers);
        for (int h = value(headers); h > 0; h--) {
            p = skipBytes(b, p, end, false); // header key: never null
            if (p < 0) {
                return -1;
            }
            p = skipBytes(b, p, end, true); // header value
            if (p < 0) {
                return -1;
            }
        }
        return p;
    }

    /** A varint length and that many bytes (a negative length: null, if {@code nullable}); -1 if malformed. */
    private static int skipBytes(ByteBuffer b, int p, int end, boolean nullable) {
        long length = readVarint(b, p, end);
        if (length == MALFORMED) {
            return -1;
        }
        int n = value(length);
        int from = next(length);
        if (n < 0) {
            return nullable ? from : -1;
        }
        return n > end - from ? -1 : from + n;
    }

    /** Marks a varint that runs past the end or past five bytes. */
    private static final long MALFORMED = Long.MIN_VALUE;

    /** A zig-zag varint at {@code p}: its value in the high half, the position after it in the low half. */
    private static long readVarint(ByteBuffer b, int p, int end) {
        int raw = 0;
        for (int i = 0; i < MAX_VARINT_BYTES; i++) {
            if (p + i >= end) {
                return MALFORMED;
            }
            byte x = b.get(p + i);
            raw |= (x & 0x7F) << (7 * i);
            if (x >= 0) {
                int value = (raw >>> 1) ^ -(raw & 1);
                return ((long) value << 32) | (p + i + 1);
            }
        }
        return MALFORMED;
    }

    /** The position after a varlong at {@code p}, or -1 if it runs past the end or past ten bytes. */
    private static int skipVarlong(ByteBuffer b, int p, int end) {
        for (int i = 0; i < MAX_VARLONG_BYTES; i++) {
            if (p + i >= end) {
                return -1;
            }
            if (b.get(p + i) >= 0) {
                return p + i + 1;
            }
        }
        return -1;
    }

    private static int value(long varint) {
        return (int) (varint >> 32);
    }

    private static int next(long varint) {
        return (int) varint;
    }

    /** Kafka's own iterator over the decompressed records: it throws on whatever it cannot read. */
    private static String compressedProblem(ByteBuffer batch, int count) {
        try {
            for (MutableRecordBatch b : MemoryRecords.readableRecords(batch.duplicate()).batches()) {
                int read = 0;
                try (CloseableIterator<Record> records = b.skipKeyValueIterator(BufferSupplier.NO_CACHING)) {
                    while (records.hasNext()) {
                        records.next();
                        read++;
                    }
                }
                if (read != count) {
                    return "Found invalid record structure: the batch holds " + read + " records, its header says "
                            + count;
                }
            }
            return null;
        } catch (KafkaException | IllegalArgumentException | IllegalStateException
                 | java.nio.BufferUnderflowException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }
}
