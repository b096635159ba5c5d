package dev.walrus.kafka.group.streams;

import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData;

import java.util.List;

/** The checks Kafka's group coordinator service makes on a StreamsGroupHeartbeat before it looks at the group. */
final class StreamsHeartbeatChecks {

    private StreamsHeartbeatChecks() {}

    /** Kafka's request checks, before the group is looked at (INVALID_REQUEST with Kafka's messages). */
    static void validate(StreamsGroupHeartbeatRequestData r) {
        if (r.topology() != null) {
            for (StreamsGroupHeartbeatRequestData.Subtopology s : r.topology().subtopologies()) {
                if (!s.sourceTopicRegex().isEmpty()) {
                    throw StreamsException.invalidRequest("Regular expressions for source topics are not supported yet.");
                }
            }
        }
        requireNonEmpty(r.memberId(), "MemberId can't be empty.");
        requireNonEmpty(r.groupId(), "GroupId can't be empty.");
        if (r.instanceId() != null && r.instanceId().isEmpty()) {
            throw StreamsException.invalidRequest("InstanceId can't be empty.");
        }
        if (r.rackId() != null && r.rackId().isEmpty()) {
            throw StreamsException.invalidRequest("RackId can't be empty.");
        }
        int epoch = r.memberEpoch();
        if (epoch == 0) {
            if (r.rebalanceTimeoutMs() == -1) {
                throw StreamsException.invalidRequest("RebalanceTimeoutMs must be provided in first request.");
            }
            requireEmpty(r.activeTasks(), "ActiveTasks must be empty when (re-)joining.");
            requireEmpty(r.standbyTasks(), "StandbyTasks must be empty when (re-)joining.");
            requireEmpty(r.warmupTasks(), "WarmupTasks must be empty when (re-)joining.");
            if (r.topology() == null) {
                throw StreamsException.invalidRequest("Topology must be non-null when (re-)joining.");
            }
        } else if (epoch == StreamsMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
            if (r.instanceId() == null) {
                throw StreamsException.invalidRequest("InstanceId can't be null.");
            }
        } else if (epoch < StreamsMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
            throw StreamsException.invalidRequest("MemberEpoch is " + epoch + ", but must be greater than or equal to -2.");
        }
        if (r.activeTasks() != null || r.standbyTasks() != null || r.warmupTasks() != null) {
            if (r.activeTasks() == null || r.standbyTasks() == null || r.warmupTasks() == null) {
                throw StreamsException.invalidRequest("If one task-type is non-null, all must be non-null.");
            }
        }
        if (epoch != 0 && r.topology() != null) {
            throw StreamsException.invalidRequest("Topology can only be provided when (re-)joining.");
        }
    }

    private static void requireNonEmpty(String value, String message) {
        if (value == null || value.isEmpty()) {
            throw StreamsException.invalidRequest(message);
        }
    }

    private static void requireEmpty(List<?> list, String message) {
        if (list != null && !list.isEmpty()) {
            throw StreamsException.invalidRequest(message);
        }
    }
}
