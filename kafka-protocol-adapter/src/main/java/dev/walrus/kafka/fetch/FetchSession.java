package dev.walrus.kafka.fetch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One incremental fetch session (KIP-227): the partitions a fetcher follows with their positions, and what the last
 * response told it of each (high watermark, log start offset), so an incremental response carries only partitions
 * with something new.
 *
 * <p>Threading: guarded by this object's monitor (taken by {@link FetchSessionCache} and {@link FetchContext}).
 */
final class FetchSession {

    static final class Cached {
        FetchPosition position;
        long highWatermark = -1;
        long lastStableOffset = -1;
        long logStartOffset = -1;

        Cached(FetchPosition position) {
            this.position = position;
        }
    }

    final int id;
    final boolean usesTopicIds;
    /** Iteration order is the order partitions are read in; a partition that returned records moves to the end. */
    final LinkedHashMap<FetchPartitionKey, Cached> partitions = new LinkedHashMap<>();
    int epoch;
    long lastUsedMs;

    FetchSession(int id, boolean usesTopicIds, int epoch, long nowMs) {
        this.id = id;
        this.usesTopicIds = usesTopicIds;
        this.epoch = epoch;
        this.lastUsedMs = nowMs;
    }

    /** Applies an incremental request: added and updated partitions, then forgotten ones. */
    void update(Map<FetchPartitionKey, FetchPosition> changes, List<FetchPartitionKey> forgotten) {
        changes.forEach((key, position) -> {
            Cached cached = partitions.get(key);
            if (cached == null) {
                partitions.put(key, new Cached(position));
            } else {
                cached.position = position;
            }
        });
        forgotten.forEach(partitions::remove);
    }
}
