package dev.walrus.kafka.group.streams;

import dev.walrus.kafka.group.Group;
import dev.walrus.kafka.group.GroupException;
import dev.walrus.kafka.group.HeartbeatGroup;
import org.apache.kafka.common.message.StreamsGroupDescribeResponseData;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * StreamsGroupDescribe's view of a streams group (KIP-1071): epochs, state, topology, and each member with its
 * process, endpoint, tags, current and target assignment. Task offsets are left empty (they only feed warm-up
 * decisions, which this broker does not make).
 */
final class StreamsGroupDescriber {

    private StreamsGroupDescriber() {}


    /** @param groups the coordinator's groups by id */
    static StreamsGroupDescribeResponseData.DescribedGroup describe(String groupId, Function<String, Group> groups) {
        StreamsGroup group;
        try {
            group = HeartbeatGroup.toDescribe(groupId, groups, StreamsGroup.class, "streams");
        } catch (GroupException e) {
            return new StreamsGroupDescribeResponseData.DescribedGroup().setGroupId(groupId)
                    .setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
        }
        List<StreamsGroupDescribeResponseData.Member> members = new ArrayList<>();
        for (StreamsMember m : group.members.values()) {
            StickyTaskAssignor.Target target = group.targetOf(m.memberId());
            List<StreamsGroupDescribeResponseData.KeyValue> tags = new ArrayList<>();
            m.clientTags.forEach((k, v) -> tags.add(new StreamsGroupDescribeResponseData.KeyValue().setKey(k).setValue(v)));
            members.add(new StreamsGroupDescribeResponseData.Member()
                    .setMemberId(m.memberId())
                    .setMemberEpoch(m.memberEpoch)
                    .setInstanceId(m.instanceId)
                    .setRackId(m.rackId)
                    .setClientId(m.clientId)
                    .setClientHost(m.clientHost)
                    .setTopologyEpoch(m.topologyEpoch)
                    .setProcessId(m.processId)
                    .setUserEndpoint(m.userEndpoint == null ? null : new StreamsGroupDescribeResponseData.Endpoint()
                            .setHost(m.userEndpoint.host()).setPort(m.userEndpoint.port()))
                    .setClientTags(tags)
                    .setTaskOffsets(new ArrayList<>())
                    .setTaskEndOffsets(new ArrayList<>())
                    .setAssignment(describeAssignment(m.active, m.standby, m.warmup))
                    .setTargetAssignment(describeAssignment(target.active(), target.standby(), Map.of()))
                    .setIsClassic(false));
        }
        StreamsGroupDescribeResponseData.DescribedGroup described = new StreamsGroupDescribeResponseData.DescribedGroup()
                .setGroupId(groupId)
                .setGroupState(group.stateName())
                .setGroupEpoch(group.groupEpoch)
                .setAssignmentEpoch(group.assignmentEpoch)
                .setMembers(members);
        if (group.topology != null) {
            List<StreamsGroupDescribeResponseData.Subtopology> subtopologies = new ArrayList<>();
            for (StreamsTopology.Subtopology s : group.topology.subtopologies()) {
                subtopologies.add(new StreamsGroupDescribeResponseData.Subtopology()
                        .setSubtopologyId(s.id())
                        .setSourceTopics(new ArrayList<>(s.sourceTopics()))
                        .setRepartitionSinkTopics(new ArrayList<>(s.repartitionSinkTopics()))
                        .setStateChangelogTopics(describeTopics(s.stateChangelogTopics()))
                        .setRepartitionSourceTopics(describeTopics(s.repartitionSourceTopics())));
            }
            described.setTopology(new StreamsGroupDescribeResponseData.Topology()
                    .setEpoch(group.topology.epoch()).setSubtopologies(subtopologies));
        }
        return described;
    }

    private static List<StreamsGroupDescribeResponseData.TopicInfo> describeTopics(List<StreamsTopology.InternalTopic> topics) {
        List<StreamsGroupDescribeResponseData.TopicInfo> list = new ArrayList<>();
        for (StreamsTopology.InternalTopic t : topics) {
            List<StreamsGroupDescribeResponseData.KeyValue> configs = new ArrayList<>();
            t.configs().forEach((k, v) -> configs.add(new StreamsGroupDescribeResponseData.KeyValue().setKey(k).setValue(v)));
            list.add(new StreamsGroupDescribeResponseData.TopicInfo().setName(t.name()).setPartitions(t.partitions())
                    .setReplicationFactor(t.replicationFactor()).setTopicConfigs(configs));
        }
        return list;
    }

    private static StreamsGroupDescribeResponseData.Assignment describeAssignment(Map<String, Set<Integer>> active,
                                                                                 Map<String, Set<Integer>> standby,
                                                                                 Map<String, Set<Integer>> warmup) {
        return new StreamsGroupDescribeResponseData.Assignment()
                .setActiveTasks(describeTasks(active))
                .setStandbyTasks(describeTasks(standby))
                .setWarmupTasks(describeTasks(warmup));
    }

    private static List<StreamsGroupDescribeResponseData.TaskIds> describeTasks(Map<String, Set<Integer>> tasks) {
        List<StreamsGroupDescribeResponseData.TaskIds> list = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : Tasks.sorted(tasks)) {
            list.add(new StreamsGroupDescribeResponseData.TaskIds().setSubtopologyId(e.getKey()).setPartitions(e.getValue()));
        }
        return list;
    }
}
