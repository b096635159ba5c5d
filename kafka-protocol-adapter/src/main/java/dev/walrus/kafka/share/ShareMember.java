package dev.walrus.kafka.share;

import dev.walrus.kafka.group.MemberTimer;
import org.apache.kafka.common.Uuid;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One member of a share group (KIP-932): a share consumer, known by the member id it made for itself. A share member
 * holds its assignment at once: share groups have no revocation step, as partitions are shared, not owned.
 * Group thread only.
 */
public final class ShareMember {

    /** ShareGroupHeartbeat's member epoch to leave the group. */
    public static final int LEAVE_GROUP_MEMBER_EPOCH = -1;

    private final String memberId;
    int memberEpoch;
    /** The epoch before the last bump: a heartbeat whose answer was lost may still carry it (as Kafka accepts). */
    int previousMemberEpoch;
    String rackId;
    String clientId = "";
    String clientHost = "";
    List<String> subscribedTopicNames = List.of();
    Map<Uuid, Set<Integer>> assigned = new HashMap<>();
    long sessionDeadlineMs;
    /** The member's pending session check. */
    final MemberTimer timer = new MemberTimer();

    public ShareMember(String memberId) {
        this.memberId = memberId;
    }

    public String memberId() {
        return memberId;
    }

    public int memberEpoch() {
        return memberEpoch;
    }
}
