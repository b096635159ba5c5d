package dev.walrus.kafka.log;

import java.util.Arrays;

/**
 * A sparse index from Kafka offset to engine position for one partition: one entry per
 * {@value #INDEX_INTERVAL_BYTES} bytes of batches or so (Kafka's {@code index.interval.bytes}), always one for the
 * first batch. A lookup lands on an indexed batch at or before the target, and the caller scans batch headers
 * forward from there (at most about one interval of bytes).
 *
 * <p>Each entry also carries the largest batch timestamp before it, which is non-decreasing, so a search by
 * timestamp can skip every interval whose batches are all older than the target.
 *
 * <p>Threading: one writer (the partition's appender, under its lock), many readers; methods are synchronized, and
 * short.
 */
final class OffsetIndex {

    static final int INDEX_INTERVAL_BYTES = 4096;

    private long[] baseOffsets = new long[16];
    private long[] positions = new long[16];
    private long[] maxTimestampBefore = new long[16];
    private int size;
    private long bytesSinceLastEntry;
    private long maxTimestampSoFar = -1;

    /** Notes an appended batch (in offset order). */
    synchronized void onBatch(long baseOffset, long position, int sizeInBytes, long batchMaxTimestamp) {
        if (size == 0 || bytesSinceLastEntry >= INDEX_INTERVAL_BYTES) {
            if (size == baseOffsets.length) {
                baseOffsets = Arrays.copyOf(baseOffsets, size * 2);
                positions = Arrays.copyOf(positions, size * 2);
                maxTimestampBefore = Arrays.copyOf(maxTimestampBefore, size * 2);
            }
            baseOffsets[size] = baseOffset;
            positions[size] = position;
            maxTimestampBefore[size] = maxTimestampSoFar;
            size++;
            bytesSinceLastEntry = 0;
        }
        bytesSinceLastEntry += sizeInBytes;
        maxTimestampSoFar = Math.max(maxTimestampSoFar, batchMaxTimestamp);
    }

    /** The position of the last indexed batch whose base offset is at most {@code offset}, or -1 if none. */
    synchronized long floorPosition(long offset) {
        int i = floorIndex(baseOffsets, size, offset);
        return i < 0 ? (size == 0 ? -1 : positions[0]) : positions[i];
    }

    /**
     * Where to start scanning for the first batch whose max timestamp is at least {@code timestamp}: the last indexed
     * batch before which every batch is older than the target.
     */
    synchronized long timestampScanStart(long timestamp) {
        if (size == 0) {
            return -1;
        }
        int lo = 0;
        int hi = size - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (maxTimestampBefore[mid] < timestamp) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return positions[lo];
    }

    synchronized long maxTimestamp() {
        return maxTimestampSoFar;
    }

    /** Drops the entries before a new first batch, which becomes the first entry. */
    synchronized void truncateBefore(long firstBaseOffset, long firstPosition) {
        int i = floorIndex(baseOffsets, size, firstBaseOffset);
        int keepFrom = i < 0 ? 0 : (baseOffsets[i] == firstBaseOffset ? i : i + 1);
        int kept = size - keepFrom;
        long[] o = new long[Math.max(16, kept + 1)];
        long[] p = new long[o.length];
        long[] t = new long[o.length];
        o[0] = firstBaseOffset;
        p[0] = firstPosition;
        t[0] = -1;
        int n = 1;
        for (int j = keepFrom; j < size; j++) {
            if (baseOffsets[j] > firstBaseOffset) {
                o[n] = baseOffsets[j];
                p[n] = positions[j];
                t[n] = maxTimestampBefore[j];
                n++;
            }
        }
        baseOffsets = o;
        positions = p;
        maxTimestampBefore = t;
        size = n;
    }

    synchronized void clear() {
        size = 0;
        bytesSinceLastEntry = 0;
    }

    synchronized int entries() {
        return size;
    }

    private static int floorIndex(long[] sorted, int size, long key) {
        int i = Arrays.binarySearch(sorted, 0, size, key);
        return i >= 0 ? i : -i - 2;
    }
}
