package dev.walrus.kafka.group.classic;

import dev.walrus.kafka.group.Group;
import dev.walrus.kafka.group.OffsetExpiration;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A classic (JoinGroup/SyncGroup) group: its generation, selected protocol, leader and members.
 *
 * <p>Owned by the group thread: every field is read and written there only. The rules that move it between states
 * live in {@link ClassicGroupProtocol}; this class only holds the state and answers questions about it.
 */
public final class ClassicGroup implements Group {

    private final String groupId;
    private ClassicGroupState state = ClassicGroupState.EMPTY;
    private ClassicGroupState previousState = ClassicGroupState.EMPTY;
    /**
     * Wall-clock time the group entered its state (Kafka's {@code currentStateTimestamp}): the offsets of an empty
     * group expire counted from it. {@link #UNKNOWN_TIMESTAMP} for a group restored from a record without it.
     */
    private long stateTimestampMs = System.currentTimeMillis();
    private int generationId;
    private String protocolType;
    private String protocolName;
    private String leaderId;
    private final Map<String, ClassicMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    /** KIP-394: member ids handed out with MEMBER_ID_REQUIRED, waiting for the second JoinGroup. */
    private final Set<String> pendingMembers = new HashSet<>();
    /** Members of the current generation that have not sent SyncGroup yet. */
    private final Set<String> pendingSyncMembers = new HashSet<>();
    private boolean newMemberAdded;
    /** Bumped whenever a join or sync timer must be forgotten: a timer carries the value it was armed with. */
    private long timerEpoch;

    public ClassicGroup(String groupId) {
        this.groupId = groupId;
    }

    @Override public String groupId() { return groupId; }

    @Override public String type() { return "classic"; }

    @Override public String stateName() { return state.kafkaName(); }

    @Override public String protocolType() { return protocolType == null ? "" : protocolType; }

    @Override public boolean isEmpty() { return members.isEmpty(); }

    public ClassicGroupState state() { return state; }

    public ClassicGroupState previousState() { return previousState; }

    /** A state timestamp the group log did not carry (records older than it): offsets then age from their commit. */
    public static final long UNKNOWN_TIMESTAMP = -1L;

    /** When the group entered its state, or {@link #UNKNOWN_TIMESTAMP}. */
    public long stateTimestampMs() { return stateTimestampMs; }

    void transitionTo(ClassicGroupState next) {
        previousState = state;
        state = next;
        stateTimestampMs = System.currentTimeMillis();
    }

    public boolean is(ClassicGroupState s) { return state == s; }

    public int generationId() { return generationId; }

    public String protocolTypeOrNull() { return protocolType; }

    public String protocolName() { return protocolName; }

    public String leaderId() { return leaderId; }

    public boolean isLeader(String memberId) { return memberId.equals(leaderId); }

    public Collection<ClassicMember> members() { return members.values(); }

    public ClassicMember member(String memberId) { return members.get(memberId); }

    public boolean hasMember(String memberId) { return members.containsKey(memberId); }

    public String staticMemberId(String groupInstanceId) { return groupInstanceId == null ? null : staticMembers.get(groupInstanceId); }

    boolean isPendingMember(String memberId) { return pendingMembers.contains(memberId); }

    void addPendingMember(String memberId) { pendingMembers.add(memberId); }

    boolean removePendingMember(String memberId) { return pendingMembers.remove(memberId); }

    Set<String> pendingSyncMembers() { return pendingSyncMembers; }

    boolean newMemberAdded() { return newMemberAdded; }

    void newMemberAdded(boolean value) { newMemberAdded = value; }

    long timerEpoch() { return timerEpoch; }

    long nextTimerEpoch() { return ++timerEpoch; }

    void add(ClassicMember member) {
        members.put(member.memberId(), member);
        if (member.isStatic()) {
            staticMembers.put(member.groupInstanceId(), member.memberId());
        }
        if (leaderId == null) {
            leaderId = member.memberId();
        }
    }

    void protocolType(String type) { this.protocolType = type; }

