package dev.walrus.kafka.group.consumer;

import dev.walrus.kafka.group.ClientInfo;
import dev.walrus.kafka.group.Group;
import dev.walrus.kafka.group.GroupConfigOverrides;
import dev.walrus.kafka.group.GroupException;
import dev.walrus.kafka.group.GroupSettings;
import dev.walrus.kafka.group.GroupThread;
import dev.walrus.kafka.group.HeartbeatGroup;
import dev.walrus.kafka.group.classic.ClassicGroup;
import dev.walrus.kafka.group.store.GroupLog;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.Topics;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The rules of the consumer group protocol (KIP-848): ConsumerGroupHeartbeat drives everything. A membership or
 * subscription change bumps the group epoch; the server assignor then computes a target assignment for that epoch;
 * each member reconciles towards it one heartbeat at a time, giving up partitions before anyone else gets them
 * (revocation first, then assignment once the previous owner has released them).
 *
 * <p>Runs on the {@link GroupThread} only. Mirrors Apache Kafka 4.x's consumer group coordinator and its error codes.
 */
public final class ConsumerGroupProtocol {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroupProtocol.class);

    private final Map<String, Group> groups;
    private final GroupThread thread;
    private final GroupSettings settings;
    private final GroupLog log;
    private final Topics topics;
    private final Map<String, ServerAssignor> assignors = new HashMap<>();
    private final ProtocolMigration migration;
    private final ClassicProtocolMembers classicMembers;
    private final GroupConfigOverrides groupConfigs;

    public ConsumerGroupProtocol(Map<String, Group> groups, GroupThread thread, GroupSettings settings, GroupLog log, Topics topics) {
        this(groups, thread, settings, log, topics, ProtocolMigration.NONE, new GroupConfigOverrides());
    }

    /** @param groupConfigs where a group's {@code consumer.session.timeout.ms} and {@code consumer.heartbeat.interval.ms} come from */
    public ConsumerGroupProtocol(Map<String, Group> groups, GroupThread thread, GroupSettings settings, GroupLog log,
                                 Topics topics, ProtocolMigration migration, GroupConfigOverrides groupConfigs) {
        this.groups = groups;
        this.thread = thread;
        this.settings = settings;
        this.log = log;
        this.topics = topics;
        this.migration = migration;
        this.groupConfigs = groupConfigs;
        this.classicMembers = new ClassicProtocolMembers(this, settings, log, topics, thread);
        for (ServerAssignor a : List.of(new UniformAssignor(), new RangeAssignor())) {
            assignors.put(a.name(), a);
        }
    }

    // ---- ConsumerGroupHeartbeat -------------------------------------------------------------------------------------

    public ConsumerGroupHeartbeatResponseData heartbeat(ConsumerGroupHeartbeatRequestData request, short version, ClientInfo client) {
        try {
            validate(request, version);
            int epoch = request.memberEpoch();
            if (epoch == ConsumerMember.LEAVE_GROUP_MEMBER_EPOCH || epoch == ConsumerMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
                return leave(request);
            }
            return heartbeatMember(request, client);
        } catch (GroupException e) {
            return new ConsumerGroupHeartbeatResponseData()
                    .setErrorCode(e.error().code())
                    .setErrorMessage(e.getMessage());
        }
    }

    // ---- classic-protocol members of a consumer group (KIP-848 migration) ---------------------------------------------

    /** JoinGroup to a consumer group with members (the coordinator checked the group id and session timeout). */
    public JoinGroupResponseData classicJoin(ConsumerGroup group, JoinGroupRequestData request, short version, ClientInfo client) {
        try {
            return classicMembers.join(group, request, version, client);
        } catch (GroupException e) {
            return new JoinGroupResponseData().setErrorCode(e.error().code()).setGenerationId(-1)
                    .setMemberId(request.memberId() == null ? "" : request.memberId())
                    .setProtocolName(version < 7 ? "" : null).setLeader("");
        }
    }

    public SyncGroupResponseData classicSync(ConsumerGroup group, SyncGroupRequestData request, short version) {
        try {
            return classicMembers.sync(group, request, version);
        } catch (GroupException e) {
            return new SyncGroupResponseData().setErrorCode(e.error().code());
        }
    }

    public HeartbeatResponseData classicHeartbeat(ConsumerGroup group, HeartbeatRequestData request, short version) {
        try {
            return classicMembers.heartbeat(group, request, version);
        } catch (GroupException e) {
            return new HeartbeatResponseData().setErrorCode(e.error().code());
        }
    }

    public LeaveGroupResponseData classicLeave(ConsumerGroup group, LeaveGroupRequestData request, short version) {
        return classicMembers.leave(group, request, version);
    }

    private void validate(ConsumerGroupHeartbeatRequestData r, short version) {
        if (r.groupId() == null || r.groupId().isEmpty()) {
            throw new GroupException(Errors.INVALID_REQUEST, "GroupId can't be empty.");
        }
        if (r.instanceId() != null && r.instanceId().isEmpty()) {
            throw new GroupException(Errors.INVALID_REQUEST, "InstanceId can't be empty.");
        }
        if (r.rackId() != null && r.rackId().isEmpty()) {
            throw new GroupException(Errors.INVALID_REQUEST, "RackId can't be empty.");
        }
        int epoch = r.memberEpoch();
        boolean memberIdMissing = r.memberId() == null || r.memberId().isEmpty();
        if (epoch > 0 || epoch == ConsumerMember.LEAVE_GROUP_MEMBER_EPOCH) {
            if (memberIdMissing) {
                throw new GroupException(Errors.INVALID_REQUEST, "MemberId can't be empty.");
            }
        } else if (epoch == 0) {
            if (version >= 1 && memberIdMissing) {
                // KIP-1082: from version 1 the consumer generates its own member id.
                throw new GroupException(Errors.INVALID_REQUEST, "MemberId can't be empty.");
            }
            if (r.rebalanceTimeoutMs() == -1) {
                throw new GroupException(Errors.INVALID_REQUEST, "RebalanceTimeoutMs must be provided in first request.");
            }
            if (r.topicPartitions() == null || !r.topicPartitions().isEmpty()) {
                throw new GroupException(Errors.INVALID_REQUEST, "TopicPartitions must be empty when (re-)joining.");
            }
            // an empty list is a subscription too (a client-side pattern that matches no topic yet), as in Kafka
            if (r.subscribedTopicNames() == null && r.subscribedTopicRegex() == null) {
                throw new GroupException(Errors.INVALID_REQUEST,
                        "Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when (re-)joining.");
            }
        } else if (epoch == ConsumerMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
            if (memberIdMissing) {
                throw new GroupException(Errors.INVALID_REQUEST, "MemberId can't be empty.");
            }
            if (r.instanceId() == null) {
                throw new GroupException(Errors.INVALID_REQUEST, "InstanceId can't be null.");
            }
        } else {
            throw new GroupException(Errors.INVALID_REQUEST, "MemberEpoch is invalid.");
        }
        if (r.subscribedTopicRegex() != null && !r.subscribedTopicRegex().isEmpty()) {
            try {
                Pattern.compile(r.subscribedTopicRegex());
            } catch (PatternSyntaxException e) {
                throw new GroupException(Errors.INVALID_REGULAR_EXPRESSION, "SubscribedTopicRegex " + r.subscribedTopicRegex()
                        + " is not a valid regular expression: " + e.getDescription());
            }
        }
        if (r.serverAssignor() != null && !assignors.containsKey(r.serverAssignor())) {
            throw new GroupException(Errors.UNSUPPORTED_ASSIGNOR, "ServerAssignor " + r.serverAssignor()
                    + " is not supported. Supported assignors: " + String.join(", ", new TreeSet<>(assignors.keySet())) + ".");
        }
    }

    private ConsumerGroupHeartbeatResponseData heartbeatMember(ConsumerGroupHeartbeatRequestData r, ClientInfo client) {
        int epoch = r.memberEpoch();
        String memberId = r.memberId() == null || r.memberId().isEmpty() ? Uuid.randomUuid().toString() : r.memberId();
        ConsumerGroup group = groupFor(r.groupId(), epoch == 0, memberId);
        if (group.members.size() >= settings.consumerMaxGroupSize() && !group.members.containsKey(memberId)
                && group.staticMember(r.instanceId()) == null) {
            throw new GroupException(Errors.GROUP_MAX_SIZE_REACHED, "The consumer group has reached its maximum capacity of "
                    + settings.consumerMaxGroupSize() + " members.");
        }
        boolean changed = false;
        ConsumerMember member;
        List<String> namesBefore;
        String regexBefore;
        if (epoch == 0) {
            member = joinMember(group, memberId, r.instanceId());
            changed = true;
        } else {
            member = group.existingMember(memberId, r.instanceId());
            group.checkEpoch(member, epoch, () -> ownsOnly(r.topicPartitions(), member.assigned));
        }
        namesBefore = member.subscribedTopicNames;
        regexBefore = member.subscribedTopicRegex;
        Map<Uuid, Set<Integer>> assignedBefore = Assignment.copy(member.assigned);
        int epochBefore = member.memberEpoch;

        if (r.rackId() != null) {
            member.rackId = r.rackId();
        }
        if (r.rebalanceTimeoutMs() != -1) {
            member.rebalanceTimeoutMs = r.rebalanceTimeoutMs();
        }
        if (r.serverAssignor() != null) {
            changed |= !r.serverAssignor().equals(member.serverAssignor);
            member.serverAssignor = r.serverAssignor();
        }
        if (r.subscribedTopicNames() != null) {
            member.subscribedTopicNames = List.copyOf(r.subscribedTopicNames());
        }
        if (r.subscribedTopicRegex() != null) {
            member.subscribedTopicRegex = r.subscribedTopicRegex().isEmpty() ? null : r.subscribedTopicRegex();
        }
        member.clientId = client.clientId();
        member.clientHost = client.clientHost();
        member.describableTopic = client.describableTopic();

        boolean subscriptionChanged = !new HashSet<>(namesBefore).equals(new HashSet<>(member.subscribedTopicNames))
                || !Objects.equals(regexBefore, member.subscribedTopicRegex);
        String signature = subscriptionSignature(group);
        if (subscriptionChanged || !signature.equals(group.subscriptionSignature)) {
            group.groupEpoch++;
            group.subscriptionSignature = signature;
            changed = true;
            LOG.info("group {}: epoch {} ({})", group.groupId(), group.groupEpoch,
                    subscriptionChanged ? "member " + memberId + " subscription changed" : "subscribed topics changed");
        }
        if (group.groupEpoch > group.assignmentEpoch) {
            computeTargetAssignment(group);
            changed = true;
        }
        changed |= reconcile(group, member, r.topicPartitions());
        changed |= member.memberEpoch != epochBefore;
        touchSession(group, member);
        if (changed) {
            log.save(group);
        }
        ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
                .setMemberId(member.memberId())
                .setMemberEpoch(member.memberEpoch)
                .setHeartbeatIntervalMs(heartbeatIntervalMs(group.groupId()));
        boolean fullRequest = epoch == 0 || (r.rebalanceTimeoutMs() != -1
                && (r.subscribedTopicNames() != null || r.subscribedTopicRegex() != null) && r.topicPartitions() != null);
        if (fullRequest || !Assignment.equal(assignedBefore, member.assigned)) {
            response.setAssignment(new ConsumerGroupHeartbeatResponseData.Assignment()
                    .setTopicPartitions(heartbeatPartitions(member.assigned)));
        }
        return response;
    }

    private ConsumerGroup groupFor(String groupId, boolean create, String joiningMemberId) {
        Group g = groups.get(groupId);
        if (g instanceof ConsumerGroup consumer) {
            return consumer;
        }
        if (g instanceof ClassicGroup classic) {
            if (create && classic.isEmpty()) {
                // An empty classic group (perhaps only committed offsets) becomes a consumer group; offsets stay.
                ConsumerGroup upgraded = new ConsumerGroup(groupId);
                groups.put(groupId, upgraded);
                return upgraded;
            }
            if (create) {
                // KIP-848 online upgrade: the classic members carry on inside the consumer group. A join the
                // upgraded group could not take anyway leaves the classic group as it is (Kafka writes nothing then).
                ConsumerGroup upgraded = migration.upgrade(classic);
                if (classic.members().size() >= settings.consumerMaxGroupSize() && !classic.hasMember(joiningMemberId)) {
                    throw new GroupException(Errors.GROUP_MAX_SIZE_REACHED, "The consumer group has reached its maximum capacity of "
                            + settings.consumerMaxGroupSize() + " members.");
                }
                migration.replace(classic, upgraded);
                upgraded.subscriptionSignature = subscriptionSignature(upgraded);
                armRestoredSessions(upgraded);
                log.save(upgraded);
                return upgraded;
            }
            throw new GroupException(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " is not a consumer group.");
        }
        if (g != null) {
            // a group of another kind (a KIP-1071 streams or a KIP-932 share group) keeps its id: Kafka does not convert it
            throw new GroupException(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " is not a consumer group.");
        }
        if (!create) {
            // The group is gone (deleted, or never existed): the member must rejoin from scratch.
            throw new GroupException(Errors.UNKNOWN_MEMBER_ID, "Group " + groupId + " has no member with this id.");
        }
        ConsumerGroup created = new ConsumerGroup(groupId);
        groups.put(groupId, created);
        return created;
    }

    private ConsumerMember joinMember(ConsumerGroup group, String memberId, String instanceId) {
        if (instanceId != null) {
            ConsumerMember existing = group.staticMember(instanceId);
            if (existing != null && !existing.memberId().equals(memberId)) {
                // A classic incarnation is replaced at once, a consumer-protocol one only once it has left (Kafka).
                if (existing.memberEpoch != ConsumerMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH && !existing.usesClassicProtocol()) {
                    throw new GroupException(Errors.UNRELEASED_INSTANCE_ID, "Static member " + existing.memberId()
                            + " with instance id " + instanceId + " is not released yet.");
                }
                // The static member comes back within its session, now with the consumer protocol.
                ConsumerMember replacement = group.replaceStaticMember(existing, memberId);
                replacement.classic = null;
                LOG.info("group {}: static member {} rejoined as {}", group.groupId(), instanceId, memberId);
                return replacement;
            }
        }
        if (group.members.containsKey(memberId)) {
            // A member that lost its epoch (fenced, or its session expired) rejoins with epoch 0: it has given up
            // every partition, so it starts over.
            group.remove(memberId);
        }
        ConsumerMember fresh = new ConsumerMember(memberId);
        fresh.instanceId = instanceId;
        group.put(fresh);
        LOG.info("group {}: member {} joins", group.groupId(), memberId);
        return fresh;
    }

    /** Whether the member reports owning only partitions of its assignment; a member that reports nothing does not. */
    private static boolean ownsOnly(List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned, Map<Uuid, Set<Integer>> assigned) {
        if (owned == null) {
            return false;
        }
        for (ConsumerGroupHeartbeatRequestData.TopicPartitions tp : owned) {
            for (int p : tp.partitions()) {
                if (!Assignment.contains(assigned, tp.topicId(), p)) {
                    return false;
                }
            }
        }
        return true;
    }

    // ---- leaving ------------------------------------------------------------------------------------------------------

    private ConsumerGroupHeartbeatResponseData leave(ConsumerGroupHeartbeatRequestData r) {
        Group g = groups.get(r.groupId());
        if (!(g instanceof ConsumerGroup group)) {
            throw new GroupException(Errors.GROUP_ID_NOT_FOUND, "Group " + r.groupId() + " not found.");
        }
        ConsumerMember member = group.leavingMember(r.memberId(), r.instanceId());
        if (r.memberEpoch() == ConsumerMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
            // A static member leaving for a moment keeps its partitions for one session timeout.
            member.epoch(ConsumerMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH);
            member.pendingRevocation = new HashMap<>();
            member.revocationDeadlineMs = 0;
            log.save(group);
            LOG.info("group {}: static member {} ({}) left temporarily", group.groupId(), member.memberId(), member.instanceId());
            return new ConsumerGroupHeartbeatResponseData()
                    .setMemberId(member.memberId())
                    .setMemberEpoch(ConsumerMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH);
        }
        fence(group, member, "left the group");
        return new ConsumerGroupHeartbeatResponseData()
                .setMemberId(r.memberId())
                .setMemberEpoch(ConsumerMember.LEAVE_GROUP_MEMBER_EPOCH);
    }

    ProtocolMigration migration() {
        return migration;
    }

    /** Removes a member; its partitions become free for the others, who get them at the next epoch. */
    void fence(ConsumerGroup group, ConsumerMember member, String why) {
        fence(group, List.of(member), why);
    }

    /**
     * Removes members; their partitions become free for the others, who get them at the next epoch. When only
     * classic members would remain, the group may be downgraded to a classic group instead (KIP-848): the leaving
     * members are then simply not part of it.
     */
    void fence(ConsumerGroup group, Collection<ConsumerMember> leaving, String why) {
        if (leaving.isEmpty()) {
            return;
        }
        Set<String> ids = new HashSet<>();
        leaving.forEach(m -> ids.add(m.memberId()));
        if (migration.downgradeWithout(group, ids)) {
            LOG.info("group {}: members {} {}; downgraded to a classic group", group.groupId(), ids, why);
            return;
        }
        for (ConsumerMember m : leaving) {
            group.remove(m.memberId());
        }
        group.groupEpoch++;
        if (group.members.isEmpty()) {
            // An empty group has nothing to assign: its next member starts from a fresh target (as Kafka does).
            group.assignmentEpoch = group.groupEpoch;
        }
        group.subscriptionSignature = subscriptionSignature(group);
        log.save(group);
        LOG.info("group {}: members {} {}; epoch {}", group.groupId(), ids, why, group.groupEpoch);
    }

    // ---- assignment ---------------------------------------------------------------------------------------------------

    void computeTargetAssignment(ConsumerGroup group) {
        SortedMap<String, Set<Uuid>> subscriptions = new TreeMap<>();
        Map<Uuid, Integer> partitionCounts = new HashMap<>();
        for (ConsumerMember m : group.members.values()) {
            Set<Uuid> ids = new HashSet<>();
            for (TopicInfo t : subscribedTopics(m)) {
                ids.add(t.id());
                partitionCounts.put(t.id(), t.partitions());
            }
            subscriptions.put(m.memberId(), ids);
        }
        ServerAssignor assignor = assignors.get(assignorName(group));
        Map<String, Map<Uuid, Set<Integer>>> target = assignor.assign(subscriptions, partitionCounts, group.targetAssignment);
        group.targetAssignment.clear();
        target.forEach((member, a) -> group.targetAssignment.put(member, Assignment.copy(a)));
        group.assignmentEpoch = group.groupEpoch;
        LOG.debug("group {}: target assignment of epoch {} by {}: {}", group.groupId(), group.assignmentEpoch, assignor.name(), target);
    }

    /** The assignor most members ask for, else the broker's default ({@code group.consumer.assignors}). */
    String assignorName(ConsumerGroup group) {
        Map<String, Integer> votes = new TreeMap<>();
        for (ConsumerMember m : group.members.values()) {
            if (m.serverAssignor != null) {
                votes.merge(m.serverAssignor, 1, Integer::sum);
            }
        }
        String chosen = votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElse(settings.consumerDefaultAssignor());
        return assignors.containsKey(chosen) ? chosen : "uniform";
    }

    /**
     * The topics a member subscribes to that exist now: its names plus whatever its regex matches among the topics it
     * may describe.
     */
    private List<TopicInfo> subscribedTopics(ConsumerMember m) {
        List<TopicInfo> result = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : m.subscribedTopicNames) {
            topics.byName(name).ifPresent(t -> {
                if (seen.add(t.name())) {
                    result.add(t);
                }
            });
        }
        if (m.subscribedTopicRegex != null) {
            Pattern pattern = Pattern.compile(m.subscribedTopicRegex);
            for (TopicInfo t : topics.all()) {
                if (pattern.matcher(t.name()).matches() && !t.name().startsWith("__")
                        && m.describableTopic.test(t.name()) && seen.add(t.name())) {
                    result.add(t);
                }
            }
        }
        return result;
    }

    /** Names, ids and partition counts of every subscribed topic: when this changes, the group epoch moves. */
    String subscriptionSignature(ConsumerGroup group) {
        TreeMap<String, String> parts = new TreeMap<>();
        for (ConsumerMember m : group.members.values()) {
            for (TopicInfo t : subscribedTopics(m)) {
                parts.put(t.name(), t.id() + ":" + t.partitions());
            }
        }
        return parts.toString();
    }

    /**
     * Moves a member one step towards its target (Kafka's CurrentAssignmentBuilder): partitions it must give up are
     * revoked first and its epoch stays until it confirms; new partitions come only once no one else owns them.
     *
     * @return whether the member's epoch, state or partitions changed
     */
    boolean reconcile(ConsumerGroup group, ConsumerMember member, List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned) {
        int targetEpoch = group.assignmentEpoch;
        MemberState stateBefore = member.state;
        int epochBefore = member.memberEpoch;
        Map<Uuid, Set<Integer>> assignedBefore = Assignment.copy(member.assigned);
        switch (member.state) {
            case STABLE -> {
                if (member.memberEpoch != targetEpoch) {
                    nextAssignment(group, member, member.memberEpoch, owned);
                }
            }
            case UNREVOKED_PARTITIONS -> {
                if (!ownsAnyOf(owned, member.pendingRevocation)) {
                    nextAssignment(group, member, member.memberEpoch + 1, owned);
                }
            }
            case UNRELEASED_PARTITIONS -> nextAssignment(group, member, member.memberEpoch, owned);
        }
        return member.state != stateBefore || member.memberEpoch != epochBefore || !Assignment.equal(assignedBefore, member.assigned);
    }

    private void nextAssignment(ConsumerGroup group, ConsumerMember member, int epoch,
                                List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned) {
        Map<Uuid, Set<Integer>> target = group.targetOf(member.memberId());
        int targetEpoch = group.assignmentEpoch;
        Map<Uuid, Set<Integer>> keep = new HashMap<>();
        Map<Uuid, Set<Integer>> revoke = new HashMap<>();
        Map<Uuid, Set<Integer>> add = new HashMap<>();
        boolean unreleased = false;
        Set<Uuid> topicIds = new HashSet<>(target.keySet());
        topicIds.addAll(member.assigned.keySet());
        for (Uuid topic : topicIds) {
            Set<Integer> want = target.getOrDefault(topic, Set.of());
            for (int p : member.assigned.getOrDefault(topic, Set.of())) {
                Assignment.add(want.contains(p) ? keep : revoke, topic, p);
            }
            for (int p : want) {
                if (Assignment.contains(member.assigned, topic, p)) {
                    continue;
                }
                if (group.ownerEpoch(topic, p, member.memberId()) != -1) {
                    unreleased = true;
                } else {
                    Assignment.add(add, topic, p);
                }
            }
        }
        if (!revoke.isEmpty() && ownsAnyOf(owned, revoke)) {
            member.state = MemberState.UNREVOKED_PARTITIONS;
            member.partitionEpochs = epochsOf(member, keep, revoke, Map.of(), targetEpoch);
            member.epoch(epoch);
            member.assigned = keep;
            member.pendingRevocation = revoke;
            member.revocationDeadlineMs = thread.nowMs() + member.rebalanceDeadlineDelayMs();
            armExpiry(group, member, member.rebalanceDeadlineDelayMs());
            return;
        }
        member.partitionEpochs = epochsOf(member, keep, Map.of(), add, targetEpoch);
        add.forEach((topic, ps) -> ps.forEach(p -> Assignment.add(keep, topic, p)));
        member.state = unreleased ? MemberState.UNRELEASED_PARTITIONS : MemberState.STABLE;
        member.epoch(targetEpoch);
        member.assigned = keep;
        member.pendingRevocation = new HashMap<>();
        member.revocationDeadlineMs = 0;
    }

    /** Kept and revoking partitions keep the epoch they were assigned at; added ones are assigned at the target epoch. */
    private static Map<Uuid, Map<Integer, Integer>> epochsOf(ConsumerMember member, Map<Uuid, Set<Integer>> keep,
                                                            Map<Uuid, Set<Integer>> revoke, Map<Uuid, Set<Integer>> add,
                                                            int targetEpoch) {
        Map<Uuid, Map<Integer, Integer>> epochs = new HashMap<>();
        for (Map<Uuid, Set<Integer>> held : List.of(keep, revoke)) {
            held.forEach((topic, ps) -> ps.forEach(p -> epochs.computeIfAbsent(topic, t -> new HashMap<>())
                    .put(p, member.partitionEpochs.getOrDefault(topic, Map.of()).getOrDefault(p, member.memberEpoch))));
        }
        add.forEach((topic, ps) -> ps.forEach(p -> epochs.computeIfAbsent(topic, t -> new HashMap<>()).put(p, targetEpoch)));
        return epochs;
    }

    /** Whether the member still reports one of these partitions; a member that reports nothing is assumed to. */
    private static boolean ownsAnyOf(List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned, Map<Uuid, Set<Integer>> partitions) {
        if (owned == null) {
            return true;
        }
        for (ConsumerGroupHeartbeatRequestData.TopicPartitions tp : owned) {
            for (int p : tp.partitions()) {
                if (Assignment.contains(partitions, tp.topicId(), p)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<ConsumerGroupHeartbeatResponseData.TopicPartitions> heartbeatPartitions(Map<Uuid, Set<Integer>> a) {
        List<ConsumerGroupHeartbeatResponseData.TopicPartitions> list = new ArrayList<>();
        a.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.comparing(Uuid::toString))).forEach(e ->
                list.add(new ConsumerGroupHeartbeatResponseData.TopicPartitions()
                        .setTopicId(e.getKey())
                        .setPartitions(new ArrayList<>(new TreeSet<>(e.getValue())))));
        return list;
    }

    // ---- sessions -----------------------------------------------------------------------------------------------------

    private int heartbeatIntervalMs(String groupId) {
        return groupConfigs.intValue(groupId, "consumer.heartbeat.interval.ms", settings.consumerHeartbeatIntervalMs());
    }

    void touchSession(ConsumerGroup group, ConsumerMember member) {
        int timeout = sessionTimeoutMs(group.groupId(), member);
        member.sessionDeadlineMs = thread.nowMs() + timeout;
        armExpiry(group, member, timeout);
    }

    /** A classic member keeps the session timeout of its JoinGroup; the others have the group's, else the broker's. */
    private int sessionTimeoutMs(String groupId, ConsumerMember member) {
        return member.classic != null ? member.classic.sessionTimeoutMs()
                : groupConfigs.intValue(groupId, "consumer.session.timeout.ms", settings.consumerSessionTimeoutMs());
    }

    /** Arms the member's timer to look again in {@code delayMs} (classic join and sync deadlines). */
    void armCheck(ConsumerGroup group, ConsumerMember member, long delayMs) {
        armExpiry(group, member, delayMs);
    }

    /** Restored members get one session timeout to heartbeat again. */
    public void armRestoredSessions(ConsumerGroup group) {
        for (ConsumerMember m : group.members.values()) {
            touchSession(group, m);
        }
    }

    private void armExpiry(ConsumerGroup group, ConsumerMember member, long delayMs) {
        if (member.timer.arm(thread.nowMs(), delayMs)) {
            String groupId = group.groupId();
            thread.schedule(delayMs, () -> checkMember(groupId, group, member));
        }
    }

    private void checkMember(String groupId, ConsumerGroup group, ConsumerMember member) {
        long now = thread.nowMs();
        if (!member.timer.due(now)) {
            return; // overtaken by a nearer check
        }
        if (groups.get(groupId) != group || group.member(member.memberId()) != member) {
            return;
        }
        if (now >= member.sessionDeadlineMs) {
            fence(group, member, "session expired (" + sessionTimeoutMs(groupId, member) + " ms)");
            return;
        }
        if (member.joinDeadlineMs > 0 && now >= member.joinDeadlineMs) {
            fence(group, member, "the classic member failed to join within the rebalance timeout");
            return;
        }
        if (member.syncDeadlineMs > 0 && now >= member.syncDeadlineMs) {
            fence(group, member, "the member failed to sync within timeout");
            return;
        }
        if (member.state == MemberState.UNREVOKED_PARTITIONS && member.revocationDeadlineMs > 0 && now >= member.revocationDeadlineMs) {
            fence(group, member, "did not revoke its partitions within its rebalance timeout (" + member.rebalanceTimeoutMs + " ms)");
            return;
        }
        long next = member.sessionDeadlineMs;
        if (member.state == MemberState.UNREVOKED_PARTITIONS && member.revocationDeadlineMs > 0) {
            next = Math.min(next, member.revocationDeadlineMs);
        }
        for (long deadline : new long[] {member.joinDeadlineMs, member.syncDeadlineMs}) {
            if (deadline > 0) {
                next = Math.min(next, deadline);
            }
        }
        armExpiry(group, member, next - now);
    }

    // ---- ConsumerGroupDescribe --------------------------------------------------------------------------------------

    public ConsumerGroupDescribeResponseData.DescribedGroup describe(String groupId) {
        ConsumerGroup group;
        try {
            group = HeartbeatGroup.toDescribe(groupId, groups::get, ConsumerGroup.class, "consumer");
        } catch (GroupException e) {
            return new ConsumerGroupDescribeResponseData.DescribedGroup().setGroupId(groupId)
                    .setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
        }
        List<ConsumerGroupDescribeResponseData.Member> members = new ArrayList<>();
        for (ConsumerMember m : group.members.values()) {
            members.add(new ConsumerGroupDescribeResponseData.Member()
                    .setMemberId(m.memberId())
                    .setInstanceId(m.instanceId)
                    .setRackId(m.rackId)
                    .setMemberEpoch(m.memberEpoch)
                    .setClientId(m.clientId)
                    .setClientHost(m.clientHost)
                    .setSubscribedTopicNames(new ArrayList<>(m.subscribedTopicNames))
                    .setSubscribedTopicRegex(m.subscribedTopicRegex)
                    .setAssignment(describeAssignment(m.assigned))
                    .setTargetAssignment(describeAssignment(group.targetOf(m.memberId())))
                    // KIP-848 describes classic members of a consumer group as type 0, upgraded ones as 1
                    .setMemberType(m.usesClassicProtocol() ? (byte) 0 : (byte) 1));
        }
        return new ConsumerGroupDescribeResponseData.DescribedGroup()
                .setGroupId(groupId)
                .setGroupState(group.stateName())
                .setGroupEpoch(group.groupEpoch)
                .setAssignmentEpoch(group.assignmentEpoch)
                .setAssignorName(assignorName(group))
                .setMembers(members);
    }

    private ConsumerGroupDescribeResponseData.Assignment describeAssignment(Map<Uuid, Set<Integer>> a) {
        List<ConsumerGroupDescribeResponseData.TopicPartitions> list = new ArrayList<>();
        a.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.comparing(Uuid::toString))).forEach(e ->
                list.add(new ConsumerGroupDescribeResponseData.TopicPartitions()
                        .setTopicId(e.getKey())
                        .setTopicName(topics.byId(e.getKey()).map(TopicInfo::name).orElse(""))
                        .setPartitions(new ArrayList<>(new TreeSet<>(e.getValue())))));
        return new ConsumerGroupDescribeResponseData.Assignment().setTopicPartitions(list);
    }

    // ---- offsets and topics -------------------------------------------------------------------------------------------

    /** Per-partition check of an offset commit: the error for one partition, NONE if it may be committed. */
    public interface CommitCheck {
        CommitCheck ALL = (topic, partition) -> Errors.NONE;

        Errors check(Uuid topic, int partition);
    }

    /**
     * OffsetCommit from a consumer-protocol member (Kafka 4.4's rules): its current epoch may commit anything; a
     * newer epoch is refused; an older epoch may commit only partitions it owned since that epoch (a zombie cannot
     * commit a partition that has moved on).
     */
    public static CommitCheck validateCommit(ConsumerGroup group, String memberId, int memberEpoch) {
        return validateCommit(group, memberId, null, memberEpoch, false, (short) 9);
    }

    /**
     * The member ladder of OffsetCommit; a transactional commit (TxnOffsetCommit) that names no member, epoch or
     * instance is accepted on any group, as Kafka 4.4 accepts it ({@code sendOffsetsToTransaction} with only a group
     * id).
     */
    public static CommitCheck validateCommit(ConsumerGroup group, String memberId, String instanceId, int memberEpoch,
                                             boolean transactional, short apiVersion) {
        if (memberEpoch < 0 && group.isEmpty()) {
            return CommitCheck.ALL;
        }
        if (transactional && memberEpoch < 0 && (memberId == null || memberId.isEmpty()) && instanceId == null) {
            return CommitCheck.ALL;
        }
        ConsumerMember m = memberId == null ? null : group.member(memberId);
        if (m == null) {
            throw new GroupException(Errors.UNKNOWN_MEMBER_ID, "Member " + memberId + " is not a member of group " + group.groupId() + ".");
        }
        boolean classic = m.usesClassicProtocol();
        if (!transactional && !classic && apiVersion < 9) {
            throw new GroupException(Errors.UNSUPPORTED_VERSION,
                    "OffsetCommit version 9 or above must be used by members using the consumer group protocol");
        }
        if (memberEpoch == m.memberEpoch) {
            return CommitCheck.ALL;
        }
        // A classic member of a consumer group (KIP-848 migration) commits with its generation: a mismatch is
        // ILLEGAL_GENERATION for it, as the classic protocol knows it, and STALE_MEMBER_EPOCH for the others.
        Errors stale = classic ? Errors.ILLEGAL_GENERATION : Errors.STALE_MEMBER_EPOCH;
        if (memberEpoch > m.memberEpoch) {
            throw new GroupException(stale, "Received member epoch " + memberEpoch
                    + " is newer than current member epoch " + m.memberEpoch + ".");
        }
        return (topic, partition) -> {
            Integer assignedAt = m.assignmentEpoch(topic, partition);
            if (assignedAt == null || memberEpoch < assignedAt) {
                return stale;
            }
            return Errors.NONE;
        };
    }

    /** OffsetFetch from a member must carry its current epoch (v9+, KIP-848); the admin client sends none. */
    public static void validateFetch(ConsumerGroup group, String memberId, int memberEpoch) {
        if (memberId == null && memberEpoch < 0) {
            return;
        }
        ConsumerMember m = memberId == null ? null : group.member(memberId);
        if (m == null) {
            throw new GroupException(Errors.UNKNOWN_MEMBER_ID, "Member " + memberId + " is not a member of group " + group.groupId() + ".");
        }
        if (memberEpoch != m.memberEpoch) {
            throw new GroupException(m.usesClassicProtocol() ? Errors.ILLEGAL_GENERATION : Errors.STALE_MEMBER_EPOCH,
                    "The received member epoch " + memberEpoch
                    + " does not match the expected member epoch " + m.memberEpoch + ".");
        }
    }
}
