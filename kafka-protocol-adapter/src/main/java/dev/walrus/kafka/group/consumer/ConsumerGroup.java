package dev.walrus.kafka.group.consumer;

import dev.walrus.kafka.group.HeartbeatGroup;
import dev.walrus.kafka.group.OffsetExpiration;
import org.apache.kafka.common.Uuid;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A consumer-protocol group (KIP-848): the group epoch (bumped by every membership or subscription change), the
 * target assignment computed for an epoch, and the members reconciling towards it.
 *
 * <p>Owned by the group thread. The rules live in {@link ConsumerGroupProtocol}.
 */
public final class ConsumerGroup implements HeartbeatGroup<ConsumerMember> {

    private final String groupId;
    int groupEpoch;
    int assignmentEpoch;
    final Map<String, ConsumerMember> members = new LinkedHashMap<>();
    final Map<String, String> staticMembers = new HashMap<>();
    /** The target assignment of {@link #assignmentEpoch}, by member id. */
    final Map<String, Map<Uuid, Set<Integer>>> targetAssignment = new HashMap<>();
    /** What the subscribed topics looked like when the group epoch was last bumped (names, ids, partition counts). */
    String subscriptionSignature = "";
    boolean dead;

    public ConsumerGroup(String groupId) {
        this.groupId = groupId;
    }

    @Override public String groupId() { return groupId; }

    @Override public String type() { return "consumer"; }

    @Override public String stateName() { return state().kafkaName(); }

    @Override public String protocolType() { return "consumer"; }

    @Override public boolean isEmpty() { return members.isEmpty(); }

    public int groupEpoch() { return groupEpoch; }

    public int assignmentEpoch() { return assignmentEpoch; }

    public Collection<ConsumerMember> members() { return members.values(); }

    @Override public ConsumerMember member(String memberId) { return members.get(memberId); }

    @Override public String ownedKind() { return "partitions"; }

    public Map<Uuid, Set<Integer>> targetOf(String memberId) {
        return targetAssignment.getOrDefault(memberId, Map.of());
    }

    public String subscriptionSignature() { return subscriptionSignature; }

    public ConsumerGroupState state() {
        if (dead) {
            return ConsumerGroupState.DEAD;
        }
        if (members.isEmpty()) {
            return ConsumerGroupState.EMPTY;
        }
        if (groupEpoch > assignmentEpoch) {
            return ConsumerGroupState.ASSIGNING;
        }
        for (ConsumerMember m : members.values()) {
            if (m.memberEpoch != assignmentEpoch || m.state != MemberState.STABLE) {
                return ConsumerGroupState.RECONCILING;
            }
        }
        return ConsumerGroupState.STABLE;
    }

    void put(ConsumerMember member) {
        members.put(member.memberId(), member);
        if (member.instanceId != null) {
            staticMembers.put(member.instanceId, member.memberId());
        }
    }

    void remove(String memberId) {
        ConsumerMember m = members.remove(memberId);
        if (m != null && m.instanceId != null && memberId.equals(staticMembers.get(m.instanceId))) {
            staticMembers.remove(m.instanceId);
        }
        targetAssignment.remove(memberId);
    }

    @Override
    public ConsumerMember staticMember(String instanceId) {
        String id = instanceId == null ? null : staticMembers.get(instanceId);
        return id == null ? null : members.get(id);
    }

    /**
     * A static member back under a new member id, by ConsumerGroupHeartbeat or by a classic JoinGroup alike: the new
     * incarnation takes over the old one's partitions and target at epoch 0, so the group epoch does not move and
     * nobody else rebalances (Kafka's rule).
     */
    ConsumerMember replaceStaticMember(ConsumerMember existing, String newMemberId) {
        ConsumerMember replacement = existing.copyAs(newMemberId);
        replacement.memberEpoch = 0;
        replacement.previousMemberEpoch = 0;
        replacement.state = MemberState.STABLE;
        Map<Uuid, Set<Integer>> target = targetAssignment.get(existing.memberId());
        remove(existing.memberId());
        put(replacement);
        if (target != null) {
            targetAssignment.put(newMemberId, target);
        }
        return replacement;
    }

    /** The epoch of the member that currently owns (or is still revoking) a partition, -1 if nobody does. */
    int ownerEpoch(Uuid topic, int partition, String except) {
        for (ConsumerMember m : members.values()) {
            if (m.memberId().equals(except)) {
                continue;
            }
            if (Assignment.contains(m.assigned, topic, partition) || Assignment.contains(m.pendingRevocation, topic, partition)) {
                return m.memberEpoch;
            }
        }
        return -1;
    }

    /** Whether every member but the leaving ones speaks the classic protocol (a downgrade candidate, KIP-848). */
    public boolean allMembersUseClassicProtocolExcept(Set<String> leavingMemberIds) {
        for (ConsumerMember m : members.values()) {
            if (!leavingMemberIds.contains(m.memberId()) && !m.usesClassicProtocol()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a classic member with these protocols may join: protocol type {@code consumer}, and, if classic members
     * are already in, one protocol every one of them supports (Kafka's rule for classic members of a consumer group).
     */
    public boolean supportsClassicProtocols(String protocolType, Set<String> protocolNames) {
        if (!"consumer".equals(protocolType) || protocolNames.isEmpty()) {
            return false;
        }
        for (String name : protocolNames) {
            boolean all = true;
            for (ConsumerMember m : members.values()) {
                if (m.usesClassicProtocol() && !m.classic.supports(name)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /** Whether a member waiting for partitions (UNRELEASED_PARTITIONS) still waits for one that another member holds. */
    boolean waitingOnUnreleasedPartition(ConsumerMember member) {
        if (member.state != MemberState.UNRELEASED_PARTITIONS) {
            return false;
        }
        for (Map.Entry<Uuid, Set<Integer>> e : targetOf(member.memberId()).entrySet()) {
            for (int p : e.getValue()) {
                if (!Assignment.contains(member.assigned, e.getKey(), p) && ownerEpoch(e.getKey(), p, member.memberId()) != -1) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public boolean isSubscribedTo(String topic) {
        for (ConsumerMember m : members.values()) {
            if (m.subscribedTopicNames.contains(topic)) {
                return true;
            }
            if (m.subscribedTopicRegex != null && Pattern.compile(m.subscribedTopicRegex).matcher(topic).matches()) {
                return true;
            }
        }
        return false;
    }

    /** As Kafka's: each offset of a topic no member subscribes to ages from its commit, whatever the group's state. */
    @Override
    public Optional<OffsetExpiration> offsetExpiration() {
        return Optional.of(OffsetExpiration.SINCE_COMMIT);
    }

    /** Rebuilds a group from the group log. */
    public static ConsumerGroup restore(String groupId, int groupEpoch, int assignmentEpoch, String signature,
                                        Collection<ConsumerMember> members, Map<String, Map<Uuid, Set<Integer>>> target) {
        ConsumerGroup g = new ConsumerGroup(groupId);
        g.groupEpoch = groupEpoch;
        g.assignmentEpoch = assignmentEpoch;
        g.subscriptionSignature = signature;
        members.forEach(g::put);
        target.forEach((id, a) -> g.targetAssignment.put(id, Assignment.copy(a)));
        return g;
    }

    public Map<String, Map<Uuid, Set<Integer>>> targetAssignment() {
        return targetAssignment;
    }
}
