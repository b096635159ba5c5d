package dev.walrus.kafka.group.offsets;

import dev.walrus.kafka.group.Group;
import dev.walrus.kafka.group.classic.ClassicGroup;
import dev.walrus.kafka.group.store.GroupLog;

import java.util.Collection;
import java.util.Map;

/**
 * The group log, with each saved classic group also recorded in {@code __consumer_offsets} as Kafka's
 * {@code GroupMetadata} record. The classic protocol saves a group where Kafka's coordinator writes that record: when
 * the leader's SyncGroup completes a generation, when a generation turns out empty, and when a static member rejoins
 * a stable group. The group log ({@code delegate}) stays what a restart replays; the record is for readers of the
 * topic and, like Kafka's, not waited for.
 *
 * <p>Consumer-protocol (KIP-848) and streams groups are not recorded: Kafka writes a dozen record types for them
 * (group, member, target assignment, topology) that nothing here produces.
 */
public final class OffsetsTopicGroupLog implements GroupLog {

    private final GroupLog delegate;
    private final CommittedOffsets offsets;

    public OffsetsTopicGroupLog(GroupLog delegate, CommittedOffsets offsets) {
        this.delegate = delegate;
        this.offsets = offsets;
    }

    @Override
    public void save(Group group) {
        delegate.save(group);
        if (group instanceof ClassicGroup classic) {
            offsets.recordGroupMetadata(classic.groupId(), GroupMetadataRecords.key(classic.groupId()),
                    GroupMetadataRecords.value(classic));
        }
    }

    @Override
    public void delete(String groupId) {
        delegate.delete(groupId); // the tombstone follows the offsets' (CommittedOffsets.deleteGroup), as in Kafka
    }

    @Override
    public void maybeCompact(Collection<Group> live) {
        delegate.maybeCompact(live);
    }

    @Override
    public Map<String, Group> replay() {
        return delegate.replay();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
