package dev.walrus.kafka.group.streams;

import dev.walrus.kafka.config.GroupConfigs;
import dev.walrus.kafka.group.ClientInfo;
import dev.walrus.kafka.group.Group;
import dev.walrus.kafka.group.GroupConfigOverrides;
import dev.walrus.kafka.group.GroupException;
import dev.walrus.kafka.group.GroupThread;
import dev.walrus.kafka.group.classic.ClassicGroup;
import dev.walrus.kafka.group.store.GroupLog;
import dev.walrus.kafka.metadata.Topics;
import org.apache.kafka.common.message.StreamsGroupDescribeResponseData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.StreamsGroupHeartbeatResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The rules of the streams group protocol (KIP-1071): StreamsGroupHeartbeat drives everything, as ConsumerGroupHeartbeat
 * does for KIP-848. The first member initializes the group's topology; the broker checks it against the topics (and
 * creates the missing internal topics); a membership, topology or topic change bumps the group epoch; the sticky task
 * assignor then computes the target assignment of tasks for that epoch; each member reconciles towards it one heartbeat
 * at a time, revoking tasks before anyone else gets them as active tasks.
 *
 * <p>Runs on the {@link GroupThread} only. Mirrors Apache Kafka 4.4's streams group coordinator and its error codes.
 */