    void remove(String memberId) {
        ClassicMember removed = members.remove(memberId);
        if (removed == null) {
            return;
        }
        if (removed.isStatic() && memberId.equals(staticMembers.get(removed.groupInstanceId()))) {
            staticMembers.remove(removed.groupInstanceId());
        }
        pendingSyncMembers.remove(memberId);
        if (memberId.equals(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
    }

    /** A static member rejoined under a new member id: the new id takes the old one's place, leadership included. */
    ClassicMember replaceStaticMember(String groupInstanceId, String oldMemberId, String newMemberId) {
        ClassicMember old = members.remove(oldMemberId);
        if (old == null) {
            throw new IllegalStateException("static member " + groupInstanceId + " has no member " + oldMemberId);
        }
        ClassicMember replacement = old.withMemberId(newMemberId);
        members.put(newMemberId, replacement);
        staticMembers.put(groupInstanceId, newMemberId);
        if (oldMemberId.equals(leaderId)) {
            leaderId = newMemberId;
        }
        if (pendingSyncMembers.remove(oldMemberId)) {
            pendingSyncMembers.add(newMemberId);
        }
        return old;
    }

    /** If the leader has not rejoined, hands leadership to a member that has; false if none has. */
    boolean electJoinedLeader() {
        ClassicMember leader = leaderId == null ? null : members.get(leaderId);
        if (leader != null && leader.isAwaitingJoin()) {
            return true;
        }
        for (ClassicMember m : members.values()) {
            if (m.isAwaitingJoin()) {
                leaderId = m.memberId();
                return true;
            }
        }
        return false;
    }

    boolean allMembersJoined() {
        if (!pendingMembers.isEmpty()) {
            return false;
        }
        for (ClassicMember m : members.values()) {
            if (!m.isAwaitingJoin()) {
                return false;
            }
        }
        return true;
    }

    /** The largest rebalance timeout of the members: how long a rebalance waits for everyone to rejoin. */
    int rebalanceTimeoutMs() {
        int max = 0;
        for (ClassicMember m : members.values()) {
            max = Math.max(max, m.rebalanceTimeoutMs());
        }
        return max;
    }

    /** The protocols every member supports, in the first member's order. */
    List<String> candidateProtocols() {
        List<String> candidates = new ArrayList<>();
        boolean first = true;
        for (ClassicMember m : members.values()) {
            if (first) {
                for (ClassicMember.Protocol p : m.protocols()) {
                    candidates.add(p.name());
                }
                first = false;
            } else {
                candidates.removeIf(name -> !m.supports(name));
            }
        }
        return candidates;
    }

    /** Whether a joining member's protocols fit this group (same type, one protocol in common with everyone). */
    boolean supportsProtocols(String memberProtocolType, List<ClassicMember.Protocol> protocols) {
        if (members.isEmpty()) {
            return memberProtocolType != null && !memberProtocolType.isEmpty() && !protocols.isEmpty();
        }
        if (!memberProtocolType.equals(protocolType)) {
            return false;
        }
        List<String> candidates = candidateProtocols();
        for (ClassicMember.Protocol p : protocols) {
            if (candidates.contains(p.name())) {
                return true;
            }
        }
        return false;
    }

    /** Each member votes for its most preferred protocol among those all support; the most votes wins. */
    String selectProtocol() {
        List<String> candidates = candidateProtocols();
        Map<String, Integer> votes = new LinkedHashMap<>();
        for (String c : candidates) {
            votes.put(c, 0);
        }
        for (ClassicMember m : members.values()) {
            votes.merge(m.vote(candidates), 1, Integer::sum);
        }
        String best = null;
        int bestVotes = -1;
        for (Map.Entry<String, Integer> e : votes.entrySet()) {
            if (e.getValue() > bestVotes) {
                best = e.getKey();
                bestVotes = e.getValue();
            }
        }
        return best;
    }

    /** Starts the next generation: Empty if nobody is left, else CompletingRebalance with a selected protocol. */
    void initNextGeneration() {
        generationId++;
        if (members.isEmpty()) {
            protocolName = null;
            transitionTo(ClassicGroupState.EMPTY);
        } else {
            protocolName = selectProtocol();
            transitionTo(ClassicGroupState.COMPLETING_REBALANCE);
        }
        pendingSyncMembers.clear();
    }

    /** The member list the leader receives in its JoinGroup response: everyone's metadata for the selected protocol. */
    List<JoinGroupResponseMember> leaderView() {
        List<JoinGroupResponseMember> view = new ArrayList<>(members.size());
        for (ClassicMember m : members.values()) {
            view.add(new JoinGroupResponseMember()
                    .setMemberId(m.memberId())
                    .setGroupInstanceId(m.groupInstanceId())
                    .setMetadata(m.metadataFor(protocolName)));
        }
        return view;
    }

    @Override
    public boolean isSubscribedTo(String topic) {
        if (members.isEmpty()) {
            return false;
        }
        if (!"consumer".equals(protocolType) || protocolName == null) {
            // Kafka cannot tell what a non-consumer group reads, so it assumes the worst.
            return true;
        }
        for (ClassicMember m : members.values()) {
            byte[] metadata = m.metadataFor(protocolName);
            if (metadata == null) {
                continue;
            }
            try {
                if (ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(metadata)).topics().contains(topic)) {
                    return true;
                }
            } catch (RuntimeException unreadable) {
                return true;
            }
        }
        return false;
    }

    /**
     * Kafka's rule ({@code ClassicGroup.offsetExpirationCondition}): a group some member joined once (it has a
     * protocol type) ages its offsets from when it became empty, or from their commits when that time is unknown; a
     * stable consumer group whose subscriptions can be read ages those of the topics nobody subscribes to from their
     * commits; a group rebalancing, or whose members' subscriptions cannot be read, keeps them. A simple group (offsets
     * committed by {@code assign()} consumers or the admin client, no protocol type) ages each from its commit.
     */
    @Override
    public Optional<OffsetExpiration> offsetExpiration() {
        if (protocolType == null || protocolType.isEmpty()) {
            return Optional.of(OffsetExpiration.SINCE_COMMIT);
        }
        if (state == ClassicGroupState.EMPTY) {
            long emptySince = stateTimestampMs;
            return Optional.of(emptySince == UNKNOWN_TIMESTAMP ? OffsetExpiration.SINCE_COMMIT : offset -> emptySince);
        }
        if (state == ClassicGroupState.STABLE && "consumer".equals(protocolType) && subscriptionsReadable()) {
            return Optional.of(OffsetExpiration.SINCE_COMMIT);
        }
        return Optional.empty();
    }

    /** Only in state Empty (a group rebalancing with no member yet keeps its pending joiners). */
    @Override
    public boolean expiresWithoutOffsets() {
        return state == ClassicGroupState.EMPTY;
    }

    /** Whether every member's subscription of the selected protocol reads as the consumer protocol's. */
    private boolean subscriptionsReadable() {
        if (protocolName == null) {
            return false;
        }
        for (ClassicMember m : members.values()) {
            byte[] metadata = m.metadataFor(protocolName);
            if (metadata == null) {
                return false;
            }
            try {
                ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(metadata));
            } catch (RuntimeException unreadable) {
                return false;
            }
        }
        return true;
    }

