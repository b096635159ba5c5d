package dev.walrus.kafka.group.streams;

import dev.walrus.kafka.group.HeartbeatMember;
import dev.walrus.kafka.group.MemberTimer;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One member of a streams group (one stream thread of a Kafka Streams instance): who it is, which process it belongs
 * to, its epoch, and the tasks it owns or must give up. Owned by the group thread.
 */
public final class StreamsMember implements HeartbeatMember {

    /** The Interactive Queries endpoint ({@code application.server}) of the member's instance. */
    public record Endpoint(String host, int port) {}

    private final String memberId;
    String instanceId;
    String rackId;
    String clientId = "";
    String clientHost = "";
    int rebalanceTimeoutMs;
    int topologyEpoch;
    String processId = "";
    Endpoint userEndpoint;
    Map<String, String> clientTags = new TreeMap<>();

    int memberEpoch;
    int previousMemberEpoch;
    StreamsMemberState state = StreamsMemberState.STABLE;
    Map<String, Set<Integer>> active = new TreeMap<>();
    Map<String, Set<Integer>> standby = new TreeMap<>();
    Map<String, Set<Integer>> warmup = new TreeMap<>();
    Map<String, Set<Integer>> activePendingRevocation = new TreeMap<>();
    Map<String, Set<Integer>> standbyPendingRevocation = new TreeMap<>();
    /**
     * The member epoch at which each active task it owns (assigned or pending revocation) was given to it: an offset
     * commit of an older epoch is accepted for a partition of a task it already owned then (Kafka 4.4's rule).
     */
    Map<String, Map<Integer, Integer>> activeTaskEpochs = new HashMap<>();

    long sessionDeadlineMs;
    long revocationDeadlineMs;
    /** The member's pending deadline check. */
    final MemberTimer timer = new MemberTimer();

    public StreamsMember(String memberId) {
        this.memberId = memberId;
    }

    @Override public String memberId() { return memberId; }
    public String instanceId() { return instanceId; }
    public String rackId() { return rackId; }
    public String clientId() { return clientId; }
    public String clientHost() { return clientHost; }
    @Override public int rebalanceTimeoutMs() { return rebalanceTimeoutMs; }
    public int topologyEpoch() { return topologyEpoch; }
    public String processId() { return processId; }
    public Endpoint userEndpoint() { return userEndpoint; }
    public Map<String, String> clientTags() { return clientTags; }
    @Override public int memberEpoch() { return memberEpoch; }
    @Override public int previousMemberEpoch() { return previousMemberEpoch; }
    public StreamsMemberState state() { return state; }
    public Map<String, Set<Integer>> active() { return active; }
    public Map<String, Set<Integer>> standby() { return standby; }
    public Map<String, Set<Integer>> warmup() { return warmup; }
    public Map<String, Set<Integer>> activePendingRevocation() { return activePendingRevocation; }
    public Map<String, Set<Integer>> standbyPendingRevocation() { return standbyPendingRevocation; }
    public Map<String, Map<Integer, Integer>> activeTaskEpochs() { return activeTaskEpochs; }

    /** The epoch at which this member got an active task it still owns, or null if it does not own it. */
    Integer activeTaskEpoch(String subtopology, int partition) {
        if (!Tasks.contains(active, subtopology, partition) && !Tasks.contains(activePendingRevocation, subtopology, partition)) {
            return null;
        }
        return activeTaskEpochs.getOrDefault(subtopology, Map.of()).getOrDefault(partition, memberEpoch);
    }

    void epoch(int epoch) {
        if (epoch != memberEpoch) {
            previousMemberEpoch = memberEpoch;
            memberEpoch = epoch;
        }
    }

    boolean ownsAnyTask() {
        return !active.isEmpty() || !standby.isEmpty() || !activePendingRevocation.isEmpty() || !standbyPendingRevocation.isEmpty();
    }
}
