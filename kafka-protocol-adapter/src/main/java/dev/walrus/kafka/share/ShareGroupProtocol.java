package dev.walrus.kafka.share;

import dev.walrus.kafka.group.ClientInfo;
import dev.walrus.kafka.group.Group;
import dev.walrus.kafka.group.GroupException;
import dev.walrus.kafka.group.GroupThread;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.Topics;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The share group protocol (KIP-932): ShareGroupHeartbeat drives membership. A member joins with epoch 0 and its
 * subscription; a membership or subscription change (or a change of the subscribed topics' partitions) bumps the
 * group epoch and the {@link SimpleShareAssignor} computes the target assignment for it; a member takes its target
 * at its next heartbeat, at once (partitions are shared, so nothing is revoked first). Members that stop heartbeating
 * for {@code share.session.timeout.ms} are removed.
 *
 * <p>Runs on the {@link GroupThread} only, with Kafka 4.4's validation ladder and error messages.
 */
final class ShareGroupProtocol {

    private static final Logger LOG = LoggerFactory.getLogger(ShareGroupProtocol.class);

    private final Map<String, Group> groups;
    private final GroupThread thread;
    private final ShareConfigs configs;
    private final ShareGroupLog log;
    private final Topics topics;

    ShareGroupProtocol(Map<String, Group> groups, GroupThread thread, ShareConfigs configs, ShareGroupLog log, Topics topics) {
        this.groups = groups;
        this.thread = thread;
        this.configs = configs;
        this.log = log;
        this.topics = topics;
    }

    ShareGroupHeartbeatResponseData heartbeat(ShareGroupHeartbeatRequestData request, ClientInfo client) {
        try {
            validate(request);
            if (request.memberEpoch() == ShareMember.LEAVE_GROUP_MEMBER_EPOCH) {
                return leave(request);
            }
            return heartbeatMember(request, client);
        } catch (GroupException e) {
            return new ShareGroupHeartbeatResponseData().setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
        }
    }

    private static void validate(ShareGroupHeartbeatRequestData r) {
        if (r.memberId() == null || r.memberId().isEmpty()) {
            throw new GroupException(Errors.INVALID_REQUEST, "MemberId can't be empty.");
        }
        if (r.groupId() == null || r.groupId().isEmpty()) {
            throw new GroupException(Errors.INVALID_REQUEST, "GroupId can't be empty.");
        }
        if (r.rackId() != null && r.rackId().isEmpty()) {
            throw new GroupException(Errors.INVALID_REQUEST, "RackId can't be empty.");
        }
        if (r.memberEpoch() == 0) {
            if (r.subscribedTopicNames() == null || r.subscribedTopicNames().isEmpty()) {
                throw new GroupException(Errors.INVALID_REQUEST, "SubscribedTopicNames must be set in first request.");
            }
        } else if (r.memberEpoch() < ShareMember.LEAVE_GROUP_MEMBER_EPOCH) {
            throw new GroupException(Errors.INVALID_REQUEST, "MemberEpoch is invalid.");
        }
    }

    /** The share group with this id; created on a join; GROUP_ID_NOT_FOUND if missing or of another kind. */
    ShareGroup groupFor(String groupId, boolean create) {
        Group g = groups.get(groupId);
        if (g instanceof ShareGroup share) {
            return share;
        }
        if (g != null) {
            throw new GroupException(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " is not a share group.");
        }
        if (!create) {
            throw new GroupException(Errors.GROUP_ID_NOT_FOUND, "Share group " + groupId + " not found.");
        }
        ShareGroup created = new ShareGroup(groupId);
        groups.put(groupId, created);
        return created;
    }

    private ShareGroupHeartbeatResponseData heartbeatMember(ShareGroupHeartbeatRequestData r, ClientInfo client) {
        int epoch = r.memberEpoch();
        boolean existed = groups.get(r.groupId()) instanceof ShareGroup;
        ShareGroup group = groupFor(r.groupId(), epoch == 0);
        String memberId = r.memberId();
        try {
            if (!group.members.containsKey(memberId) && group.members.size() >= configs.maxGroupSize()) {
                throw new GroupException(Errors.GROUP_MAX_SIZE_REACHED,
                        "The share group has reached its maximum capacity of " + configs.maxGroupSize() + " members.");
            }
            ShareMember member = group.member(memberId);
            boolean changed = false;
            if (member == null) {
                if (epoch != 0) {
                    throw new GroupException(Errors.UNKNOWN_MEMBER_ID,
                            "Member " + memberId + " is not a member of group " + group.groupId() + ".");
                }
                member = new ShareMember(memberId);
                group.members.put(memberId, member);
                changed = true;
                LOG.info("share group {}: member {} joins", group.groupId(), memberId);
            } else {
                checkEpoch(member, epoch);
            }
            Map<Uuid, Set<Integer>> assignedBefore = member.assigned;
            List<String> subscriptionBefore = member.subscribedTopicNames;
            if (r.rackId() != null) {
                changed |= !r.rackId().equals(member.rackId);
                member.rackId = r.rackId();
            }
            if (r.subscribedTopicNames() != null) {
                member.subscribedTopicNames = List.copyOf(r.subscribedTopicNames());
            }
            changed |= !client.clientId().equals(member.clientId) || !client.clientHost().equals(member.clientHost);
            member.clientId = client.clientId();
            member.clientHost = client.clientHost();
            boolean subscriptionChanged = !new HashSet<>(subscriptionBefore).equals(new HashSet<>(member.subscribedTopicNames));
            String signature = subscriptionSignature(group);
            if (subscriptionChanged || !signature.equals(group.subscriptionSignature) || epoch == 0) {
                bumpEpoch(group, signature, subscriptionChanged || epoch == 0 ? "member " + memberId
                        + (epoch == 0 ? " joined" : " changed its subscription") : "subscribed topics changed");
                changed = true;
            }
            if (member.memberEpoch != group.assignmentEpoch) {
                member.previousMemberEpoch = member.memberEpoch;
                member.memberEpoch = group.assignmentEpoch;
                member.assigned = group.targetAssignment.getOrDefault(memberId, Map.of());
                changed = true;
            }
            touchSession(group, member);
            if (changed) {
                log.saveGroup(group);
            }
            ShareGroupHeartbeatResponseData response = new ShareGroupHeartbeatResponseData()
                    .setMemberId(memberId)
                    .setMemberEpoch(member.memberEpoch)
                    .setHeartbeatIntervalMs(configs.heartbeatIntervalMs(group.groupId()));
            if (epoch == 0 || r.subscribedTopicNames() != null || !member.assigned.equals(assignedBefore)) {
                response.setAssignment(new ShareGroupHeartbeatResponseData.Assignment()
                        .setTopicPartitions(heartbeatPartitions(member.assigned)));
            }
            return response;
        } catch (GroupException e) {
            if (!existed && group.isEmpty()) {
                groups.remove(group.groupId());
            }
            throw e;
        }
    }

    private static void checkEpoch(ShareMember member, int received) {
        if (received == 0) {
            return;
        }
        if (received > member.memberEpoch) {
            throw new GroupException(Errors.FENCED_MEMBER_EPOCH, "The share group member has a greater member epoch ("
                    + received + ") than the one known by the group coordinator (" + member.memberEpoch
                    + "). The member must abandon all its partitions and rejoin.");
        }
        if (received < member.memberEpoch && received != member.previousMemberEpoch) {
            throw new GroupException(Errors.FENCED_MEMBER_EPOCH, "The share group member has a smaller member epoch ("
                    + received + ") than the one known by the group coordinator (" + member.memberEpoch
                    + "), and it does not match the previous member epoch (" + member.previousMemberEpoch
                    + "). The member must abandon all its partitions and rejoin.");
        }
    }

    private ShareGroupHeartbeatResponseData leave(ShareGroupHeartbeatRequestData r) {
        ShareGroup group = groupFor(r.groupId(), false);
        ShareMember member = group.member(r.memberId());
        if (member == null) {
            throw new GroupException(Errors.UNKNOWN_MEMBER_ID,
                    "Member " + r.memberId() + " is not a member of group " + group.groupId() + ".");
        }
        removeMember(group, member, "left the group");
        return new ShareGroupHeartbeatResponseData().setMemberId(r.memberId())
                .setMemberEpoch(ShareMember.LEAVE_GROUP_MEMBER_EPOCH);
    }

    private void removeMember(ShareGroup group, ShareMember member, String why) {
        group.members.remove(member.memberId());
        group.targetAssignment.remove(member.memberId());
        bumpEpoch(group, subscriptionSignature(group), "member " + member.memberId() + " " + why);
        log.saveGroup(group);
    }

    /** A new group epoch, and the target assignment computed for it. */
    private void bumpEpoch(ShareGroup group, String signature, String why) {
        group.groupEpoch++;
        group.subscriptionSignature = signature;
        Map<String, Set<Uuid>> subscriptions = new HashMap<>();
        Map<Uuid, Integer> partitionCounts = new HashMap<>();
        for (ShareMember m : group.members.values()) {
            Set<Uuid> ids = new HashSet<>();
            for (TopicInfo t : subscribedTopics(m)) {
                ids.add(t.id());
                partitionCounts.put(t.id(), t.partitions());
            }
            subscriptions.put(m.memberId(), ids);
        }
        group.targetAssignment.clear();
        group.targetAssignment.putAll(SimpleShareAssignor.assign(subscriptions, partitionCounts, currentTargets(group)));
        group.assignmentEpoch = group.groupEpoch;
        LOG.info("share group {}: epoch {} ({})", group.groupId(), group.groupEpoch, why);
    }

    private static Map<String, Map<Uuid, Set<Integer>>> currentTargets(ShareGroup group) {
        Map<String, Map<Uuid, Set<Integer>>> previous = new HashMap<>();
        for (ShareMember m : group.members.values()) {
            previous.put(m.memberId(), group.targetAssignment.getOrDefault(m.memberId(), m.assigned));
        }
        return previous;
    }

    private List<TopicInfo> subscribedTopics(ShareMember m) {
        List<TopicInfo> result = new ArrayList<>();
        for (String name : new TreeSet<>(m.subscribedTopicNames)) {
            topics.byName(name).ifPresent(result::add);
        }
        return result;
    }

    /** Names, ids and partition counts of every subscribed topic: when this changes, the group epoch moves. */
    private String subscriptionSignature(ShareGroup group) {
        TreeMap<String, String> parts = new TreeMap<>();
        for (ShareMember m : group.members.values()) {
            for (TopicInfo t : subscribedTopics(m)) {
                parts.put(t.name(), t.id() + ":" + t.partitions());
            }
        }
        return parts.toString();
    }

    private static List<ShareGroupHeartbeatResponseData.TopicPartitions> heartbeatPartitions(Map<Uuid, Set<Integer>> a) {
        List<ShareGroupHeartbeatResponseData.TopicPartitions> list = new ArrayList<>();
        a.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.comparing(Uuid::toString))).forEach(e ->
                list.add(new ShareGroupHeartbeatResponseData.TopicPartitions()
                        .setTopicId(e.getKey())
                        .setPartitions(new ArrayList<>(new TreeSet<>(e.getValue())))));
        return list;
    }

    // ---- sessions -------------------------------------------------------------------------------------------------

    private void touchSession(ShareGroup group, ShareMember member) {
        int timeout = configs.sessionTimeoutMs(group.groupId());
        member.sessionDeadlineMs = thread.nowMs() + timeout;
        armExpiry(group, member, timeout);
    }

    /** Restored members get one session timeout to heartbeat again. */
    void armRestoredSessions(ShareGroup group) {
        for (ShareMember m : group.members.values()) {
            m.previousMemberEpoch = m.memberEpoch;
            touchSession(group, m);
        }
    }

    private void armExpiry(ShareGroup group, ShareMember member, long delayMs) {
        if (member.timer.arm(thread.nowMs(), delayMs)) {
            thread.schedule(delayMs, () -> checkMember(group, member));
        }
    }

    private void checkMember(ShareGroup group, ShareMember member) {
        long now = thread.nowMs();
        if (!member.timer.due(now)) {
            return; // overtaken by a nearer check (a session timeout lowered by a group config)
        }
        if (groups.get(group.groupId()) != group || group.member(member.memberId()) != member) {
            return;
        }
        if (now >= member.sessionDeadlineMs) {
            removeMember(group, member, "session expired");
            return;
        }
        armExpiry(group, member, member.sessionDeadlineMs - now);
    }

    // ---- ShareGroupDescribe -----------------------------------------------------------------------------------------

    ShareGroupDescribeResponseData.DescribedGroup describe(String groupId) {
        if (groupId == null || groupId.isEmpty()) {
            // as Kafka's group coordinator: no message here, unlike the other describe APIs
            return new ShareGroupDescribeResponseData.DescribedGroup().setGroupId("")
                    .setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        ShareGroup group;
        try {
            Group g = groupId == null ? null : groups.get(groupId);
            if (g == null) {
                throw new GroupException(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " not found.");
            }
            group = groupFor(groupId, false);
        } catch (GroupException e) {
            return new ShareGroupDescribeResponseData.DescribedGroup().setGroupId(groupId)
                    .setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
        }
        List<ShareGroupDescribeResponseData.Member> members = new ArrayList<>();
        for (ShareMember m : group.members.values()) {
            List<ShareGroupDescribeResponseData.TopicPartitions> parts = new ArrayList<>();
            m.assigned.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.comparing(Uuid::toString))).forEach(e ->
                    parts.add(new ShareGroupDescribeResponseData.TopicPartitions()
                            .setTopicId(e.getKey())
                            .setTopicName(topics.byId(e.getKey()).map(TopicInfo::name).orElse(""))
                            .setPartitions(new ArrayList<>(new TreeSet<>(e.getValue())))));
            members.add(new ShareGroupDescribeResponseData.Member()
                    .setMemberId(m.memberId())
                    .setRackId(m.rackId)
                    .setMemberEpoch(m.memberEpoch)
                    .setClientId(m.clientId)
                    .setClientHost(m.clientHost)
                    .setSubscribedTopicNames(new ArrayList<>(m.subscribedTopicNames))
                    .setAssignment(new ShareGroupDescribeResponseData.Assignment().setTopicPartitions(parts)));
        }
        return new ShareGroupDescribeResponseData.DescribedGroup()
                .setGroupId(groupId)
                .setGroupState(group.stateName())
                .setGroupEpoch(group.groupEpoch)
                .setAssignmentEpoch(group.assignmentEpoch)
                .setAssignorName(SimpleShareAssignor.NAME)
                .setMembers(members);
    }

    /** A share group with no members, or none: AlterShareGroupOffsets and DeleteShareGroupOffsets need this. */
    Errors emptyShareGroupOrError(String groupId, boolean createIfMissing) {
        Group g = groups.get(groupId);
        if (g == null) {
            if (!createIfMissing) {
                return Errors.GROUP_ID_NOT_FOUND;
            }
            ShareGroup created = new ShareGroup(groupId);
            groups.put(groupId, created);
            log.saveGroup(created);
            return Errors.NONE;
        }
        if (!(g instanceof ShareGroup)) {
            return Errors.GROUP_ID_NOT_FOUND;
        }
        return g.isEmpty() ? Errors.NONE : Errors.NON_EMPTY_GROUP;
    }

    boolean isShareGroup(String groupId) {
        return groups.get(groupId) instanceof ShareGroup;
    }

    /** Whether {@code groupId} names a group of another kind. */
    boolean isOtherGroup(String groupId) {
        Group g = groups.get(groupId);
        return g != null && !(g instanceof ShareGroup);
    }
}
