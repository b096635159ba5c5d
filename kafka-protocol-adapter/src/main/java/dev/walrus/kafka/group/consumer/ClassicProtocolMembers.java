package dev.walrus.kafka.group.consumer;

import dev.walrus.kafka.group.ClientInfo;
import dev.walrus.kafka.group.GroupException;
import dev.walrus.kafka.group.GroupSettings;
import dev.walrus.kafka.group.GroupThread;
import dev.walrus.kafka.group.MigrationPolicy;
import dev.walrus.kafka.group.classic.ClassicMember;
import dev.walrus.kafka.group.store.GroupLog;
import dev.walrus.kafka.metadata.Topics;
import org.apache.kafka.common.Uuid;
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
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Classic-protocol members of a consumer group (KIP-848 online migration, Kafka 4.x's rules): JoinGroup, SyncGroup,
 * Heartbeat and LeaveGroup sent to a consumer group with members. The coordinator assigns them like any member of
 * the group (the server assignor, reconciliation one step at a time); their JoinGroup carries the subscription and
 * the partitions they still own, their generation is their member epoch, SyncGroup hands them their partitions as a
 * ConsumerProtocolAssignment, and a heartbeat answers REBALANCE_IN_PROGRESS when they must rejoin to move on.
 *
 * <p>Runs on the {@link GroupThread} only.
 */
final class ClassicProtocolMembers {

    private static final Logger LOG = LoggerFactory.getLogger(ClassicProtocolMembers.class);

    private final ConsumerGroupProtocol protocol;
    private final GroupSettings settings;
    private final GroupLog log;
    private final Topics topics;
    private final GroupThread thread;

    ClassicProtocolMembers(ConsumerGroupProtocol protocol, GroupSettings settings, GroupLog log, Topics topics, GroupThread thread) {
        this.protocol = protocol;
        this.settings = settings;
        this.log = log;
        this.topics = topics;
        this.thread = thread;
    }

    // ---- JoinGroup ----------------------------------------------------------------------------------------------------

    JoinGroupResponseData join(ConsumerGroup group, JoinGroupRequestData request, short version, ClientInfo client) {
        if (settings.migrationPolicy() == MigrationPolicy.DISABLED) {
            throw new GroupException(Errors.INCONSISTENT_GROUP_PROTOCOL, "Cannot join the consumer group " + group.groupId()
                    + " with the classic protocol because the group migration is disabled.");
        }
        String instanceId = version >= 5 ? request.groupInstanceId() : null;
        String requestedId = request.memberId() == null ? "" : request.memberId();
        boolean unknownMember = requestedId.isEmpty();
        String memberId = unknownMember ? Uuid.randomUuid().toString() : requestedId;
        if (group.members.size() >= settings.consumerMaxGroupSize() && (unknownMember || !group.members.containsKey(memberId))) {
            throw new GroupException(Errors.GROUP_MAX_SIZE_REACHED, "The consumer group has reached its maximum capacity of "
                    + settings.consumerMaxGroupSize() + " members.");
        }
        List<ClassicMember.Protocol> protocols = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        request.protocols().forEach(p -> {
            protocols.add(new ClassicMember.Protocol(p.name(), p.metadata()));
            names.add(p.name());
        });
        if (!group.supportsClassicProtocols(request.protocolType(), names)) {
            throw new GroupException(Errors.INCONSISTENT_GROUP_PROTOCOL, "Member " + memberId + "'s protocols are not supported.");
        }
        if (unknownMember && instanceId == null && version >= 4) {
            // KIP-394: the member gets its id first and joins with it (nothing is kept until it does).
            return new JoinGroupResponseData().setMemberId(memberId).setErrorCode(Errors.MEMBER_ID_REQUIRED.code())
                    .setGenerationId(-1).setProtocolName(version < 7 ? "" : null).setLeader("");
        }
        // A classic static member taking over from the last consumer-protocol member may turn the group classic.
        ConsumerMember replaced = instanceId == null || !unknownMember ? null : group.staticMember(instanceId);
        boolean downgradeCandidate = replaced != null && !replaced.usesClassicProtocol()
                && group.allMembersUseClassicProtocolExcept(Set.of(replaced.memberId()));
        ConsumerMember member = instanceId == null
                ? dynamicMember(group, memberId)
                : staticMember(group, memberId, instanceId, unknownMember);
        EmbeddedConsumerProtocol.Subscription subscription =
                EmbeddedConsumerProtocol.subscriptionOrThrow(protocols.getFirst().metadata(), topics);

        List<String> namesBefore = member.subscribedTopicNames;
        String regexBefore = member.subscribedTopicRegex;
        int epochBefore = member.memberEpoch;
        member.instanceId = instanceId;
        if (subscription.rackId() != null) {
            member.rackId = subscription.rackId();
        }
        member.rebalanceTimeoutMs = version >= 1 && request.rebalanceTimeoutMs() > 0 ? request.rebalanceTimeoutMs() : request.sessionTimeoutMs();
        member.serverAssignor = null;
        member.subscribedTopicNames = subscription.topics();
        member.subscribedTopicRegex = null; // a classic member subscribes by names (its client resolves patterns)
        member.clientId = client.clientId();
        member.clientHost = client.clientHost();
        member.classic = new ClassicMetadata(request.sessionTimeoutMs(), protocols);

        boolean subscriptionChanged = !new HashSet<>(namesBefore).equals(new HashSet<>(member.subscribedTopicNames))
                || !Objects.equals(regexBefore, member.subscribedTopicRegex);
        String signature = protocol.subscriptionSignature(group);
        if (subscriptionChanged || !signature.equals(group.subscriptionSignature)) {
            group.groupEpoch++;
            group.subscriptionSignature = signature;
            LOG.info("group {}: epoch {} (classic member {} joined or changed its subscription)", group.groupId(),
                    group.groupEpoch, memberId);
        }
        if (downgradeCandidate) {
            // Kafka: with an unchanged subscription the member takes the replaced one's place as it stood; a changed
            // one leaves a stale target, and the classic group rebalances.
            boolean rebalance = group.assignmentEpoch < group.groupEpoch;
            if (!rebalance) {
                protocol.reconcile(group, member, subscription.owned());
            }
            if (protocol.migration().downgradeAfterStaticReplacement(group, rebalance)) {
                LOG.info("group {}: classic static member {} replaced the last consumer-protocol member; downgraded",
                        group.groupId(), instanceId);
                return joinAnswer(member);
            }
        }
        if (group.groupEpoch > group.assignmentEpoch) {
            protocol.computeTargetAssignment(group);
        }
        protocol.reconcile(group, member, subscription.owned());
        long now = thread.nowMs();
        member.joinDeadlineMs = 0;
        member.syncDeadlineMs = now + member.rebalanceDeadlineDelayMs();
        protocol.touchSession(group, member);
        protocol.armCheck(group, member, member.syncDeadlineMs - now);
        log.save(group);
        LOG.info("group {}: classic member {} joined at epoch {} (was {})", group.groupId(), memberId, member.memberEpoch, epochBefore);
        return joinAnswer(member);
    }

    /** The JoinGroup answer of a classic member of a consumer group: no leader, its epoch as the generation. */
    private static JoinGroupResponseData joinAnswer(ConsumerMember member) {
        return new JoinGroupResponseData()
                .setErrorCode(Errors.NONE.code())
                .setMemberId(member.memberId())
                .setGenerationId(member.memberEpoch)
                .setProtocolType("consumer")
                .setProtocolName(member.classic.protocolName())
                .setLeader("")
                .setMembers(new ArrayList<>());
    }

    private ConsumerMember dynamicMember(ConsumerGroup group, String memberId) {
        ConsumerMember member = group.member(memberId);
        if (member == null) {
            member = new ConsumerMember(memberId);
            group.put(member);
            LOG.info("group {}: member {} joins the consumer group using the classic protocol", group.groupId(), memberId);
        }
        return member;
    }

    /** Kafka's static rules for a classic JoinGroup: an unknown member id takes the instance over, a known one must match. */
    private ConsumerMember staticMember(ConsumerGroup group, String memberId, String instanceId, boolean unknownMember) {
        ConsumerMember existing = group.staticMember(instanceId);
        if (unknownMember) {
            if (existing == null) {
                ConsumerMember fresh = dynamicMember(group, memberId);
                fresh.instanceId = instanceId;
                group.put(fresh);
                return fresh;
            }
            ConsumerMember replacement = group.replaceStaticMember(existing, memberId);
            LOG.info("group {}: static member {} rejoined with the classic protocol as {}", group.groupId(), instanceId, memberId);
            return replacement;
        }
        return group.existingMember(memberId, instanceId);
    }

    // ---- SyncGroup ----------------------------------------------------------------------------------------------------

    SyncGroupResponseData sync(ConsumerGroup group, SyncGroupRequestData request, short version) {
        ConsumerMember member = classicMember(group, request.memberId(), version >= 3 ? request.groupInstanceId() : null);
        checkGeneration(member, request.generationId());
        String name = member.classic.protocolName();
        if (request.protocolType() != null && !"consumer".equals(request.protocolType())) {
            throw new GroupException(Errors.INCONSISTENT_GROUP_PROTOCOL, "The protocol type " + request.protocolType()
                    + " from member " + member.memberId() + " request is not equal to the group protocol type consumer.");
        }
        if (request.protocolName() != null && !name.equals(request.protocolName())) {
            throw new GroupException(Errors.INCONSISTENT_GROUP_PROTOCOL, "The protocol name " + request.protocolName()
                    + " from member " + member.memberId() + " request is not equal to the protocol name " + name
                    + " returned in the join response.");
        }
        if (group.assignmentEpoch > member.memberEpoch && member.state != MemberState.UNREVOKED_PARTITIONS) {
            // A newer target exists: the member rejoins to catch up (unless it is still giving partitions up).
            requireRejoin(group, member);
            throw new GroupException(Errors.REBALANCE_IN_PROGRESS, "A new rebalance is triggered in group "
                    + group.groupId() + " and member " + member.memberId() + " should rejoin to catch up.");
        }
        member.syncDeadlineMs = 0;
        protocol.touchSession(group, member);
        return new SyncGroupResponseData()
                .setErrorCode(Errors.NONE.code())
                .setProtocolType(request.protocolType())
                .setProtocolName(request.protocolName())
                .setAssignment(EmbeddedConsumerProtocol.encodeAssignment(member.assigned, topics, member.classic.preferredMetadata()));
    }

    // ---- Heartbeat ----------------------------------------------------------------------------------------------------

    HeartbeatResponseData heartbeat(ConsumerGroup group, HeartbeatRequestData request, short version) {
        ConsumerMember member = classicMember(group, request.memberId(), version >= 3 ? request.groupInstanceId() : null);
        checkGeneration(member, request.generationId());
        protocol.touchSession(group, member);
        // Rejoin when a newer target exists, when partitions must be given up, or when the partitions it waits for
        // are free now (Kafka's three conditions).
        boolean rejoin = member.memberEpoch < group.assignmentEpoch
                || member.state == MemberState.UNREVOKED_PARTITIONS
                || (member.state == MemberState.UNRELEASED_PARTITIONS && !group.waitingOnUnreleasedPartition(member));
        if (rejoin) {
            requireRejoin(group, member);
            return new HeartbeatResponseData().setErrorCode(Errors.REBALANCE_IN_PROGRESS.code());
        }
        return new HeartbeatResponseData().setErrorCode(Errors.NONE.code());
    }

    /** The member must send JoinGroup within its rebalance timeout, else it is fenced; an armed deadline stays. */
    private void requireRejoin(ConsumerGroup group, ConsumerMember member) {
        if (member.joinDeadlineMs == 0) {
            member.joinDeadlineMs = thread.nowMs() + member.rebalanceDeadlineDelayMs();
            protocol.armCheck(group, member, member.rebalanceDeadlineDelayMs());
        }
    }

    // ---- LeaveGroup ---------------------------------------------------------------------------------------------------

    LeaveGroupResponseData leave(ConsumerGroup group, LeaveGroupRequestData request, short version) {
        List<MemberIdentity> leaving = version >= 3 ? request.members()
                : List.of(new MemberIdentity().setMemberId(request.memberId()));
        List<MemberResponse> results = new ArrayList<>();
        List<ConsumerMember> valid = new ArrayList<>();
        for (MemberIdentity identity : leaving) {
            Errors error = Errors.NONE;
            try {
                ConsumerMember m;
                if (identity.groupInstanceId() == null) {
                    m = group.member(identity.memberId());
                    if (m == null) {
                        throw new GroupException(Errors.UNKNOWN_MEMBER_ID);
                    }
                } else {
                    m = group.staticMember(identity.groupInstanceId());
                    if (m == null) {
                        throw new GroupException(Errors.UNKNOWN_MEMBER_ID);
                    }
                    // LeaveGroup may remove a static member by instance id alone (administrative removal).
                    if (identity.memberId() != null && !identity.memberId().isEmpty() && !identity.memberId().equals(m.memberId())) {
                        throw new GroupException(Errors.FENCED_INSTANCE_ID);
                    }
                }
                if (!valid.contains(m)) {
                    valid.add(m);
                }
            } catch (GroupException e) {
                error = e.error();
            }
            results.add(new MemberResponse().setMemberId(identity.memberId())
                    .setGroupInstanceId(identity.groupInstanceId()).setErrorCode(error.code()));
        }
        protocol.fence(group, valid, "left the group (LeaveGroup)");
        if (version >= 3) {
            return new LeaveGroupResponseData().setErrorCode(Errors.NONE.code()).setMembers(results);
        }
        return new LeaveGroupResponseData().setErrorCode(results.getFirst().errorCode());
    }

    // ---- checks -------------------------------------------------------------------------------------------------------

    /** The member named by a SyncGroup or Heartbeat: it must exist, match its instance id and speak the classic protocol. */
    private static ConsumerMember classicMember(ConsumerGroup group, String memberId, String instanceId) {
        ConsumerMember member;
        if (instanceId == null) {
            member = group.member(memberId);
            if (member == null) {
                throw new GroupException(Errors.UNKNOWN_MEMBER_ID, "Member " + memberId + " is not a member of group "
                        + group.groupId() + ".");
            }
        } else {
            member = group.staticMember(instanceId);
            if (member == null) {
                throw new GroupException(Errors.UNKNOWN_MEMBER_ID, "Member with instance id " + instanceId
                        + " is not a member of group " + group.groupId() + ".");
            }
            if (!member.memberId().equals(memberId)) {
                throw new GroupException(Errors.FENCED_INSTANCE_ID, "Static member " + memberId + " with instance id "
                        + instanceId + " was fenced by another member.");
            }
        }
        if (!member.usesClassicProtocol()) {
            throw new GroupException(Errors.UNKNOWN_MEMBER_ID, "Member " + member.memberId() + " does not use the classic protocol.");
        }
        return member;
    }

    private static void checkGeneration(ConsumerMember member, int generationId) {
        if (member.memberEpoch != generationId) {
            throw new GroupException(Errors.ILLEGAL_GENERATION, "The request generation id " + generationId
                    + " is not equal to the member epoch " + member.memberEpoch + " of member " + member.memberId() + ".");
        }
    }
}