public final class StreamsGroupProtocol {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsGroupProtocol.class);

    private final Map<String, Group> groups;
    private final GroupThread thread;
    private final StreamsGroupSettings settings;
    private final GroupLog log;
    private final Topics topics;
    private final InternalTopicCreator creator;
    /**
     * A streams group's {@code streams.session.timeout.ms}, {@code streams.heartbeat.interval.ms},
     * {@code streams.num.standby.replicas}, {@code streams.initial.rebalance.delay.ms} and
     * {@code streams.task.offset.interval.ms} win over the broker's {@code group.streams.*} values.
     */
    private final GroupConfigOverrides groupConfigs;

    public StreamsGroupProtocol(Map<String, Group> groups, GroupThread thread, StreamsGroupSettings settings, GroupLog log,
                                Topics topics, InternalTopicCreator creator, GroupConfigOverrides groupConfigs) {
        this.groups = groups;
        this.thread = thread;
        this.settings = settings;
        this.log = log;
        this.topics = topics;
        this.creator = creator;
        this.groupConfigs = groupConfigs;
    }

    private int sessionTimeoutMs(String groupId) {
        return groupConfigs.intValue(groupId, "streams.session.timeout.ms", settings.sessionTimeoutMs());
    }

    private int initialRebalanceDelayMs(String groupId) {
        return groupConfigs.intValue(groupId, "streams.initial.rebalance.delay.ms", settings.initialRebalanceDelayMs());
    }

    // ---- StreamsGroupHeartbeat --------------------------------------------------------------------------------------

    /**
     * @param mayCreateTopic whether the client may have an internal topic created (CREATE on the cluster or the
     *     topic, as Kafka authorizes the auto-creation of a streams group's internal topics)
     */
    public StreamsGroupHeartbeatResponseData heartbeat(StreamsGroupHeartbeatRequestData request, short version, ClientInfo client,
                                                       Predicate<String> mayCreateTopic) {
        try {
            StreamsHeartbeatChecks.validate(request);
            int epoch = request.memberEpoch();
            if (epoch == StreamsMember.LEAVE_GROUP_MEMBER_EPOCH || epoch == StreamsMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
                return leave(request);
            }
            return heartbeatMember(request, version, client, mayCreateTopic);
        } catch (GroupException e) {
            return new StreamsGroupHeartbeatResponseData()
                    .setErrorCode(e.error().code())
                    .setErrorMessage(e.getMessage());
        }
    }

    private StreamsGroupHeartbeatResponseData heartbeatMember(StreamsGroupHeartbeatRequestData r, short version, ClientInfo client,
                                                              Predicate<String> mayCreateTopic) {
        boolean joining = r.memberEpoch() == 0;
        boolean existed = groups.get(r.groupId()) instanceof StreamsGroup;
        // the topology is checked before anything changes, so that a refused join leaves the group as it was
        StreamsTopology fromRequest = r.topology() == null ? null : StreamsTopology.fromRequest(r.topology());
        StreamsGroup group = groupFor(r.groupId(), joining);
        if (fromRequest != null && group.topology != null && group.topology.epoch() <= fromRequest.epoch()
                && !group.topology.equals(fromRequest)) {
            if (!existed) {
                groups.remove(r.groupId());
            }
            throw StreamsException.invalidRequest("Topology updates are not supported yet.");
        }
        if (fromRequest != null && group.topology == null) {
            try {
                TopologyConfigurer.configure(fromRequest, topics);
            } catch (GroupException invalid) {
                if (!existed) {
                    groups.remove(r.groupId());
                }
                throw invalid;
            }
        }
        if (group.topology == null && fromRequest == null) {
            throw new GroupException(Errors.UNKNOWN_MEMBER_ID, "Member " + r.memberId() + " is not a member of group "
                    + group.groupId() + ".");
        }
        List<StreamsGroupHeartbeatResponseData.Status> statuses = new ArrayList<>();
        boolean changed = false;
        StreamsMember member;
        if (joining && group.members.size() >= settings.maxGroupSize() && !group.members.containsKey(r.memberId())
                && group.staticMember(r.instanceId()) == null) {
            throw new GroupException(Errors.GROUP_MAX_SIZE_REACHED, "The streams group has reached its maximum capacity of "
                    + settings.maxGroupSize() + " members.");
        }
        boolean wasEmpty = group.members.isEmpty();
        boolean created = false;
        if (joining) {
            created = group.member(r.memberId()) == null;
            member = joinMember(group, r.memberId(), r.instanceId());
            changed = true;
        } else {
            member = group.existingMember(r.memberId(), r.instanceId());
            group.checkEpoch(member, r.memberEpoch(), () -> ownsOnly(r, member));
            if (group.configured != null && group.configured.isReady()) {
                for (List<StreamsGroupHeartbeatRequestData.TaskIds> owned : List.of(
                        nullToEmpty(r.activeTasks()), nullToEmpty(r.standbyTasks()), nullToEmpty(r.warmupTasks()))) {
                    checkTasksExist(group.configured, owned);
                }
            }
        }
        Map<String, Set<Integer>> activeBefore = Tasks.copy(member.active);
        Map<String, Set<Integer>> standbyBefore = Tasks.copy(member.standby);
        int epochBefore = member.memberEpoch;
        StreamsMember.Endpoint endpointBefore = member.userEndpoint;

        // 1. the member's metadata: a change of what the assignor looks at bumps the group epoch
        boolean metadataChanged = created;
        if (r.rackId() != null && !r.rackId().equals(member.rackId)) {
            member.rackId = r.rackId();
            metadataChanged = true;
        }
        if (r.rebalanceTimeoutMs() != -1) {
            member.rebalanceTimeoutMs = r.rebalanceTimeoutMs();
        }
        if (r.topology() != null && r.topology().epoch() != member.topologyEpoch) {
            member.topologyEpoch = r.topology().epoch();
            metadataChanged = true;
        }
        if (r.processId() != null && !r.processId().equals(member.processId)) {
            member.processId = r.processId();
            metadataChanged = true;
        }
        if (r.clientTags() != null) {
            Map<String, String> tags = new TreeMap<>();
            r.clientTags().forEach(kv -> tags.put(kv.key(), kv.value()));
            metadataChanged |= !tags.equals(member.clientTags);
            member.clientTags = tags;
        }
        if (joining || r.userEndpoint() != null) {
            StreamsMember.Endpoint endpoint = r.userEndpoint() == null ? null
                    : new StreamsMember.Endpoint(r.userEndpoint().host(), r.userEndpoint().port());
            metadataChanged |= !Objects.equals(endpoint, member.userEndpoint);
            member.userEndpoint = endpoint;
        }
        member.clientId = client.clientId();
        member.clientHost = client.clientHost();

        // 2. the topology: the first member initializes it; later ones must bring the same one
        boolean topologyInitialized = false;
        if (fromRequest != null && group.topology == null) {
            group.topology = fromRequest;
            topologyInitialized = true;
            LOG.info("group {}: member {} initialized the topology with epoch {}", group.groupId(), member.memberId(),
                    fromRequest.epoch());
        }
        if (member.topologyEpoch < group.topology.epoch()) {
            statuses.add(status(StreamsGroupHeartbeatResponse.Status.STALE_TOPOLOGY, "The member's topology epoch "
                    + member.topologyEpoch + " is behind the group's topology epoch " + group.topology.epoch() + "."));
        }

        // 3. the topics: configure the topology again when they changed, creating missing internal topics
        ConfiguredTopology configured = configure(group, topologyInitialized, mayCreateTopic);
        boolean topicsChanged = !configured.signature().equals(group.topologySignature)
                || configured.isReady() != group.topologyReady;
        group.topologySignature = configured.signature();
        group.topologyReady = configured.isReady();

        if (metadataChanged || topologyInitialized || topicsChanged) {
            group.groupEpoch++;
            changed = true;
            LOG.info("group {}: epoch {} ({})", group.groupId(), group.groupEpoch, created ? "member " + member.memberId() + " joined"
                    : metadataChanged ? "member " + member.memberId() + " changed" : "topics changed");
        }
        // 4. a new target assignment for a new group epoch, unless the group's first one waits for more members
        if (wasEmpty && joining && initialRebalanceDelayMs(group.groupId()) > 0) {
            delayInitialAssignment(group);
        }
        if (group.initialDelayUntilMs > thread.nowMs()) {
            statuses.add(status(StreamsGroupHeartbeatResponse.Status.ASSIGNMENT_DELAYED,
                    "Assignment delayed due to the configured initial rebalance delay."));
            if (group.groupEpoch > group.assignmentEpoch) {
                // members wait with no tasks at the current epoch; the real assignment comes with the next epoch
                emptyTargetAssignment(group);
                changed = true;
            }
        } else if (group.groupEpoch > group.assignmentEpoch) {
            computeTargetAssignment(group);
            changed = true;
        }
        // 5. the member moves towards its target
        changed |= reconcile(group, member, r);
        touchSession(group, member);
        if (r.shutdownApplication() && group.shutdownRequestMemberId == null) {
            group.shutdownRequestMemberId = member.memberId();
            LOG.info("group {}: member {} requested the shutdown of the application", group.groupId(), member.memberId());
        }
        changed |= member.memberEpoch != epochBefore;

        boolean tasksChanged = !Tasks.equal(activeBefore, member.active) || !Tasks.equal(standbyBefore, member.standby);
        boolean endpointChanged = !Objects.equals(endpointBefore, member.userEndpoint);
        if (endpointChanged || (tasksChanged && member.userEndpoint != null)) {
            group.endpointInformationEpoch++;
            changed = true;
        }
        if (changed) {
            log.save(group);
        }

        StreamsGroupHeartbeatResponseData response = new StreamsGroupHeartbeatResponseData()
                .setMemberId(member.memberId())
                .setMemberEpoch(member.memberEpoch)
                .setHeartbeatIntervalMs(groupConfigs.intValue(group.groupId(), "streams.heartbeat.interval.ms", settings.heartbeatIntervalMs()))
                .setTaskOffsetIntervalMs(groupConfigs.intValue(group.groupId(), "streams.task.offset.interval.ms",
                        settings.taskOffsetIntervalMs()))
                .setEndpointInformationEpoch(group.endpointInformationEpoch);
        long acceptableRecoveryLag = groupConfigs.longValue(group.groupId(), GroupConfigs.STREAMS_ACCEPTABLE_RECOVERY_LAG,
                settings.acceptableRecoveryLag());
        if (version >= 1) {
            response.setAcceptableRecoveryLag(acceptableRecoveryLag);
        } else {
            response.setAcceptableRecoveryLagLegacy((int) Math.min(Integer.MAX_VALUE, acceptableRecoveryLag));
        }
        if (joining || tasksChanged) {
            response.setActiveTasks(responseTasks(member.active))
                    .setStandbyTasks(responseTasks(member.standby))
                    .setWarmupTasks(responseTasks(member.warmup));
        }
        if (group.endpointInformationEpoch != r.endpointInformationEpoch()) {
            response.setPartitionsByUserEndpoint(EndpointPartitions.of(group, topics));
        }
        if (!configured.isReady()) {
            statuses.add(status(configured.status(), configured.statusDetail()));
        }
        if (group.shutdownRequestMemberId != null) {
            statuses.add(status(StreamsGroupHeartbeatResponse.Status.SHUTDOWN_APPLICATION, "Streams group member "
                    + group.shutdownRequestMemberId + " encountered a fatal error and requested a shutdown for the entire application."));
        }
        return response.setStatus(statuses);
    }

    private static StreamsGroupHeartbeatResponseData.Status status(StreamsGroupHeartbeatResponse.Status code, String detail) {
        return new StreamsGroupHeartbeatResponseData.Status().setStatusCode(code.code()).setStatusDetail(detail);
    }

    private StreamsGroup groupFor(String groupId, boolean create) {
        Group g = groups.get(groupId);
        if (g instanceof StreamsGroup streams) {
            return streams;
        }
        if (g instanceof ClassicGroup classic && create && classic.isEmpty()) {
            // An empty classic group (perhaps only committed offsets, e.g. a Streams application that used the
            // classic protocol before) becomes a streams group; its offsets stay.
            StreamsGroup upgraded = new StreamsGroup(groupId);
            groups.put(groupId, upgraded);
            return upgraded;
        }
        if (g != null) {
            throw new GroupException(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " is not a streams group.");
        }
        if (!create) {
            throw new GroupException(Errors.GROUP_ID_NOT_FOUND, "Streams group " + groupId + " not found.");
        }
        StreamsGroup created = new StreamsGroup(groupId);
        groups.put(groupId, created);
        return created;
    }

    private StreamsMember joinMember(StreamsGroup group, String memberId, String instanceId) {
        if (instanceId != null) {
            StreamsMember existing = group.staticMember(instanceId);
            if (existing != null && !existing.memberId().equals(memberId)) {
                if (existing.memberEpoch != StreamsMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
                    throw new GroupException(Errors.UNRELEASED_INSTANCE_ID, "Static member " + existing.memberId()
                            + " with instance id " + instanceId + " is not released yet.");
                }
                // The static member is back within its session: the new incarnation takes over the old one's target,
                // starting from no owned tasks.
                StickyTaskAssignor.Target target = group.targetAssignment.get(existing.memberId());
                group.remove(existing.memberId());
                StreamsMember replacement = new StreamsMember(memberId);
                replacement.instanceId = instanceId;
                replacement.processId = existing.processId;
                group.put(replacement);
                if (target != null) {
                    group.targetAssignment.put(memberId, target);
                }
                LOG.info("group {}: static member {} rejoined as {}", group.groupId(), instanceId, memberId);
                return replacement;
            }
        }
        StreamsMember known = group.member(memberId);
        if (known != null) {
            // A member rejoining with epoch 0 (after FENCED_MEMBER_EPOCH, say) is the same member to Kafka: it keeps
            // its place and its target; the tasks it reported gone are given back by the reconciliation.
            LOG.info("group {}: member {} rejoins", group.groupId(), memberId);
            return known;
        }
        StreamsMember fresh = new StreamsMember(memberId);
        fresh.instanceId = instanceId;
        group.put(fresh);
        LOG.info("group {}: member {} joins", group.groupId(), memberId);
        return fresh;
    }

    /** Whether the member reports owning only tasks of its assignment; a member that reports nothing does not. */
    private static boolean ownsOnly(StreamsGroupHeartbeatRequestData r, StreamsMember member) {
        return r.activeTasks() != null && subset(r.activeTasks(), member.active)
                && subset(r.standbyTasks(), member.standby) && subset(r.warmupTasks(), member.warmup);
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** Reported tasks must exist in the configured topology (Kafka: INVALID_REQUEST, with its messages). */
    private static void checkTasksExist(ConfiguredTopology configured, List<StreamsGroupHeartbeatRequestData.TaskIds> tasks) {
        for (StreamsGroupHeartbeatRequestData.TaskIds task : tasks) {
            Integer count = configured.taskCounts().get(task.subtopologyId());
            if (count == null) {
                throw StreamsException.invalidRequest("Subtopology " + task.subtopologyId() + " does not exist in the topology.");
            }
            for (int partition : task.partitions()) {
                if (partition < 0 || partition >= count) {
                    throw StreamsException.invalidRequest("Task " + partition + " for subtopology " + task.subtopologyId()
                            + " is invalid. Number of tasks for this subtopology: " + count);
                }
            }
        }
    }

    private static boolean subset(List<StreamsGroupHeartbeatRequestData.TaskIds> owned, Map<String, Set<Integer>> assigned) {
        for (StreamsGroupHeartbeatRequestData.TaskIds t : owned) {
            for (int p : t.partitions()) {
                if (!Tasks.contains(assigned, t.subtopologyId(), p)) {
                    return false;
                }
            }
        }
        return true;
    }

    // ---- topology and assignment ------------------------------------------------------------------------------------

    /**
     * The group's topology against the topics as they are now. When internal topics are missing they are created
     * here, and the topology is checked once more: Kafka answers MISSING_INTERNAL_TOPICS first and sees the topics at
     * a later heartbeat; creating them on this node is immediate, so the member gets its tasks a heartbeat sooner.
     */
    private ConfiguredTopology configure(StreamsGroup group, boolean force, Predicate<String> mayCreateTopic) {
        String signature = TopologyConfigurer.signature(group.topology, topics);
        if (!force && group.configured != null && group.configured.signature().equals(signature)
                && group.configured.toCreate().isEmpty()) {
            return group.configured;
        }
        // internal topics still missing are tried again at every heartbeat, as Kafka's broker does
        ConfiguredTopology configured = TopologyConfigurer.configure(group.topology, topics);
        List<String> unauthorized = configured.toCreate().keySet().stream().filter(t -> !mayCreateTopic.test(t)).toList();
        if (!unauthorized.isEmpty()) {
            // Kafka creates none of them then, and says which it may not create
            configured = new ConfiguredTopology(configured.taskCounts(), configured.toCreate(), configured.status(),
                    configured.statusDetail() + "; Unauthorized to CREATE on topics " + String.join(", ", unauthorized) + ".",
                    configured.signature());
        } else if (!configured.toCreate().isEmpty()) {
            List<String> failures = new ArrayList<>();
            for (StreamsTopology.InternalTopic t : configured.toCreate().values()) {
                String failure = creator.create(t.name(), t.partitions(), t.configs());
                if (failure != null) {
                    failures.add(t.name() + ": " + failure);
                } else {
                    LOG.info("group {}: created internal topic {} with {} partitions", group.groupId(), t.name(), t.partitions());
                }
            }
            if (failures.isEmpty()) {
                configured = TopologyConfigurer.configure(group.topology, topics);
            } else {
                LOG.warn("group {}: internal topics could not be created: {}", group.groupId(), failures);
                configured = new ConfiguredTopology(configured.taskCounts(), configured.toCreate(), configured.status(),
                        configured.statusDetail() + " (" + String.join("; ", failures) + ")", configured.signature());
            }
        }
        group.configured = configured;
        return configured;
    }

    /**
     * {@code group.streams.initial.rebalance.delay.ms}: the first member of an empty group gets ASSIGNMENT_DELAYED and
     * no tasks until the delay has passed, so that the instances starting together share the first assignment.
     */
    private void delayInitialAssignment(StreamsGroup group) {
        int delay = initialRebalanceDelayMs(group.groupId());
        group.initialDelayUntilMs = thread.nowMs() + delay;
        String groupId = group.groupId();
        thread.schedule(delay, () -> {
            group.initialDelayUntilMs = 0;
            if (groups.get(groupId) == group && !group.isEmpty()) {
                group.groupEpoch++;
                computeTargetAssignment(group);
                log.save(group);
                LOG.info("group {}: epoch {} (initial rebalance delay over)", groupId, group.groupEpoch);
            }
        });
    }

    private void emptyTargetAssignment(StreamsGroup group) {
        group.targetAssignment.clear();
        for (StreamsMember m : group.members.values()) {
            group.targetAssignment.put(m.memberId(), StickyTaskAssignor.Target.EMPTY);
        }
        group.assignmentEpoch = group.groupEpoch;
    }

    private void computeTargetAssignment(StreamsGroup group) {
        ConfiguredTopology configured = group.configured;
        List<StickyTaskAssignor.Member> members = new ArrayList<>();
        for (StreamsMember m : group.members.values()) {
            StickyTaskAssignor.Target previous = group.targetOf(m.memberId());
            Map<String, Set<Integer>> previousActive = Tasks.copy(previous.active());
            Tasks.forEach(m.active, (s, p) -> Tasks.add(previousActive, s, p));
            Map<String, Set<Integer>> previousStandby = Tasks.copy(previous.standby());
            Tasks.forEach(m.standby, (s, p) -> Tasks.add(previousStandby, s, p));
            members.add(new StickyTaskAssignor.Member(m.memberId(), m.processId, previousActive, previousStandby));
        }
        Map<String, StickyTaskAssignor.Target> target = configured != null && configured.isReady()
                ? StickyTaskAssignor.assign(configured.taskCounts(), group.topology.statefulSubtopologies(), members,
                        groupConfigs.intValue(group.groupId(), "streams.num.standby.replicas", settings.numStandbyReplicas()))
                : Map.of();
        group.targetAssignment.clear();
        for (StreamsMember m : group.members.values()) {
            group.targetAssignment.put(m.memberId(), target.getOrDefault(m.memberId(), StickyTaskAssignor.Target.EMPTY));
        }
        group.assignmentEpoch = group.groupEpoch;
        LOG.debug("group {}: target assignment of epoch {}: {}", group.groupId(), group.assignmentEpoch, group.targetAssignment);
    }

    /**
     * Moves a member one step towards its target (Kafka's streams CurrentAssignmentBuilder): tasks it must give up are
     * revoked first and its epoch stays until it reports them gone; an active task comes only once no other member
     * runs it, a standby task once no other member of its process holds it.
     *
     * @return whether the member's epoch, state or tasks changed
     */
    private boolean reconcile(StreamsGroup group, StreamsMember member, StreamsGroupHeartbeatRequestData r) {
        StreamsMemberState stateBefore = member.state;
        int epochBefore = member.memberEpoch;
        Map<String, Set<Integer>> activeBefore = Tasks.copy(member.active);
        Map<String, Set<Integer>> standbyBefore = Tasks.copy(member.standby);
        switch (member.state) {
            case STABLE -> {
                if (member.memberEpoch != group.assignmentEpoch) {
                    nextAssignment(group, member, member.memberEpoch, r);
                }
            }
            case UNREVOKED_TASKS -> {
                if (!stillOwnsAny(r, member.activePendingRevocation, member.standbyPendingRevocation)) {
                    nextAssignment(group, member, member.memberEpoch + 1, r);
                }
            }
            case UNRELEASED_TASKS -> nextAssignment(group, member, member.memberEpoch, r);
        }
        return member.state != stateBefore || member.memberEpoch != epochBefore
                || !Tasks.equal(activeBefore, member.active) || !Tasks.equal(standbyBefore, member.standby);
    }

    private void nextAssignment(StreamsGroup group, StreamsMember member, int epoch, StreamsGroupHeartbeatRequestData r) {
        StickyTaskAssignor.Target target = group.targetOf(member.memberId());
        int targetEpoch = group.assignmentEpoch;
        Map<String, Set<Integer>> activeKeep = new TreeMap<>();
        Map<String, Set<Integer>> activeRevoke = new TreeMap<>();
        Map<String, Set<Integer>> activeAdd = new TreeMap<>();
        Map<String, Set<Integer>> standbyKeep = new TreeMap<>();
        Map<String, Set<Integer>> standbyRevoke = new TreeMap<>();
        Map<String, Set<Integer>> standbyAdd = new TreeMap<>();
        boolean unreleased = false;
        Tasks.forEach(member.active, (s, p) -> Tasks.add(Tasks.contains(target.active(), s, p) ? activeKeep : activeRevoke, s, p));
        Tasks.forEach(member.standby, (s, p) -> Tasks.add(Tasks.contains(target.standby(), s, p) ? standbyKeep : standbyRevoke, s, p));
        for (Map.Entry<String, Set<Integer>> e : target.active().entrySet()) {
            for (int p : e.getValue()) {
                if (Tasks.contains(member.active, e.getKey(), p)) {
                    continue;
                }
                if (group.activeElsewhere(e.getKey(), p, member.memberId()) || group.heldOnProcess(e.getKey(), p, member)) {
                    unreleased = true;
                } else {
                    Tasks.add(activeAdd, e.getKey(), p);
                }
            }
        }
        for (Map.Entry<String, Set<Integer>> e : target.standby().entrySet()) {
            for (int p : e.getValue()) {
                if (Tasks.contains(member.standby, e.getKey(), p)) {
                    continue;
                }
                if (group.heldOnProcess(e.getKey(), p, member)) {
                    unreleased = true;
                } else {
                    Tasks.add(standbyAdd, e.getKey(), p);
                }
            }
        }
        boolean mustRevoke = !activeRevoke.isEmpty() || !standbyRevoke.isEmpty();
        if (mustRevoke && stillOwnsAny(r, activeRevoke, standbyRevoke)) {
            member.state = StreamsMemberState.UNREVOKED_TASKS;
            member.epoch(epoch);
            member.active = activeKeep;
            member.standby = standbyKeep;
            member.activePendingRevocation = activeRevoke;
            member.standbyPendingRevocation = standbyRevoke;
            member.revocationDeadlineMs = thread.nowMs() + member.rebalanceDeadlineDelayMs();
            armExpiry(group, member, member.rebalanceDeadlineDelayMs());
            return;
        }
        Map<String, Map<Integer, Integer>> epochs = new HashMap<>();
        Tasks.forEach(activeKeep, (s, p) -> epochs.computeIfAbsent(s, x -> new HashMap<>())
                .put(p, member.activeTaskEpochs.getOrDefault(s, Map.of()).getOrDefault(p, member.memberEpoch)));
        Tasks.forEach(activeAdd, (s, p) -> epochs.computeIfAbsent(s, x -> new HashMap<>()).put(p, targetEpoch));
        Tasks.forEach(activeAdd, (s, p) -> Tasks.add(activeKeep, s, p));
        Tasks.forEach(standbyAdd, (s, p) -> Tasks.add(standbyKeep, s, p));
        member.activeTaskEpochs = epochs;
        member.state = unreleased ? StreamsMemberState.UNRELEASED_TASKS : StreamsMemberState.STABLE;
        member.epoch(targetEpoch);
        member.active = activeKeep;
        member.standby = standbyKeep;
        member.activePendingRevocation = new TreeMap<>();
        member.standbyPendingRevocation = new TreeMap<>();
        member.revocationDeadlineMs = 0;
    }

    /** Whether the member still reports one of these tasks; a member that reports nothing is assumed to (Kafka's rule). */
    private static boolean stillOwnsAny(StreamsGroupHeartbeatRequestData r, Map<String, Set<Integer>> active,
                                        Map<String, Set<Integer>> standby) {
        if (r.activeTasks() == null) {
            return !active.isEmpty() || !standby.isEmpty();
        }
        Map<String, Set<Integer>> owned = new HashMap<>();
        for (List<StreamsGroupHeartbeatRequestData.TaskIds> list : List.of(r.activeTasks(), r.standbyTasks(), r.warmupTasks())) {
            list.forEach(t -> t.partitions().forEach(p -> Tasks.add(owned, t.subtopologyId(), p)));
        }
        return Tasks.intersects(active, owned) || Tasks.intersects(standby, owned);
    }

    private static List<StreamsGroupHeartbeatResponseData.TaskIds> responseTasks(Map<String, Set<Integer>> tasks) {
        List<StreamsGroupHeartbeatResponseData.TaskIds> list = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : Tasks.sorted(tasks)) {
            list.add(new StreamsGroupHeartbeatResponseData.TaskIds().setSubtopologyId(e.getKey()).setPartitions(e.getValue()));
        }
        return list;
    }

    // ---- StreamsGroupDescribe ---------------------------------------------------------------------------------------

    public StreamsGroupDescribeResponseData.DescribedGroup describe(String groupId) {
        return StreamsGroupDescriber.describe(groupId, groups::get);
    }

    // ---- leaving and sessions ---------------------------------------------------------------------------------------

    private StreamsGroupHeartbeatResponseData leave(StreamsGroupHeartbeatRequestData r) {
        Group g = groups.get(r.groupId());
        if (!(g instanceof StreamsGroup group)) {
            throw new GroupException(Errors.GROUP_ID_NOT_FOUND, "Streams group " + r.groupId() + " not found.");
        }
        StreamsMember member = group.leavingMember(r.memberId(), r.instanceId());
        if (r.memberEpoch() == StreamsMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
            // A static member leaving for a moment keeps its tasks for one session timeout.
            member.epoch(StreamsMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH);
            member.revocationDeadlineMs = 0;
            log.save(group);
            LOG.info("group {}: static member {} ({}) left temporarily", group.groupId(), member.memberId(), member.instanceId());
            return new StreamsGroupHeartbeatResponseData().setMemberId(member.memberId())
                    .setMemberEpoch(StreamsMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH);
        }
        fence(group, member, "left the group");
        return new StreamsGroupHeartbeatResponseData().setMemberId(r.memberId())
                .setMemberEpoch(StreamsMember.LEAVE_GROUP_MEMBER_EPOCH);
    }

    /** Removes a member; its tasks become free for the others, who get them at the next epoch. */
    private void fence(StreamsGroup group, StreamsMember member, String why) {
        group.remove(member.memberId());
        group.groupEpoch++;
        if (member.userEndpoint != null) {
            group.endpointInformationEpoch++;
        }
        log.save(group);
        LOG.info("group {}: member {} {}; epoch {}", group.groupId(), member.memberId(), why, group.groupEpoch);
    }

    private void touchSession(StreamsGroup group, StreamsMember member) {
        int timeout = sessionTimeoutMs(group.groupId());
        member.sessionDeadlineMs = thread.nowMs() + timeout;
        armExpiry(group, member, timeout);
    }

    /** Restored members get one session timeout to heartbeat again. */
    public void armRestoredSessions(StreamsGroup group) {
        for (StreamsMember m : group.members.values()) {
            touchSession(group, m);
        }
    }

    private void armExpiry(StreamsGroup group, StreamsMember member, long delayMs) {
        if (member.timer.arm(thread.nowMs(), delayMs)) {
            String groupId = group.groupId();
            thread.schedule(delayMs, () -> checkMember(groupId, group, member));
        }
    }

    private void checkMember(String groupId, StreamsGroup group, StreamsMember member) {
        long now = thread.nowMs();
        if (!member.timer.due(now)) {
            return; // overtaken by a nearer check
        }
        if (groups.get(groupId) != group || group.member(member.memberId()) != member) {
            return;
        }
        if (now >= member.sessionDeadlineMs) {
            fence(group, member, "session expired (" + sessionTimeoutMs(groupId) + " ms)");
            return;
        }
        if (member.state == StreamsMemberState.UNREVOKED_TASKS && member.revocationDeadlineMs > 0 && now >= member.revocationDeadlineMs) {
            fence(group, member, "did not revoke its tasks within its rebalance timeout (" + member.rebalanceTimeoutMs + " ms)");
            return;
        }
        long next = member.sessionDeadlineMs;
        if (member.state == StreamsMemberState.UNREVOKED_TASKS && member.revocationDeadlineMs > 0) {
            next = Math.min(next, member.revocationDeadlineMs);
        }
        armExpiry(group, member, next - now);
    }
}