    /** The topics the members subscribe to (consumer protocol type only), for describing. */
    Set<String> subscribedTopics() {
        Set<String> topics = new LinkedHashSet<>();
        for (ClassicMember m : members.values()) {
            byte[] metadata = protocolName == null ? null : m.metadataFor(protocolName);
            if (metadata != null) {
                try {
                    topics.addAll(ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(metadata)).topics());
                } catch (RuntimeException ignored) {
                    // not a consumer subscription
                }
            }
        }
        return topics;
    }

    /**
     * A consumer group turned back into a classic group (KIP-848 downgrade): Stable at {@code generationId} (the
     * consumer group's epoch) with protocol type {@code consumer}, the protocol its members vote for, and each member's
     * assignment as {@code assignment} encodes it for that protocol. The caller then starts a rebalance.
     */
    public static ClassicGroup downgraded(String groupId, int generationId, List<ClassicMember> members,
                                          java.util.function.BiFunction<ClassicMember, String, byte[]> assignment) {
        ClassicGroup g = new ClassicGroup(groupId);
        g.generationId = generationId;
        g.protocolType = "consumer";
        members.forEach(g::add);
        g.protocolName = g.selectProtocol();
        for (ClassicMember m : members) {
            m.assignment(assignment.apply(m, g.protocolName));
        }
        g.state = ClassicGroupState.STABLE;
        g.previousState = ClassicGroupState.STABLE;
        g.stateTimestampMs = System.currentTimeMillis();
        return g;
    }

    // ---- restore from the group log -------------------------------------------------------------------------------

    /**
     * Rebuilds a group as the group log last saw it: Stable with its members, or Empty, in that state since
     * {@code stateTimestampMs} ({@link #UNKNOWN_TIMESTAMP} if the record did not say).
     */
    public static ClassicGroup restore(String groupId, int generationId, String protocolType, String protocolName,
                                       String leaderId, long stateTimestampMs, List<ClassicMember> members,
                                       List<byte[]> assignments) {
        ClassicGroup g = new ClassicGroup(groupId);
        g.generationId = generationId;
        g.protocolType = protocolType;
        g.protocolName = protocolName;
        for (int i = 0; i < members.size(); i++) {
            ClassicMember m = members.get(i);
            m.assignment(assignments.get(i));
            g.members.put(m.memberId(), m);
            if (m.isStatic()) {
                g.staticMembers.put(m.groupInstanceId(), m.memberId());
            }
        }
        g.leaderId = leaderId != null && g.members.containsKey(leaderId) ? leaderId
                : (g.members.isEmpty() ? null : g.members.keySet().iterator().next());
        g.state = g.members.isEmpty() ? ClassicGroupState.EMPTY : ClassicGroupState.STABLE;
        g.previousState = g.state;
        g.stateTimestampMs = stateTimestampMs;
        return g;
    }
}
