package dev.walrus.kafka.group.classic;

import dev.walrus.kafka.group.ClientInfo;
import dev.walrus.kafka.group.Group;
import dev.walrus.kafka.group.GroupException;
import dev.walrus.kafka.group.GroupSettings;
import dev.walrus.kafka.group.GroupThread;
import dev.walrus.kafka.group.consumer.ConsumerGroup;
import dev.walrus.kafka.group.store.GroupLog;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The rules of the classic group protocol: JoinGroup, SyncGroup, Heartbeat, LeaveGroup, and the timers that expire
 * sessions and end rebalances. Mirrors Apache Kafka 4.x's classic group coordinator, error code for error code.
 *
 * <p>Runs on the {@link GroupThread} only. JoinGroup and SyncGroup answers are futures that a later event completes
 * (the last member joining, the leader's assignment, a deadline).
 */
public final class ClassicGroupProtocol {

    private static final Logger LOG = LoggerFactory.getLogger(ClassicGroupProtocol.class);

    private final Map<String, Group> groups;
    private final GroupThread thread;
    private final GroupSettings settings;
    private final GroupLog log;

    public ClassicGroupProtocol(Map<String, Group> groups, GroupThread thread, GroupSettings settings, GroupLog log) {
        this.groups = groups;
        this.thread = thread;
        this.settings = settings;
        this.log = log;
    }

    // ---- JoinGroup -------------------------------------------------------------------------------------------------

    public CompletableFuture<JoinGroupResponseData> join(JoinGroupRequestData request, short version, ClientInfo client) {
        CompletableFuture<JoinGroupResponseData> out = new CompletableFuture<>();
        try {
            doJoin(request, version, client, out);
        } catch (GroupException e) {
            out.complete(joinError(e.error(), request.memberId(), version));
        }
        return out;
    }

    private void doJoin(JoinGroupRequestData request, short version, ClientInfo client, CompletableFuture<JoinGroupResponseData> out) {
        String groupId = request.groupId();
        String memberId = request.memberId();
        String instanceId = version >= 5 ? request.groupInstanceId() : null;
        if (groupId == null || groupId.isEmpty()) {
            throw new GroupException(Errors.INVALID_GROUP_ID);
        }
        if (request.sessionTimeoutMs() < settings.minSessionTimeoutMs() || request.sessionTimeoutMs() > settings.maxSessionTimeoutMs()) {
            throw new GroupException(Errors.INVALID_SESSION_TIMEOUT);
        }
        List<ClassicMember.Protocol> protocols = new ArrayList<>();
        request.protocols().forEach(p -> protocols.add(new ClassicMember.Protocol(p.name(), p.metadata())));

        Group existing = groups.get(groupId);
        if (existing instanceof ConsumerGroup consumerGroup) {
            if (!consumerGroup.isEmpty()) {
                // The coordinator hands JoinGroups to a consumer group with members to the consumer protocol.
                throw new IllegalStateException("group " + groupId + " is a consumer group with members");
            }
            // An empty consumer group becomes a classic group; its offsets stay.
            groups.remove(groupId);
            existing = null;
        }
        if (existing != null && !(existing instanceof ClassicGroup)) {
            // as Kafka: the id names a group of another kind (a KIP-932 share group or a KIP-1071 streams group)
            throw new GroupException(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " is not a classic group.");
        }
        ClassicGroup group = (ClassicGroup) existing;
        if (group == null) {
            if (!memberId.isEmpty()) {
                throw new GroupException(Errors.UNKNOWN_MEMBER_ID);
            }
            if (request.protocolType() == null || request.protocolType().isEmpty() || protocols.isEmpty()) {
                throw new GroupException(Errors.INCONSISTENT_GROUP_PROTOCOL);
            }
            group = new ClassicGroup(groupId);
            groups.put(groupId, group);
        }
        if (!acceptsJoiningMember(group, memberId)) {
            throw new GroupException(Errors.GROUP_MAX_SIZE_REACHED);
        }
        if (group.is(ClassicGroupState.DEAD)) {
            throw new GroupException(Errors.COORDINATOR_NOT_AVAILABLE);
        }
        if (!group.supportsProtocols(request.protocolType(), protocols)) {
            throw new GroupException(Errors.INCONSISTENT_GROUP_PROTOCOL);
        }
        int rebalanceTimeoutMs = version >= 1 && request.rebalanceTimeoutMs() > 0 ? request.rebalanceTimeoutMs() : request.sessionTimeoutMs();
        JoinParams params = new JoinParams(instanceId, client, rebalanceTimeoutMs, request.sessionTimeoutMs(),
                request.protocolType(), protocols, version);
        if (memberId.isEmpty()) {
            joinNewMember(group, params, out);
        } else {
            joinExistingMember(group, memberId, params, out);
        }
    }

    private record JoinParams(String instanceId, ClientInfo client, int rebalanceTimeoutMs, int sessionTimeoutMs,
                              String protocolType, List<ClassicMember.Protocol> protocols, short version) {}

    private boolean acceptsJoiningMember(ClassicGroup group, String memberId) {
        return group.is(ClassicGroupState.EMPTY)
                || group.members().size() < settings.maxGroupSize()
                || group.hasMember(memberId)
                || group.isPendingMember(memberId);
    }

    private void joinNewMember(ClassicGroup group, JoinParams p, CompletableFuture<JoinGroupResponseData> out) {
        if (p.instanceId() != null) {
            String newMemberId = p.instanceId() + "-" + UUID.randomUUID();
            String oldMemberId = group.staticMemberId(p.instanceId());
            if (oldMemberId != null) {
                replaceStaticMember(group, oldMemberId, newMemberId, p, out);
            } else {
                addMemberThenRebalanceOrCompleteJoin(group, newMemberId, p, out);
            }
            return;
        }
        String newMemberId = p.client().clientId() + "-" + UUID.randomUUID();
        if (p.version() >= 4) {
            // KIP-394: hand out the id first; the member joins for real with it, so a client that gave up on a
            // response never leaves a ghost member behind.
            group.addPendingMember(newMemberId);
            String groupId = group.groupId();
            thread.schedule(p.sessionTimeoutMs(), () -> expirePendingMember(groupId, group, newMemberId));
            out.complete(joinError(Errors.MEMBER_ID_REQUIRED, newMemberId, p.version()));
        } else {
            addMemberThenRebalanceOrCompleteJoin(group, newMemberId, p, out);
        }
    }

    private void joinExistingMember(ClassicGroup group, String memberId, JoinParams p, CompletableFuture<JoinGroupResponseData> out) {
        if (group.removePendingMember(memberId)) {
            addMemberThenRebalanceOrCompleteJoin(group, memberId, p, out);
            return;
        }
        validateMember(group, memberId, p.instanceId());
        ClassicMember member = group.member(memberId);
        switch (group.state()) {
            case PREPARING_REBALANCE -> updateMemberThenRebalanceOrCompleteJoin(group, member, p, out);
            case COMPLETING_REBALANCE -> {
                if (member.sameProtocols(p.protocols())) {
                    // The member missed its JoinGroup response: send it again.
                    member.awaitJoin(out, p.version());
                    member.completeJoin(currentGeneration(group, member, false, p.version()));
                } else {
                    updateMemberThenRebalanceOrCompleteJoin(group, member, p, out);
                }
            }
            case STABLE -> {
                if (group.isLeader(memberId) || !member.sameProtocols(p.protocols())) {
                    // The leader rejoining, or a changed subscription, means a new assignment is wanted.
                    updateMemberThenRebalanceOrCompleteJoin(group, member, p, out);
                } else {
                    member.awaitJoin(out, p.version());
                    member.completeJoin(currentGeneration(group, member, false, p.version()));
                }
            }
            case EMPTY, DEAD -> throw new GroupException(Errors.UNKNOWN_MEMBER_ID);
        }
    }

    private void addMemberThenRebalanceOrCompleteJoin(ClassicGroup group, String memberId, JoinParams p,
                                                      CompletableFuture<JoinGroupResponseData> out) {
        ClassicMember member = new ClassicMember(memberId, p.instanceId(), p.client().clientId(), p.client().clientHost(),
                p.rebalanceTimeoutMs(), p.sessionTimeoutMs(), p.protocols());
        member.isNew(true);
        member.awaitJoin(out, p.version());
        if (group.isEmpty()) {
            group.protocolType(p.protocolType());
        }
        group.add(member);
        if (group.is(ClassicGroupState.PREPARING_REBALANCE) && group.generationId() == 0) {
            group.newMemberAdded(true);
        }
        touchHeartbeat(group, member);
        maybePrepareRebalanceOrCompleteJoin(group, "member " + memberId + " joined");
    }

    private void updateMemberThenRebalanceOrCompleteJoin(ClassicGroup group, ClassicMember member, JoinParams p,
                                                         CompletableFuture<JoinGroupResponseData> out) {
        member.update(p.client().clientId(), p.client().clientHost(), p.rebalanceTimeoutMs(), p.sessionTimeoutMs(), p.protocols());
        member.awaitJoin(out, p.version());
        touchHeartbeat(group, member);
        maybePrepareRebalanceOrCompleteJoin(group, "member " + member.memberId() + " rejoined");
    }

    private void replaceStaticMember(ClassicGroup group, String oldMemberId, String newMemberId, JoinParams p,
                                     CompletableFuture<JoinGroupResponseData> out) {
        String previousLeader = group.leaderId();
        ClassicMember old = group.replaceStaticMember(p.instanceId(), oldMemberId, newMemberId);
        // The old incarnation is fenced: whatever it still waits for fails with FENCED_INSTANCE_ID.
        old.completeJoin(joinError(Errors.FENCED_INSTANCE_ID, oldMemberId, old.joinVersion()));
        old.completeSync(new SyncGroupResponseData().setErrorCode(Errors.FENCED_INSTANCE_ID.code()));
        ClassicMember member = group.member(newMemberId);
        member.update(p.client().clientId(), p.client().clientHost(), p.rebalanceTimeoutMs(), p.sessionTimeoutMs(), p.protocols());
        member.awaitJoin(out, p.version());
        touchHeartbeat(group, member);
        LOG.info("group {}: static member {} rejoined as {}", group.groupId(), p.instanceId(), newMemberId);
        switch (group.state()) {
            case STABLE -> {
                if (group.selectProtocol().equals(group.protocolName())) {
                    // Same protocol: the member keeps its assignment and the group does not rebalance.
                    log.save(group);
                    boolean isLeader = group.isLeader(newMemberId);
                    JoinGroupResponseData response;
                    if (p.version() >= 9) {
                        // KIP-814: the leader learns the members but must not compute a new assignment.
                        response = currentGeneration(group, member, false, p.version()).setSkipAssignment(isLeader);
                        if (!isLeader) {
                            response.setMembers(new ArrayList<>());
                        }
                    } else {
                        response = currentGeneration(group, member, true, p.version()).setLeader(previousLeader);
                    }
                    member.completeJoin(response);
                } else {
                    prepareRebalance(group, "static member " + p.instanceId() + " rejoined with other protocols");
                }
            }
            case COMPLETING_REBALANCE -> prepareRebalance(group, "static member " + p.instanceId() + " rejoined");
            default -> maybeCompleteJoin(group);
        }
    }

    /** The response for a member that rejoins the current generation without changing anything. */
    private JoinGroupResponseData currentGeneration(ClassicGroup group, ClassicMember member, boolean asFollower, short version) {
        boolean leader = !asFollower && group.isLeader(member.memberId());
        return new JoinGroupResponseData()
                .setErrorCode(Errors.NONE.code())
                .setGenerationId(group.generationId())
                .setProtocolType(group.protocolTypeOrNull())
                .setProtocolName(protocolName(group.protocolName(), version))
                .setLeader(group.leaderId())
                .setMemberId(member.memberId())
                .setMembers(leader ? group.leaderView() : new ArrayList<>());
    }

    private void maybePrepareRebalanceOrCompleteJoin(ClassicGroup group, String reason) {
        switch (group.state()) {
            case STABLE, COMPLETING_REBALANCE, EMPTY -> prepareRebalance(group, reason);
            case PREPARING_REBALANCE -> maybeCompleteJoin(group);
            case DEAD -> { }
        }
    }

    private void prepareRebalance(ClassicGroup group, String reason) {
        if (group.is(ClassicGroupState.COMPLETING_REBALANCE)) {
            // The assignment being computed is for a generation that will never be: members must rejoin.
            for (ClassicMember m : group.members()) {
                m.assignment(new byte[0]);
                m.completeSync(new SyncGroupResponseData().setErrorCode(Errors.REBALANCE_IN_PROGRESS.code()));
            }
        }
        group.pendingSyncMembers().clear();
        boolean initial = group.is(ClassicGroupState.EMPTY);
        group.transitionTo(ClassicGroupState.PREPARING_REBALANCE);
        long epoch = group.nextTimerEpoch();
        String groupId = group.groupId();
        LOG.info("group {}: preparing to rebalance (generation {}): {}", groupId, group.generationId(), reason);
        if (initial) {
            int delay = settings.initialRebalanceDelayMs();
            int remaining = Math.max(group.rebalanceTimeoutMs() - delay, 0);
            thread.schedule(delay, () -> initialDelayExpired(groupId, group, epoch, delay, remaining));
        } else {
            thread.schedule(group.rebalanceTimeoutMs(), () -> joinDeadline(groupId, group, epoch));
            maybeCompleteJoin(group);
        }
    }

    /** group.initial.rebalance.delay.ms: an empty group waits a little longer each time someone new joins. */
    private void initialDelayExpired(String groupId, ClassicGroup group, long epoch, int delay, int remaining) {
        if (!isCurrent(groupId, group, epoch) || !group.is(ClassicGroupState.PREPARING_REBALANCE)) {
            return;
        }
        if (group.newMemberAdded() && remaining != 0) {
            group.newMemberAdded(false);
            int nextDelay = Math.min(settings.initialRebalanceDelayMs(), remaining);
            int nextRemaining = Math.max(remaining - delay, 0);
            thread.schedule(nextDelay, () -> initialDelayExpired(groupId, group, epoch, nextDelay, nextRemaining));
        } else {
            completeJoin(group);
        }
    }

    private void joinDeadline(String groupId, ClassicGroup group, long epoch) {
        if (isCurrent(groupId, group, epoch) && group.is(ClassicGroupState.PREPARING_REBALANCE)) {
            completeJoin(group);
        }
    }

    private boolean isCurrent(String groupId, ClassicGroup group, long epoch) {
        return groups.get(groupId) == group && group.timerEpoch() == epoch;
    }

    private void maybeCompleteJoin(ClassicGroup group) {
        if (group.is(ClassicGroupState.PREPARING_REBALANCE) && group.allMembersJoined()
                && group.previousState() != ClassicGroupState.EMPTY) {
            completeJoin(group);
        }
    }

    private void completeJoin(ClassicGroup group) {
        group.nextTimerEpoch();
        List<String> gone = new ArrayList<>();
        for (ClassicMember m : group.members()) {
            if (!m.isAwaitingJoin() && !m.isStatic()) {
                gone.add(m.memberId());
            }
        }
        for (String id : gone) {
            group.remove(id);
        }
        if (!gone.isEmpty()) {
            LOG.info("group {}: removed members that did not rejoin in time: {}", group.groupId(), gone);
        }
        if (group.is(ClassicGroupState.DEAD)) {
            return;
        }
        if (!group.isEmpty() && !group.electJoinedLeader()) {
            // Only static members that have not rejoined are left: wait another rebalance timeout for them.
            long epoch = group.timerEpoch();
            String groupId = group.groupId();
            thread.schedule(group.rebalanceTimeoutMs(), () -> joinDeadline(groupId, group, epoch));
            return;
        }
        group.initNextGeneration();
        if (group.is(ClassicGroupState.EMPTY)) {
            LOG.info("group {}: generation {} is empty", group.groupId(), group.generationId());
            log.save(group);
            return;
        }
        LOG.info("group {}: generation {} with {} members, protocol {}, leader {}", group.groupId(),
                group.generationId(), group.members().size(), group.protocolName(), group.leaderId());
        for (ClassicMember m : group.members()) {
            if (m.isAwaitingJoin()) {
                m.completeJoin(currentGeneration(group, m, false, m.joinVersion()));
            }
            m.isNew(false);
            touchHeartbeat(group, m);
            group.pendingSyncMembers().add(m.memberId());
        }
        int generation = group.generationId();
        String groupId = group.groupId();
        thread.schedule(group.rebalanceTimeoutMs(), () -> expirePendingSync(groupId, group, generation));
    }

    /** Members that got the new generation but never sent SyncGroup within the rebalance timeout are dropped. */
    private void expirePendingSync(String groupId, ClassicGroup group, int generation) {
        if (groups.get(groupId) != group || group.generationId() != generation || group.pendingSyncMembers().isEmpty()) {
            return;
        }
        if (group.is(ClassicGroupState.COMPLETING_REBALANCE) || group.is(ClassicGroupState.STABLE)) {
            List<String> late = new ArrayList<>(group.pendingSyncMembers());
            LOG.info("group {}: members {} did not sync in time", groupId, late);
            for (String id : late) {
                removeMember(group, id);
            }
            prepareRebalance(group, "members did not sync in time: " + late);
        }
    }

    // ---- SyncGroup -------------------------------------------------------------------------------------------------

    public CompletableFuture<SyncGroupResponseData> sync(SyncGroupRequestData request, short version) {
        CompletableFuture<SyncGroupResponseData> out = new CompletableFuture<>();
        try {
            doSync(request, version, out);
        } catch (GroupException e) {
            out.complete(new SyncGroupResponseData().setErrorCode(e.error().code()));
        }
        return out;
    }

    private void doSync(SyncGroupRequestData request, short version, CompletableFuture<SyncGroupResponseData> out) {
        ClassicGroup group = existingGroup(request.groupId());
        String memberId = request.memberId();
        validateMember(group, memberId, version >= 3 ? request.groupInstanceId() : null);
        if (request.generationId() != group.generationId()) {
            throw new GroupException(Errors.ILLEGAL_GENERATION);
        }
        if (request.protocolType() != null && !request.protocolType().equals(group.protocolTypeOrNull())) {
            throw new GroupException(Errors.INCONSISTENT_GROUP_PROTOCOL);
        }
        if (request.protocolName() != null && !request.protocolName().equals(group.protocolName())) {
            throw new GroupException(Errors.INCONSISTENT_GROUP_PROTOCOL);
        }
        ClassicMember member = group.member(memberId);
        switch (group.state()) {
            case EMPTY, DEAD -> throw new GroupException(Errors.UNKNOWN_MEMBER_ID);
            case PREPARING_REBALANCE -> throw new GroupException(Errors.REBALANCE_IN_PROGRESS);
            case COMPLETING_REBALANCE -> {
                group.pendingSyncMembers().remove(memberId);
                member.awaitSync(out);
                touchHeartbeat(group, member);
                if (group.isLeader(memberId)) {
                    Map<String, byte[]> assignments = new HashMap<>();
                    request.assignments().forEach(a -> assignments.put(a.memberId(), a.assignment()));
                    for (ClassicMember m : group.members()) {
                        m.assignment(assignments.get(m.memberId()));
                    }
                    group.transitionTo(ClassicGroupState.STABLE);
                    log.save(group);
                    for (ClassicMember m : group.members()) {
                        m.completeSync(syncAnswer(group, m));
                    }
                }
            }
            case STABLE -> {
                group.pendingSyncMembers().remove(memberId);
                touchHeartbeat(group, member);
                out.complete(syncAnswer(group, member));
            }
        }
    }

    private static SyncGroupResponseData syncAnswer(ClassicGroup group, ClassicMember member) {
        return new SyncGroupResponseData()
                .setErrorCode(Errors.NONE.code())
                .setProtocolType(group.protocolTypeOrNull())
                .setProtocolName(group.protocolName())
                .setAssignment(member.assignment());
    }

    // ---- Heartbeat -------------------------------------------------------------------------------------------------

    public HeartbeatResponseData heartbeat(HeartbeatRequestData request, short version) {
        try {
            ClassicGroup group = existingGroup(request.groupId());
            validateMember(group, request.memberId(), version >= 3 ? request.groupInstanceId() : null);
            if (request.generationId() != group.generationId()) {
                throw new GroupException(Errors.ILLEGAL_GENERATION);
            }
            ClassicMember member = group.member(request.memberId());
            touchHeartbeat(group, member);
            Errors error = switch (group.state()) {
                case PREPARING_REBALANCE -> Errors.REBALANCE_IN_PROGRESS;
                case COMPLETING_REBALANCE, STABLE -> Errors.NONE;
                case EMPTY, DEAD -> Errors.UNKNOWN_MEMBER_ID;
            };
            return new HeartbeatResponseData().setErrorCode(error.code());
        } catch (GroupException e) {
            return new HeartbeatResponseData().setErrorCode(e.error().code());
        }
    }

    /** Offset commits keep a classic member's session alive, as in Kafka. */
    public void touchIfMember(ClassicGroup group, String memberId) {
        ClassicMember member = group.member(memberId);
        if (member != null && (group.is(ClassicGroupState.STABLE) || group.is(ClassicGroupState.PREPARING_REBALANCE))) {
            touchHeartbeat(group, member);
        }
    }

    // ---- LeaveGroup ------------------------------------------------------------------------------------------------

    public LeaveGroupResponseData leave(LeaveGroupRequestData request, short version) {
        List<MemberIdentity> leaving = version >= 3 ? request.members()
                : List.of(new MemberIdentity().setMemberId(request.memberId()));
        ClassicGroup group;
        try {
            group = existingGroup(request.groupId());
        } catch (GroupException e) {
            return new LeaveGroupResponseData().setErrorCode(e.error().code());
        }
        List<MemberResponse> results = new ArrayList<>();
        boolean anyRemoved = false;
        for (MemberIdentity identity : leaving) {
            Errors error = leaveOne(group, identity);
            anyRemoved |= error == Errors.NONE;
            results.add(new MemberResponse()
                    .setMemberId(identity.memberId())
                    .setGroupInstanceId(identity.groupInstanceId())
                    .setErrorCode(error.code()));
        }
        if (anyRemoved) {
            afterMembersRemoved(group, "members left: " + leaving.stream().map(MemberIdentity::memberId).toList());
        }
        if (version >= 3) {
            return new LeaveGroupResponseData().setErrorCode(Errors.NONE.code()).setMembers(results);
        }
        return new LeaveGroupResponseData().setErrorCode(results.getFirst().errorCode());
    }

    private Errors leaveOne(ClassicGroup group, MemberIdentity identity) {
        String memberId = identity.memberId();
        String instanceId = identity.groupInstanceId();
        if (instanceId == null) {
            if (group.removePendingMember(memberId)) {
                return Errors.NONE;
            }
            if (!group.hasMember(memberId)) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            removeMember(group, memberId);
            return Errors.NONE;
        }
        String existing = group.staticMemberId(instanceId);
        if (existing == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (memberId != null && !memberId.isEmpty() && !memberId.equals(existing)) {
            return Errors.FENCED_INSTANCE_ID;
        }
        removeMember(group, existing);
        return Errors.NONE;
    }

    /** Removes a member; whatever it still waits for fails with UNKNOWN_MEMBER_ID. Callers then rebalance. */
    private void removeMember(ClassicGroup group, String memberId) {
        ClassicMember member = group.member(memberId);
        if (member == null) {
            return;
        }
        group.remove(memberId);
        member.completeJoin(joinError(Errors.UNKNOWN_MEMBER_ID, memberId, member.joinVersion()));
        member.completeSync(new SyncGroupResponseData().setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()));
    }

    private void afterMembersRemoved(ClassicGroup group, String reason) {
        switch (group.state()) {
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance(group, reason);
            case PREPARING_REBALANCE -> maybeCompleteJoin(group);
            case EMPTY, DEAD -> { }
        }
    }

    // ---- sessions ---------------------------------------------------------------------------------------------------

    private void touchHeartbeat(ClassicGroup group, ClassicMember member) {
        member.heartbeatDeadlineMs(thread.nowMs() + member.sessionTimeoutMs());
        armExpiry(group, member, member.sessionTimeoutMs());
    }

    private void armExpiry(ClassicGroup group, ClassicMember member, long delayMs) {
        if (member.expiryArmed()) {
            return;
        }
        member.expiryArmed(true);
        String groupId = group.groupId();
        thread.schedule(delayMs, () -> checkSession(groupId, group, member));
    }

    /** Restored members get one session timeout to come back, as after a coordinator failover in Kafka. */
    public void armRestoredSessions(ClassicGroup group) {
        for (ClassicMember m : group.members()) {
            touchHeartbeat(group, m);
        }
    }

    private void checkSession(String groupId, ClassicGroup group, ClassicMember member) {
        member.expiryArmed(false);
        if (groups.get(groupId) != group || group.member(member.memberId()) != member) {
            return; // removed or replaced meanwhile
        }
        long now = thread.nowMs();
        if (member.isAwaitingJoin() || member.isAwaitingSync()) {
            // A member parked on a JoinGroup or SyncGroup response is alive by definition.
            touchHeartbeat(group, member);
            return;
        }
        if (now < member.heartbeatDeadlineMs()) {
            armExpiry(group, member, member.heartbeatDeadlineMs() - now);
            return;
        }
        LOG.info("group {}: member {} session expired ({} ms)", groupId, member.memberId(), member.sessionTimeoutMs());
        removeMember(group, member.memberId());
        afterMembersRemoved(group, "session of " + member.memberId() + " expired");
    }

    private void expirePendingMember(String groupId, ClassicGroup group, String memberId) {
        if (groups.get(groupId) == group && group.removePendingMember(memberId)) {
            maybeCompleteJoin(group);
        }
    }

    // ---- online migration (KIP-848) -----------------------------------------------------------------------------------

    /**
     * The group becomes a consumer group (a consumer-protocol member joined it): whoever waits for a JoinGroup or
     * SyncGroup answer gets REBALANCE_IN_PROGRESS and rejoins, now into the consumer group; its timers are forgotten.
     */
    public void releaseForUpgrade(ClassicGroup group) {
        group.nextTimerEpoch();
        for (ClassicMember m : group.members()) {
            m.completeJoin(joinError(Errors.REBALANCE_IN_PROGRESS, m.memberId(), m.joinVersion()));
            m.completeSync(new SyncGroupResponseData().setErrorCode(Errors.REBALANCE_IN_PROGRESS.code()));
        }
    }

    /**
     * A consumer group became this classic group (its last consumer-protocol member left or was replaced): its
     * members get a session timeout to heartbeat, and, given a reason, it rebalances at once so that they rejoin
     * under the classic rules.
     */
    public void adoptDowngraded(ClassicGroup group, String rebalanceReason) {
        armRestoredSessions(group);
        if (rebalanceReason != null) {
            prepareRebalance(group, rebalanceReason);
        }
    }

    /** The checks of a JoinGroup that come before any group rule (Kafka's coordinator service): null if it passes. */
    public Errors joinRequestError(JoinGroupRequestData request) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return Errors.INVALID_GROUP_ID;
        }
        if (request.sessionTimeoutMs() < settings.minSessionTimeoutMs() || request.sessionTimeoutMs() > settings.maxSessionTimeoutMs()) {
            return Errors.INVALID_SESSION_TIMEOUT;
        }
        return null;
    }

    /** A JoinGroup error answer in the shape the version allows. */
    public static JoinGroupResponseData joinErrorResponse(Errors error, String memberId, short version) {
        return joinError(error, memberId, version);
    }

    // ---- shared checks ----------------------------------------------------------------------------------------------

    private ClassicGroup existingGroup(String groupId) {
        Group g = groupId == null ? null : groups.get(groupId);
        if (g instanceof ClassicGroup classic) {
            if (classic.is(ClassicGroupState.DEAD)) {
                throw new GroupException(Errors.COORDINATOR_NOT_AVAILABLE);
            }
            return classic;
        }
        throw new GroupException(Errors.UNKNOWN_MEMBER_ID);
    }

    private static void validateMember(ClassicGroup group, String memberId, String instanceId) {
        if (instanceId != null) {
            String existing = group.staticMemberId(instanceId);
            if (existing == null) {
                throw new GroupException(Errors.UNKNOWN_MEMBER_ID);
            }
            if (!existing.equals(memberId)) {
                throw new GroupException(Errors.FENCED_INSTANCE_ID);
            }
        } else if (!group.hasMember(memberId)) {
            throw new GroupException(Errors.UNKNOWN_MEMBER_ID);
        }
    }

    /** Offset commits from group members pass the same identity checks as heartbeats. */
    public static void validateCommit(ClassicGroup group, String memberId, String instanceId, int generationId) {
        validateCommit(group, memberId, instanceId, generationId, false);
    }

    /**
     * The OffsetCommit ladder; a transactional commit (TxnOffsetCommit) without member or generation is accepted on
     * any group, and none is refused for a rebalance in progress, as in Kafka.
     */
    public static void validateCommit(ClassicGroup group, String memberId, String instanceId, int generationId,
                                      boolean transactional) {
        if (group.is(ClassicGroupState.DEAD)) {
            throw new GroupException(Errors.COORDINATOR_NOT_AVAILABLE);
        }
        if (generationId < 0 && group.is(ClassicGroupState.EMPTY)) {
            return; // a simple consumer (assign()) or the admin client
        }
        if (generationId >= 0 || !memberId.isEmpty() || instanceId != null) {
            validateMember(group, memberId, instanceId);
            if (generationId != group.generationId()) {
                throw new GroupException(Errors.ILLEGAL_GENERATION);
            }
        } else if (!group.is(ClassicGroupState.EMPTY) && !transactional) {
            throw new GroupException(Errors.UNKNOWN_MEMBER_ID);
        }
        if (group.is(ClassicGroupState.COMPLETING_REBALANCE) && !transactional) {
            throw new GroupException(Errors.REBALANCE_IN_PROGRESS);
        }
    }

    static JoinGroupResponseData joinError(Errors error, String memberId, short version) {
        return new JoinGroupResponseData()
                .setErrorCode(error.code())
                .setGenerationId(-1)
                .setMemberId(memberId == null ? "" : memberId)
                .setProtocolName(protocolName(null, version))
                .setLeader("");
    }

    /** ProtocolName is nullable only from JoinGroup v7 on; older versions get an empty string. */
    private static String protocolName(String name, short version) {
        return name == null && version < 7 ? "" : name;
    }
}
