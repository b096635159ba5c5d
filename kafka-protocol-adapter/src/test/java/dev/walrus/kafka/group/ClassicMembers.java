package dev.walrus.kafka.group;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.walrus.kafka.group.GroupRequests.assignment;
import static dev.walrus.kafka.group.GroupRequests.join;
import static dev.walrus.kafka.group.GroupRequests.sync;

/** Walks classic members through joins and syncs, for tests that need a group in a given state. */
public final class ClassicMembers {

    private ClassicMembers() {}

    /** A new dynamic member joins (KIP-394 round trip included) and waits for its JoinGroup response. */
    public static JoinGroupResponseData joinNew(GroupFixture broker, String group) {
        JoinGroupResponseData first = broker.call(ApiKeys.JOIN_GROUP, 9, join(group, ""));
        return broker.call(ApiKeys.JOIN_GROUP, 9, join(group, first.memberId()));
    }

    /** One member, joined and synced: the group is Stable at generation 1 with partition 0 of "orders" assigned. */
    public static JoinGroupResponseData stableSingleMember(GroupFixture broker, String group) {
        JoinGroupResponseData joined = joinNew(broker, group);
        broker.call(ApiKeys.SYNC_GROUP, 5, sync(group, joined.memberId(), joined.generationId(),
                Map.of(joined.memberId(), assignment(new TopicPartition("orders", 0)))));
        return joined;
    }

    /** Two members through one rebalance: returns {leader, follower} JoinGroup responses of generation 2. */
    public static JoinGroupResponseData[] twoMembers(GroupFixture broker, String group) {
        JoinGroupResponseData first = stableSingleMember(broker, group);
        JoinGroupResponseData required = broker.call(ApiKeys.JOIN_GROUP, 9, join(group, ""));
        CompletableFuture<JoinGroupResponseData> second = broker.send(ApiKeys.JOIN_GROUP, 9, join(group, required.memberId()));
        JoinGroupResponseData leader = broker.call(ApiKeys.JOIN_GROUP, 9, join(group, first.memberId()));
        return new JoinGroupResponseData[] {leader, second.join()};
    }

    public static SyncGroupResponseData syncFollower(GroupFixture broker, String group, JoinGroupResponseData member) {
        return broker.call(ApiKeys.SYNC_GROUP, 5, sync(group, member.memberId(), member.generationId(), Map.of()));
    }
}
