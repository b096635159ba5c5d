package dev.walrus.kafka.group;

/**
 * What the member rules shared by the heartbeat protocols read of a member: KIP-848's consumer members
 * ({@link dev.walrus.kafka.group.consumer.ConsumerMember}) and KIP-1071's streams members
 * ({@link dev.walrus.kafka.group.streams.StreamsMember}). The rules are on {@link HeartbeatGroup}.
 */
public interface HeartbeatMember {

    /** The epoch a member sends to leave the group for good. */
    int LEAVE_GROUP_MEMBER_EPOCH = -1;
    /** The epoch a static member leaves with when it means to come back within its session (KIP-848, KIP-1071). */
    int LEAVE_GROUP_STATIC_MEMBER_EPOCH = -2;

    String memberId();

    int memberEpoch();

    /** The epoch before the last bump: a member whose answer was lost may still send it. */
    int previousMemberEpoch();

    /** The rebalance timeout the member last sent. */
    int rebalanceTimeoutMs();

    /**
     * How long the member gets for a step of a rebalance (revoke, and for a classic member rejoin or sync) before it
     * is fenced: its rebalance timeout, and never less than 1 ms, so that the deadline lies ahead of now.
     */
    default long rebalanceDeadlineDelayMs() {
        return Math.max(rebalanceTimeoutMs(), 1);
    }
}
