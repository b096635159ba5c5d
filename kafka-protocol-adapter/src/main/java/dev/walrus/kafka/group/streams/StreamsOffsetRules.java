package dev.walrus.kafka.group.streams;

import dev.walrus.kafka.group.GroupException;
import org.apache.kafka.common.protocol.Errors;

import java.util.function.BiFunction;

/** How OffsetCommit, TxnOffsetCommit and OffsetFetch treat a streams group's members (Kafka 4.4's StreamsGroup rules). */
public final class StreamsOffsetRules {

    private StreamsOffsetRules() {}


    /**
     * The member ladder of OffsetCommit and TxnOffsetCommit for a streams group (Kafka 4.4's StreamsGroup rules): an
     * empty group takes commits without a member (admin tools); a transactional commit naming no member is accepted;
     * otherwise the member must exist, a plain commit must be version 9+, a newer epoch is STALE_MEMBER_EPOCH, and an
     * older epoch may commit only partitions of active tasks the member already owned at that epoch.
     *
     * @return the per-partition check that remains: (topic name, partition) to an error, NONE to accept
     */
    public static BiFunction<String, Integer, Errors> validateCommit(
            StreamsGroup group, String memberId, String instanceId, int memberEpoch, boolean transactional, short version) {
        BiFunction<String, Integer, Errors> all = (topic, partition) -> Errors.NONE;
        if (memberEpoch < 0 && group.isEmpty()) {
            return all;
        }
        if (transactional && memberEpoch < 0 && (memberId == null || memberId.isEmpty()) && instanceId == null) {
            return all;
        }
        StreamsMember m = memberId == null ? null : group.member(memberId);
        if (m == null) {
            throw new GroupException(Errors.UNKNOWN_MEMBER_ID, "Member " + memberId + " is not a member of group " + group.groupId() + ".");
        }
        if (!transactional && version < 9) {
            throw new GroupException(Errors.UNSUPPORTED_VERSION,
                    "OffsetCommit version 9 or above must be used by members using the streams group protocol");
        }
        if (memberEpoch == m.memberEpoch) {
            return all;
        }
        if (memberEpoch > m.memberEpoch) {
            throw new GroupException(Errors.STALE_MEMBER_EPOCH, "Received member epoch " + memberEpoch
                    + " is newer than current member epoch " + m.memberEpoch + ".");
        }
        return (topic, partition) -> {
            if (group.topology != null) {
                for (StreamsTopology.Subtopology s : group.topology.subtopologies()) {
                    if (s.allSourceTopics().contains(topic)) {
                        Integer since = m.activeTaskEpoch(s.id(), partition);
                        if (since != null && since <= memberEpoch) {
                            return Errors.NONE;
                        }
                    }
                }
            }
            return Errors.STALE_MEMBER_EPOCH;
        };
    }

    /** OffsetFetch from a member must carry its current epoch; the admin client sends none. */
    public static void validateFetch(StreamsGroup group, String memberId, int memberEpoch) {
        if (memberId == null && memberEpoch < 0) {
            return;
        }
        StreamsMember m = memberId == null ? null : group.member(memberId);
        if (m == null) {
            throw new GroupException(Errors.UNKNOWN_MEMBER_ID, "Member " + memberId + " is not a member of group " + group.groupId() + ".");
        }
        if (memberEpoch != m.memberEpoch) {
            throw new GroupException(Errors.STALE_MEMBER_EPOCH, "The received member epoch " + memberEpoch
                    + " does not match the expected member epoch " + m.memberEpoch + ".");
        }
    }
}
