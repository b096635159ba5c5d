package dev.walrus.kafka.group.consumer;

import dev.walrus.kafka.group.classic.ClassicGroup;

import java.util.Set;

/**
 * Online migration between the classic and the consumer protocol (KIP-848, {@code group.consumer.migration.policy}),
 * as the consumer protocol needs it: an upgrade when a consumer-protocol member joins a classic group with members, a
 * downgrade when members leave a consumer group and only classic members remain. Runs on the group thread.
 */
public interface ProtocolMigration {

    /**
     * The consumer group a classic group with members becomes; nothing changes until {@link #replace} (the request
     * that asked for it may still be refused).
     *
     * @throws dev.walrus.kafka.group.GroupException GROUP_ID_NOT_FOUND with Kafka's message when the policy or the
     *     group forbids it
     */
    ConsumerGroup upgrade(ClassicGroup group);

    /** The upgraded group takes the classic group's place; the classic members' pending requests are answered. */
    void replace(ClassicGroup group, ConsumerGroup upgraded);

    /**
     * If the group, without the leaving members, has only classic members and may be downgraded, turns it into a
     * classic group that rebalances at once (the leaving members are not part of it) and returns true; otherwise
     * changes nothing and returns false.
     */
    boolean downgradeWithout(ConsumerGroup group, Set<String> leavingMemberIds);

    /**
     * A classic static member has just replaced the group's last consumer-protocol member (same instance id): if the
     * group may be downgraded, turns it into a classic group, rebalancing only if {@code rebalance} (its target is
     * stale), and returns true; otherwise changes nothing and returns false.
     */
    boolean downgradeAfterStaticReplacement(ConsumerGroup group, boolean rebalance);

    /** No migration at all (tests, or a coordinator without the classic protocol). */
    ProtocolMigration NONE = new ProtocolMigration() {
        @Override
        public ConsumerGroup upgrade(ClassicGroup group) {
            throw new dev.walrus.kafka.group.GroupException(org.apache.kafka.common.protocol.Errors.GROUP_ID_NOT_FOUND,
                    "Group " + group.groupId() + " is not a consumer group.");
        }

        @Override
        public void replace(ClassicGroup group, ConsumerGroup upgraded) {
            throw new IllegalStateException("no migration");
        }

        @Override
        public boolean downgradeWithout(ConsumerGroup group, Set<String> leavingMemberIds) {
            return false;
        }

        @Override
        public boolean downgradeAfterStaticReplacement(ConsumerGroup group, boolean rebalance) {
            return false;
        }
    };
}
