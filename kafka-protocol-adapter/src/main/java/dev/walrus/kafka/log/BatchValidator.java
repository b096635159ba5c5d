package dev.walrus.kafka.log;

import org.apache.kafka.common.protocol.Errors;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import static dev.walrus.kafka.log.RecordBatchHeader.*;

/**
 * Validates the records of one partition in a produce request, reading Kafka's ladder top to bottom (the request
 * validation of {@code ProduceRequest.validateRecords}, then the leader's {@code analyzeAndValidateRecords} and
 * {@code LogValidator.validateBatch}); one error and one message per rung.
 *
 * <p>Behaviour: the CRC32C covers every record byte, the header fields are checked for consistency, and every
 * record is read as Kafka's leader reads it ({@link RecordWalk}: in place for an uncompressed batch, decompressed for
 * a compressed one), so that a batch whose CRC is right but whose records are not reaches no consumer. The batch is
 * then stored as sent.
 */
public final class BatchValidator {

    /** Zstandard needs produce v7 (KIP-110). */
    private static final int ZSTD_ID = 4;
    private static final int MAX_COMPRESSION_ID = 4;
    private static final short ZSTD_MIN_PRODUCE_VERSION = 7;
    /** The smallest size field any message format allows (a v0 record's overhead), checked before the magic. */
    private static final int LEGACY_MIN_RECORD_SIZE = 14;

    private BatchValidator() {}

    /**
     * @param records the partition's records as received (a view into the request; may be null)
     * @param produceVersion the produce request version
     * @param maxMessageBytes the topic's {@code max.message.bytes}
     */
    public static BatchValidation validate(ByteBuffer records, short produceVersion, int maxMessageBytes) {
        if (records == null || records.remaining() < LOG_OVERHEAD) {
            return invalid(Errors.INVALID_RECORD, "Produce requests with version " + produceVersion
                    + " must contain exactly one record batch");
        }
        ByteBuffer b = records.slice();
        int length = length(b);
        if (length < LEGACY_MIN_RECORD_SIZE) {
            return invalid(Errors.CORRUPT_MESSAGE, "Record size " + length + " is less than the minimum record overhead ("
                    + LEGACY_MIN_RECORD_SIZE + ")");
        }
        long size = (long) length + LOG_OVERHEAD;
        if (size > b.remaining()) {
            return invalid(Errors.INVALID_RECORD, "Produce requests with version " + produceVersion
                    + " must contain exactly one record batch; the batch is truncated (" + size + " bytes declared, "
                    + b.remaining() + " present)");
        }
        byte magic = magic(b);
        if (magic < 0 || magic > MAGIC_V2) {
            return invalid(Errors.CORRUPT_MESSAGE, "Invalid magic " + magic + " in record batch");
        }
        if (magic != MAGIC_V2) {
            return invalid(Errors.INVALID_RECORD, "Produce requests with version " + produceVersion
                    + " are only allowed to contain record batches with magic version 2, got " + magic);
        }
        if (length < HEADER_SIZE - LOG_OVERHEAD) {
            return invalid(Errors.CORRUPT_MESSAGE, "Record batch size " + size
                    + " is smaller than the minimum batch overhead " + HEADER_SIZE);
        }
        if (size != b.remaining()) {
            return invalid(Errors.INVALID_RECORD, "Produce requests with version " + produceVersion
                    + " must contain exactly one record batch; " + (b.remaining() - size) + " bytes follow the first");
        }
        b.limit((int) size);
        int compression = compressionId(b);
        if (compression > MAX_COMPRESSION_ID) {
            return invalid(Errors.CORRUPT_MESSAGE, "Unknown compression type id " + compression);
        }
        if (compression == ZSTD_ID && produceVersion < ZSTD_MIN_PRODUCE_VERSION) {
            return invalid(Errors.UNSUPPORTED_COMPRESSION_TYPE, "Produce requests with version " + produceVersion
                    + " cannot use ZStandard compression (needs version 7)");
        }
        if (baseOffset(b) != 0) {
            return invalid(Errors.INVALID_RECORD, "The base offset of a produced record batch must be 0, but it is "
                    + baseOffset(b));
        }
        if (size > maxMessageBytes) {
            return invalid(Errors.MESSAGE_TOO_LARGE, "The record batch of " + size
                    + " bytes exceeds the maximum allowed size of " + maxMessageBytes + " (max.message.bytes)");
        }
        if (crcOf(b) != (b.getInt(CRC_OFFSET) & 0xFFFFFFFFL)) {
            return invalid(Errors.CORRUPT_MESSAGE, "Record batch is corrupt (stored crc = "
                    + (b.getInt(CRC_OFFSET) & 0xFFFFFFFFL) + ", computed crc = " + crcOf(b) + ")");
        }
        int count = recordCount(b);
        if (count <= 0) {
            return invalid(Errors.INVALID_RECORD, "Invalid reported count for record batch: " + count);
        }
        long countFromOffsets = (long) lastOffsetDelta(b) + 1;
        if (countFromOffsets != count) {
            return invalid(Errors.INVALID_RECORD, "Inconsistent batch offset range (last offset delta "
                    + lastOffsetDelta(b) + ") and record count " + count);
        }
        if (isControl(b)) {
            return invalid(Errors.INVALID_RECORD, "Clients are not allowed to write control records");
        }
        String malformed = RecordWalk.problem(b, count, compression != 0);
        if (malformed != null) {
            return invalid(Errors.INVALID_RECORD, malformed);
        }
        if (producerId(b) >= 0 && baseSequence(b) < 0) {
            return invalid(Errors.INVALID_RECORD, "Invalid sequence number " + baseSequence(b)
                    + " in record batch with producer id " + producerId(b));
        }
        return new BatchValidation.Valid(b);
    }

