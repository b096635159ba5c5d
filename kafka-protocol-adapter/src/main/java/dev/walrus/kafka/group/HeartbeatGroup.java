package dev.walrus.kafka.group;

import org.apache.kafka.common.protocol.Errors;

import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * A group driven by member heartbeats with member epochs: a consumer group (KIP-848) or a streams group (KIP-1071).
 * Kafka 4.4 names and fences the members of both the same way, and finds the group a describe names the same way, so
 * those rules live here once; what a member owns (partitions or tasks) and how it reconciles stay with each protocol.
 *
 * @param <M> the group's member type
 */
public interface HeartbeatGroup<M extends HeartbeatMember> extends Group {

    /**
     * The group a describe names (ConsumerGroupDescribe, StreamsGroupDescribe), with Kafka 4.4's errors: an empty id
     * is INVALID_GROUP_ID; an unknown group, or one of another type, GROUP_ID_NOT_FOUND.
     *
     * @param groups the coordinator's groups by id (asked only for a non-empty id)
     * @param typeName the type as the message names it: {@code consumer} or {@code streams}
     */
    static <G extends HeartbeatGroup<?>> G toDescribe(String groupId, Function<String, Group> groups, Class<G> type,
                                                      String typeName) {
        if (groupId == null || groupId.isEmpty()) {
            throw new GroupException(Errors.INVALID_GROUP_ID, "Group id can't be empty.");
        }
        Group g = groups.apply(groupId);
        if (g == null) {
            throw new GroupException(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " not found.");
        }
        if (!type.isInstance(g)) {
            throw new GroupException(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " is not a " + typeName + " group.");
        }
        return type.cast(g);
    }

    M member(String memberId);

    /** The member that holds this instance id (a static member), or null. */
    M staticMember(String instanceId);

    /** What the group's members own, as Kafka's messages name it: {@code partitions} or {@code tasks}. */
    String ownedKind();

    /**
     * The member a heartbeat with a positive epoch names: by its member id, or, for a static member, by its instance
     * id, which must still belong to that member id (another incarnation fenced it otherwise).
     */
    default M existingMember(String memberId, String instanceId) {
        if (instanceId == null) {
            M m = member(memberId);
            if (m == null) {
                throw new GroupException(Errors.UNKNOWN_MEMBER_ID, "Member " + memberId + " is not a member of group " + groupId() + ".");
            }
            return m;
        }
        M m = staticMember(instanceId);
        if (m == null) {
            throw new GroupException(Errors.UNKNOWN_MEMBER_ID, "Instance id " + instanceId + " is unknown.");
        }
        if (!m.memberId().equals(memberId)) {
            throw new GroupException(Errors.FENCED_INSTANCE_ID, "Static member " + memberId + " with instance id "
                    + instanceId + " was fenced by another member.");
        }
        return m;
    }

    /**
     * The member a leaving heartbeat (epoch -1 or -2) names: as {@link #existingMember}, but an unknown instance id is
     * answered as an unknown member id, as Kafka does for a leave.
     */
    default M leavingMember(String memberId, String instanceId) {
        M member = instanceId == null ? member(memberId) : staticMember(instanceId);
        if (member == null) {
            throw new GroupException(Errors.UNKNOWN_MEMBER_ID, "Member " + memberId + " is not a member of group " + groupId() + ".");
        }
        if (instanceId != null && !member.memberId().equals(memberId)) {
            throw new GroupException(Errors.FENCED_INSTANCE_ID, "Static member " + memberId + " with instance id "
                    + instanceId + " was fenced by another member.");
        }
        return member;
    }

    /**
     * Fences a heartbeat whose member epoch is not the member's: a newer one is never good; the previous one is, when
     * the response carrying the bump may have been lost, as long as the member reports owning nothing beyond its
     * current assignment ({@code ownsOnlyItsAssignment}, asked only then).
     */
    default void checkEpoch(M member, int received, BooleanSupplier ownsOnlyItsAssignment) {
        if (received > member.memberEpoch()) {
            throw new GroupException(Errors.FENCED_MEMBER_EPOCH, "The " + type() + " group member has a greater member epoch ("
                    + received + ") than the one known by the group coordinator (" + member.memberEpoch()
                    + "). The member must abandon all its " + ownedKind() + " and rejoin.");
        }
        if (received < member.memberEpoch()
                && (received != member.previousMemberEpoch() || !ownsOnlyItsAssignment.getAsBoolean())) {
            throw new GroupException(Errors.FENCED_MEMBER_EPOCH, "The " + type() + " group member has a smaller member epoch ("
                    + received + ") than the one known by the group coordinator (" + member.memberEpoch()
                    + "). The member must abandon all its " + ownedKind() + " and rejoin.");
        }
    }
}
