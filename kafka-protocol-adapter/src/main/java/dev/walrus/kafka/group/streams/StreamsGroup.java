package dev.walrus.kafka.group.streams;

import dev.walrus.kafka.group.HeartbeatGroup;
import dev.walrus.kafka.group.OffsetExpiration;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A streams group (KIP-1071): its topology, the group epoch (bumped by every membership, topology or topic change), the
 * target assignment of tasks computed for an epoch, and the members reconciling towards it.
 *
 * <p>Owned by the group thread. The rules live in {@link StreamsGroupProtocol}.
 */
public final class StreamsGroup implements HeartbeatGroup<StreamsMember> {

    private final String groupId;
    int groupEpoch;
    int assignmentEpoch;
    /** The topology the first member initialized the group with; null until then. */
    StreamsTopology topology;
    /** Whether the topology was found ready (all topics there, well partitioned) when last configured. */
    boolean topologyReady;
    /** Names and partition counts of the topology's topics when it was last configured (see TopologyConfigurer). */
    String topologySignature = "";
    final Map<String, StreamsMember> members = new LinkedHashMap<>();
    final Map<String, String> staticMembers = new HashMap<>();
    /** The target assignment of {@link #assignmentEpoch}, by member id. */
    final Map<String, StickyTaskAssignor.Target> targetAssignment = new HashMap<>();
    /** Bumped when members' endpoints or tasks change, so members refetch PartitionsByUserEndpoint. */
    int endpointInformationEpoch;
    /** The member that asked the whole application to shut down (in memory, as in Kafka); null if none. */
    String shutdownRequestMemberId;
    /** The topology as last configured; rebuilt after a restart at the first heartbeat. Not persisted. */
    ConfiguredTopology configured;
    /** Until when the first assignment of a group that was empty waits for more members; 0 when it does not. */
    long initialDelayUntilMs;

    public StreamsGroup(String groupId) {
        this.groupId = groupId;
    }

    @Override public String groupId() { return groupId; }

    @Override public String type() { return "streams"; }

    @Override public String stateName() { return state().kafkaName(); }

    @Override public String protocolType() { return "streams"; }

    @Override public boolean isEmpty() { return members.isEmpty(); }

    public int groupEpoch() { return groupEpoch; }
    public int assignmentEpoch() { return assignmentEpoch; }
    public StreamsTopology topology() { return topology; }
    public boolean topologyReady() { return topologyReady; }
    public String topologySignature() { return topologySignature; }
    public int endpointInformationEpoch() { return endpointInformationEpoch; }
    public Collection<StreamsMember> members() { return members.values(); }
    @Override public StreamsMember member(String memberId) { return members.get(memberId); }
    @Override public String ownedKind() { return "tasks"; }
    public Map<String, StickyTaskAssignor.Target> targetAssignment() { return targetAssignment; }

    public StickyTaskAssignor.Target targetOf(String memberId) {
        return targetAssignment.getOrDefault(memberId, StickyTaskAssignor.Target.EMPTY);
    }

    public StreamsGroupState state() {
        if (members.isEmpty()) {
            return StreamsGroupState.EMPTY;
        }
        if (topology == null || !topologyReady) {
            return StreamsGroupState.NOT_READY;
        }
        if (groupEpoch > assignmentEpoch) {
            return StreamsGroupState.ASSIGNING;
        }
        for (StreamsMember m : members.values()) {
            if (m.memberEpoch != assignmentEpoch || m.state != StreamsMemberState.STABLE) {
                return StreamsGroupState.RECONCILING;
            }
        }
        return StreamsGroupState.STABLE;
    }

    void put(StreamsMember member) {
        members.put(member.memberId(), member);
        if (member.instanceId != null) {
            staticMembers.put(member.instanceId, member.memberId());
        }
    }

    void remove(String memberId) {
        StreamsMember m = members.remove(memberId);
        if (m != null && m.instanceId != null && memberId.equals(staticMembers.get(m.instanceId))) {
            staticMembers.remove(m.instanceId);
        }
        targetAssignment.remove(memberId);
        if (members.isEmpty()) {
            shutdownRequestMemberId = null;
        }
    }

    @Override
    public StreamsMember staticMember(String instanceId) {
        String id = instanceId == null ? null : staticMembers.get(instanceId);
        return id == null ? null : members.get(id);
    }

    /** Whether another member runs (or still revokes) the task as an active task. */
    boolean activeElsewhere(String subtopology, int partition, String except) {
        for (StreamsMember m : members.values()) {
            if (!m.memberId().equals(except) && (Tasks.contains(m.active, subtopology, partition)
                    || Tasks.contains(m.activePendingRevocation, subtopology, partition))) {
                return true;
            }
        }
        return false;
    }

    /** Whether another member of the same process holds the task in any role (one process never runs a task twice). */
    boolean heldOnProcess(String subtopology, int partition, StreamsMember member) {
        for (StreamsMember m : members.values()) {
            if (m == member || !m.processId.equals(member.processId)) {
                continue;
            }
            if (Tasks.contains(m.active, subtopology, partition) || Tasks.contains(m.activePendingRevocation, subtopology, partition)
                    || Tasks.contains(m.standby, subtopology, partition)
                    || Tasks.contains(m.standbyPendingRevocation, subtopology, partition)) {
                return true;
            }
        }
        return false;
    }

    /** A source topic (user or repartition) of the group's topology, while it has members (Kafka's rule). */
    @Override
    public boolean isSubscribedTo(String topic) {
        if (members.isEmpty() || topology == null) {
            return false;
        }
        for (StreamsTopology.Subtopology s : topology.subtopologies()) {
            if (s.allSourceTopics().contains(topic)) {
                return true;
            }
        }
        return false;
    }

    /** As Kafka 4.4's: each offset of a topic the topology does not read ages from its commit. */
    @Override
    public Optional<OffsetExpiration> offsetExpiration() {
        return Optional.of(OffsetExpiration.SINCE_COMMIT);
    }

    /** Rebuilds a group from the group log. */
    static StreamsGroup restore(String groupId, int groupEpoch, int assignmentEpoch, StreamsTopology topology,
                                boolean topologyReady, String signature, int endpointEpoch,
                                Collection<StreamsMember> members, Map<String, StickyTaskAssignor.Target> target) {
        StreamsGroup g = new StreamsGroup(groupId);
        g.groupEpoch = groupEpoch;
        g.assignmentEpoch = assignmentEpoch;
        g.topology = topology;
        g.topologyReady = topologyReady;
        g.topologySignature = signature;
        g.endpointInformationEpoch = endpointEpoch;
        members.forEach(g::put);
        g.targetAssignment.putAll(target);
        return g;
    }
}
