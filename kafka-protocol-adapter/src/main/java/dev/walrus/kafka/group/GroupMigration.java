package dev.walrus.kafka.group;

import dev.walrus.kafka.group.classic.ClassicGroup;
import dev.walrus.kafka.group.classic.ClassicGroupProtocol;
import dev.walrus.kafka.group.consumer.ConsumerGroup;
import dev.walrus.kafka.group.consumer.GroupConversion;
import dev.walrus.kafka.group.consumer.ProtocolMigration;
import dev.walrus.kafka.group.store.GroupLog;
import dev.walrus.kafka.metadata.Topics;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;

/**
 * The KIP-848 online migration between the classic and the consumer protocol, under
 * {@code group.consumer.migration.policy}, with Kafka 4.4's rules: a classic group with members is upgraded when a
 * consumer-protocol member joins it, provided the policy allows upgrades, its members use the {@code consumer}
 * protocol type and it is no larger than {@code group.consumer.max.size}; a consumer group is downgraded when members
 * leave and only classic members remain, provided the policy allows downgrades and they are no more than
 * {@code group.max.size}. Committed offsets are the group's, not the protocol's: they stay as they are. The converted
 * group is saved in the group log in its new form at once.
 */
final class GroupMigration implements ProtocolMigration {

    private static final Logger LOG = LoggerFactory.getLogger(GroupMigration.class);

    private final Map<String, Group> groups;
    private final GroupSettings settings;
    private final GroupLog log;
    private final Topics topics;
    private final ClassicGroupProtocol classic;

    GroupMigration(Map<String, Group> groups, GroupSettings settings, GroupLog log, Topics topics, ClassicGroupProtocol classic) {
        this.groups = groups;
        this.settings = settings;
        this.log = log;
        this.topics = topics;
        this.classic = classic;
    }

    @Override
    public ConsumerGroup upgrade(ClassicGroup group) {
        String id = group.groupId();
        if (!settings.migrationPolicy().upgradeEnabled()) {
            throw refused("Cannot upgrade classic group " + id + " to consumer group because online upgrade is disabled.");
        }
        if (!"consumer".equals(group.protocolTypeOrNull())) {
            throw refused("Cannot upgrade classic group " + id
                    + " to consumer group because the group does not use the consumer embedded protocol.");
        }
        if (group.members().size() > settings.consumerMaxGroupSize()) {
            throw refused("Cannot upgrade classic group " + id
                    + " to consumer group because the group size exceeds the consumer group maximum size.");
        }
        ConsumerGroup upgraded;
        try {
            upgraded = GroupConversion.fromClassic(group, topics);
        } catch (IllegalArgumentException e) {
            LOG.warn("group {}: cannot upgrade to a consumer group: {}", id, e.getMessage());
            throw refused(e.getMessage().startsWith("userData")
                    ? "Cannot upgrade classic group " + id + " to consumer group because an unsupported custom assignor is in use. "
                        + "Please refer to the documentation or switch to a default assignor before re-attempting the upgrade."
                    : "Cannot upgrade classic group " + id + " to consumer group because the embedded consumer protocol is malformed.");
        }
        return upgraded;
    }

    @Override
    public void replace(ClassicGroup group, ConsumerGroup upgraded) {
        classic.releaseForUpgrade(group);
        groups.put(group.groupId(), upgraded);
        LOG.info("group {}: converted the classic group (generation {}, {} members) to a consumer group", group.groupId(),
                group.generationId(), group.members().size());
    }

    @Override
    public boolean downgradeWithout(ConsumerGroup group, Set<String> leavingMemberIds) {
        if (!group.allMembersUseClassicProtocolExcept(leavingMemberIds)) {
            return false;
        }
        int remaining = 0;
        for (var m : group.members()) {
            if (!leavingMemberIds.contains(m.memberId())) {
                remaining++;
            }
        }
        if (remaining == 0) {
            return false; // an empty consumer group stays one until a classic member joins it
        }
        if (!settings.migrationPolicy().downgradeEnabled()) {
            LOG.info("group {}: cannot downgrade to a classic group because the online downgrade is disabled", group.groupId());
            return false;
        }
        if (remaining > settings.maxGroupSize()) {
            LOG.info("group {}: cannot downgrade to a classic group because its size is greater than group.max.size", group.groupId());
            return false;
        }
        downgrade(group, leavingMemberIds, "Downgrade group " + group.groupId() + " from consumer to classic for member leaving.");
        return true;
    }

    @Override
    public boolean downgradeAfterStaticReplacement(ConsumerGroup group, boolean rebalance) {
        if (!group.allMembersUseClassicProtocolExcept(Set.of()) || !settings.migrationPolicy().downgradeEnabled()
                || group.members().size() > settings.maxGroupSize()) {
            return false;
        }
        downgrade(group, Set.of(), rebalance
                ? "Downgrade group " + group.groupId() + " from consumer to classic with stale assignment." : null);
        return true;
    }

    /** Replaces the consumer group by its classic form, saved at once; rebalances when there is a reason. */
    private void downgrade(ConsumerGroup group, Set<String> leavingMemberIds, String rebalanceReason) {
        ClassicGroup downgraded = GroupConversion.toClassic(group, leavingMemberIds, topics);
        groups.put(group.groupId(), downgraded);
        log.save(downgraded);
        classic.adoptDowngraded(downgraded, rebalanceReason);
        LOG.info("group {}: converted the consumer group (epoch {}) to a classic group", group.groupId(), group.groupEpoch());
    }

    private static GroupException refused(String message) {
        return new GroupException(Errors.GROUP_ID_NOT_FOUND, message);
    }
}
