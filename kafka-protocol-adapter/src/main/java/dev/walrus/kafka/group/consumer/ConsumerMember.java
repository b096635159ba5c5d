package dev.walrus.kafka.group.consumer;

import dev.walrus.kafka.group.HeartbeatMember;
import dev.walrus.kafka.group.MemberTimer;
import org.apache.kafka.common.Uuid;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One member of a consumer-protocol group: its subscription, its epoch and the partitions it owns or must give up.
 * Owned by the group thread.
 */
public final class ConsumerMember implements HeartbeatMember {

    private final String memberId;
    String instanceId;
    String rackId;
    String clientId = "";
    String clientHost = "";
    int rebalanceTimeoutMs;
    List<String> subscribedTopicNames = List.of();
    String subscribedTopicRegex;
    /**
     * Whether the member may DESCRIBE a topic its regex matches, as of its last heartbeat (not kept in the group log:
     * until a restarted broker hears from the member again, every match counts).
     */
    java.util.function.Predicate<String> describableTopic = topic -> true;
    String serverAssignor;

    int memberEpoch;
    int previousMemberEpoch;
    MemberState state = MemberState.STABLE;
    Map<Uuid, Set<Integer>> assigned = new HashMap<>();
    Map<Uuid, Set<Integer>> pendingRevocation = new HashMap<>();
    /**
     * The member epoch at which each partition it owns (assigned or pending revocation) was given to it: a commit
     * carrying an older member epoch is accepted for a partition it already owned at that epoch (Kafka 4.x fences
     * zombie commits this way rather than refusing every commit of the previous epoch).
     */
    Map<Uuid, Map<Integer, Integer>> partitionEpochs = new HashMap<>();

    /** Set for a member that joined with the classic protocol (JoinGroup), null for a consumer-protocol member. */
    ClassicMetadata classic;
    /**
     * A classic member told to rejoin (REBALANCE_IN_PROGRESS) must send JoinGroup by then, and one that got its
     * JoinGroup answer must send SyncGroup by then (its rebalance timeout each, as in Kafka); 0 when not waiting.
     */
    long joinDeadlineMs;
    long syncDeadlineMs;

    long sessionDeadlineMs;
    /** When the member entered UNREVOKED_PARTITIONS plus its rebalance timeout; 0 when not revoking. */
    long revocationDeadlineMs;
    /** The member's pending deadline check. */
    final MemberTimer timer = new MemberTimer();

    public ConsumerMember(String memberId) {
        this.memberId = memberId;
    }

    /** A copy under a new id: a static member replacing its departed incarnation keeps its partitions. */
    ConsumerMember copyAs(String newMemberId) {
        ConsumerMember copy = restore(newMemberId, instanceId, rackId, clientId, clientHost, rebalanceTimeoutMs,
                subscribedTopicNames, subscribedTopicRegex, serverAssignor, memberEpoch, previousMemberEpoch, state,
                assigned, pendingRevocation, partitionEpochs);
        copy.classic = classic;
        return copy;
    }

    /** Whether the member speaks the classic protocol (it joined with JoinGroup, or came with an upgraded group). */
    public boolean usesClassicProtocol() { return classic != null; }

    /** The classic member's JoinGroup details, or null for a consumer-protocol member. */
    public ClassicMetadata classicMetadata() { return classic; }

    /** Restores the classic details of a member (group log replay, conversion). */
    public ConsumerMember withClassicMetadata(ClassicMetadata metadata) {
        this.classic = metadata;
        return this;
    }

    static Map<Uuid, Map<Integer, Integer>> copyEpochs(Map<Uuid, Map<Integer, Integer>> epochs) {
        Map<Uuid, Map<Integer, Integer>> copy = new HashMap<>();
        epochs.forEach((t, ps) -> copy.put(t, new HashMap<>(ps)));
        return copy;
    }

    /** The epoch at which this member got a partition it still owns, or null if it does not own it. */
    public Integer assignmentEpoch(Uuid topic, int partition) {
        if (!Assignment.contains(assigned, topic, partition) && !Assignment.contains(pendingRevocation, topic, partition)) {
            return null;
        }
        return partitionEpochs.getOrDefault(topic, Map.of()).getOrDefault(partition, memberEpoch);
    }

    public Map<Uuid, Map<Integer, Integer>> partitionEpochs() { return partitionEpochs; }

    @Override public String memberId() { return memberId; }
    public String instanceId() { return instanceId; }
    public String rackId() { return rackId; }
    public String clientId() { return clientId; }
    public String clientHost() { return clientHost; }
    @Override public int rebalanceTimeoutMs() { return rebalanceTimeoutMs; }
    public List<String> subscribedTopicNames() { return subscribedTopicNames; }
    public String subscribedTopicRegex() { return subscribedTopicRegex; }
    public String serverAssignor() { return serverAssignor; }
    @Override public int memberEpoch() { return memberEpoch; }
    @Override public int previousMemberEpoch() { return previousMemberEpoch; }
    public MemberState state() { return state; }
    public Map<Uuid, Set<Integer>> assigned() { return assigned; }
    public Map<Uuid, Set<Integer>> pendingRevocation() { return pendingRevocation; }

    void epoch(int epoch) {
        if (epoch != memberEpoch) {
            previousMemberEpoch = memberEpoch;
            memberEpoch = epoch;
        }
    }

    /** Restores the persisted fields (group log replay). */
    public static ConsumerMember restore(String memberId, String instanceId, String rackId, String clientId, String clientHost,
                                         int rebalanceTimeoutMs, List<String> topics, String regex, String assignor,
                                         int memberEpoch, int previousMemberEpoch, MemberState state,
                                         Map<Uuid, Set<Integer>> assigned, Map<Uuid, Set<Integer>> pendingRevocation,
                                         Map<Uuid, Map<Integer, Integer>> partitionEpochs) {
        ConsumerMember m = new ConsumerMember(memberId);
        m.instanceId = instanceId;
        m.rackId = rackId;
        m.clientId = clientId;
        m.clientHost = clientHost;
        m.rebalanceTimeoutMs = rebalanceTimeoutMs;
        m.subscribedTopicNames = List.copyOf(topics);
        m.subscribedTopicRegex = regex;
        m.serverAssignor = assignor;
        m.memberEpoch = memberEpoch;
        m.previousMemberEpoch = previousMemberEpoch;
        m.state = state;
        m.assigned = Assignment.copy(assigned);
        m.pendingRevocation = Assignment.copy(pendingRevocation);
        m.partitionEpochs = copyEpochs(partitionEpochs);
        return m;
    }
}