    /**
     * Whether the first batch header of a partition's records cannot even be read: a size below any format's minimum,
     * or an unknown magic. Kafka iterates the first batch of every partition before it handles a produce request
     * (to learn whether it is idempotent or transactional), so such a batch fails the whole request, every partition
     * with CORRUPT_MESSAGE. Returns the reason, or null if the header reads.
     */
    public static String unreadableFirstBatch(ByteBuffer records) {
        if (records == null || records.remaining() < LOG_OVERHEAD) {
            return null;
        }
        int p = records.position();
        int length = records.getInt(p + LENGTH_OFFSET);
        if (length < LEGACY_MIN_RECORD_SIZE) {
            return "Record size " + length + " is less than the minimum record overhead (" + LEGACY_MIN_RECORD_SIZE + ")";
        }
        if (records.remaining() < MAGIC_OFFSET + 1) {
            return null;
        }
        byte magic = records.get(p + MAGIC_OFFSET);
        if (magic < 0 || magic > MAGIC_V2) {
            return "Invalid magic found in record: " + magic;
        }
        return null;
    }

    /**
     * Kafka's CreateTime bounds ({@code message.timestamp.before/after.max.ms}): INVALID_TIMESTAMP if a record lies
     * outside them. The future bound is checked on the header's max timestamp, which is exact; the past bound needs the
     * smallest timestamp, so the records are read only when that bound is set (by default it is not).
     */
    public static BatchValidation.Invalid checkTimestamps(ByteBuffer batch, long nowMs, long beforeMaxMs, long afterMaxMs) {
        long max = maxTimestamp(batch);
        if (afterMaxMs != Long.MAX_VALUE && max > nowMs + afterMaxMs) {
            return timestampOutOfRange(max, nowMs, beforeMaxMs, afterMaxMs);
        }
        if (beforeMaxMs != Long.MAX_VALUE) {
            ByteBuffer copy = ByteBuffer.allocate(batch.remaining()).put(batch.duplicate()).flip();
            for (var b : org.apache.kafka.common.record.internal.MemoryRecords.readableRecords(copy).batches()) {
                for (var r : b) {
                    if (r.timestamp() < nowMs - beforeMaxMs) {
                        return timestampOutOfRange(r.timestamp(), nowMs, beforeMaxMs, afterMaxMs);
                    }
                }
            }
        }
        return null;
    }

    /**
     * Kafka's rule for compacted topics: every record needs a key (the cleaner keeps the last record of each key, and
     * a record without one could never be told apart). Decodes the batch's records, as Kafka's leader does for such
     * topics only.
     *
     * @return the indexes in the batch of the records without a key; empty if every record has one
     */
    public static List<Integer> recordsWithoutKey(ByteBuffer batch) {
        List<Integer> keyless = new ArrayList<>();
        for (var b : org.apache.kafka.common.record.internal.MemoryRecords.readableRecords(batch.duplicate()).batches()) {
            int i = 0;
            for (var r : b) {
                if (!r.hasKey()) {
                    keyless.add(i);
                }
                i++;
            }
        }
        return keyless;
    }

    private static BatchValidation.Invalid timestampOutOfRange(long timestamp, long nowMs, long beforeMaxMs, long afterMaxMs) {
        long low = beforeMaxMs == Long.MAX_VALUE ? Long.MIN_VALUE : nowMs - beforeMaxMs;
        long high = afterMaxMs == Long.MAX_VALUE ? Long.MAX_VALUE : nowMs + afterMaxMs;
        return new BatchValidation.Invalid(Errors.INVALID_TIMESTAMP, "Timestamp " + timestamp
                + " of a record is out of range. The timestamp should be within [" + low + ", " + high + "]");
    }

    /** CRC32C from the attributes to the end of the batch, as the v2 format defines it. */
    static long crcOf(ByteBuffer batch) {
        CRC32C crc = new CRC32C();
        ByteBuffer covered = batch.duplicate();
        covered.position(batch.position() + ATTRIBUTES_OFFSET);
        covered.limit(batch.position() + totalSize(batch));
        crc.update(covered);
        return crc.getValue();
    }

    /**
     * Stamps LogAppendTime into a batch: the timestamp-type attribute and maxTimestamp, which the CRC covers, so the
     * CRC is recomputed (as Kafka does).
     */
    public static void stampLogAppendTime(ByteBuffer batch, long nowMs) {
        int p = batch.position();
        batch.putShort(p + ATTRIBUTES_OFFSET, (short) (attributes(batch) | TIMESTAMP_TYPE_MASK));
        batch.putLong(p + MAX_TIMESTAMP_OFFSET, nowMs);
        batch.putInt(p + CRC_OFFSET, (int) crcOf(batch));
    }

    private static BatchValidation invalid(Errors error, String message) {
        return new BatchValidation.Invalid(error, message);
    }
}
