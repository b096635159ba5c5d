package dev.walrus.kafka.share;

import dev.walrus.kafka.group.Group;
import dev.walrus.kafka.group.OffsetExpiration;
import org.apache.kafka.common.Uuid;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A share group (KIP-932): members that read the same partitions together, each record delivered to one of them.
 * The group epoch moves with membership and subscriptions; the target assignment ({@link SimpleShareAssignor}) is
 * computed for it. Lives in the group coordinator's map beside classic and consumer groups (one id space), touched on
 * the group thread only; its state is kept by the share group log, not the group log.
 */
public final class ShareGroup implements Group {

    private final String groupId;
    int groupEpoch;
    int assignmentEpoch;
    /** Names, ids and partition counts of the subscribed topics at the last epoch bump. */
    String subscriptionSignature = "";
    final Map<String, ShareMember> members = new LinkedHashMap<>();
    final Map<String, Map<Uuid, Set<Integer>>> targetAssignment = new HashMap<>();

    public ShareGroup(String groupId) {
        this.groupId = groupId;
    }

    @Override
    public String groupId() {
        return groupId;
    }

    @Override
    public String type() {
        return "share";
    }

    /** Kafka's ShareGroupState: Empty or Stable (Dead once deleted). */
    @Override
    public String stateName() {
        return members.isEmpty() ? "Empty" : "Stable";
    }

    @Override
    public String protocolType() {
        return "share";
    }

    @Override
    public boolean isEmpty() {
        return members.isEmpty();
    }

    @Override
    public boolean isSubscribedTo(String topic) {
        return members.values().stream().anyMatch(m -> m.subscribedTopicNames.contains(topic));
    }

    /** A share group commits no offsets (its share partitions keep their own state). */
    @Override
    public Optional<OffsetExpiration> offsetExpiration() {
        return Optional.empty();
    }

    /** As Kafka 4.4 ({@code ShareGroup.shouldExpire}): the offset retention check never removes a share group. */
    @Override
    public boolean expiresWithoutOffsets() {
        return false;
    }

    @Override
    public boolean storedInGroupLog() {
        return false;
    }

    public int groupEpoch() {
        return groupEpoch;
    }

    ShareMember member(String memberId) {
        return members.get(memberId);
    }
}
