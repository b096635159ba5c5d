package dev.walrus.kafka.group.store;

import dev.walrus.engine.Walrus;
import dev.walrus.kafka.EngineReplay;
import dev.walrus.kafka.group.Group;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The group log on the engine: the internal topic {@value #TOPIC}, one {@link GroupRecords} snapshot appended per
 * change, replayed at open (the last record of a group wins). Appends are not waited for: like Kafka, which writes
 * group metadata to {@code __consumer_offsets} without fsync on a single node, a crash of the machine may lose the
 * last membership change, and members then simply rejoin. A killed process loses nothing (the page cache keeps it).
 *
 * <p>Compaction: when the log holds many more records than live groups, the live snapshots are appended as one
 * all-or-nothing batch and everything before it is truncated.
 */
public final class EngineGroupLog implements GroupLog {

    private static final Logger LOG = LoggerFactory.getLogger(EngineGroupLog.class);
    public static final String TOPIC = "__walrus_groups";
    private static final int COMPACT_MIN_RECORDS = 10_000;

    private final Walrus engine;
    private long recordsSinceCompaction;

    public EngineGroupLog(Walrus engine) {
        this.engine = engine;
    }

    @Override
    public void save(Group group) {
        engine.append(TOPIC, GroupRecords.snapshot(group));
        recordsSinceCompaction++;
    }

    @Override
    public void delete(String groupId) {
        engine.append(TOPIC, GroupRecords.tombstone(groupId));
        recordsSinceCompaction++;
    }

    @Override
    public Map<String, Group> replay() {
        Map<String, Group> groups = new LinkedHashMap<>();
        long records = EngineReplay.forEachEntry(engine, TOPIC, e -> {
            try {
                GroupRecords.Decoded d = GroupRecords.decode(e.bytes());
                if (d.group() == null) {
                    groups.remove(d.groupId());
                } else {
                    groups.put(d.groupId(), d.group());
                }
            } catch (IllegalArgumentException bad) {
                LOG.warn("skipping unreadable group record at position {} of {}: {}", e.position(), TOPIC, bad.getMessage());
            }
        });
        recordsSinceCompaction = records;
        LOG.info("replayed {} group records: {} groups", records, groups.size());
        maybeCompact(groups.values());
        return groups;
    }

    @Override
    public void maybeCompact(Collection<Group> live) {
        if (recordsSinceCompaction < COMPACT_MIN_RECORDS || recordsSinceCompaction < 4L * live.size()) {
            return;
        }
        List<byte[]> snapshots = new ArrayList<>(live.size());
        for (Group g : live) {
            snapshots.add(GroupRecords.snapshot(g));
        }
        long keepFrom = snapshots.isEmpty() ? engine.endPosition(TOPIC) : engine.appendBatch(TOPIC, snapshots);
        engine.truncateBefore(TOPIC, keepFrom);
        LOG.info("compacted {}: {} records down to {}", TOPIC, recordsSinceCompaction, snapshots.size());
        recordsSinceCompaction = snapshots.size();
    }

    @Override
    public void close() {
        // The engine belongs to the broker; nothing of ours to release.
    }
}
