package dev.walrus.kafka.group;

import dev.walrus.kafka.group.OffsetRetentionCheck.Verdict;
import dev.walrus.kafka.group.classic.ClassicGroup;
import dev.walrus.kafka.group.classic.ClassicMember;
import dev.walrus.kafka.group.consumer.ConsumerGroup;
import dev.walrus.kafka.group.consumer.ConsumerMember;
import dev.walrus.kafka.group.consumer.MemberState;
import dev.walrus.kafka.group.offsets.CommittedOffset;
import dev.walrus.kafka.group.offsets.CommittedOffsets;
import dev.walrus.kafka.group.offsets.PendingTransactionalOffsets;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.share.ShareGroup;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules of the offset retention check, one group at a time, at chosen instants: Kafka 4.4's
 * {@code cleanupExpiredOffsets} with each kind of group's {@code offsetExpirationCondition}, then
 * {@code maybeDeleteGroup}.
 */
class OffsetRetentionCheckTest {

    private static final long RETENTION = 60_000;
    private static final long T0 = 1_700_000_000_000L;

    private final TopicInfo orders = new TopicInfo("orders", Uuid.randomUuid(), 2, Map.of());
    private final TopicInfo payments = new TopicInfo("payments", Uuid.randomUuid(), 1, Map.of());
    private final PendingTransactionalOffsets pending = new PendingTransactionalOffsets();
    private final Map<CommittedOffsets.Key, CommittedOffset> offsets = new LinkedHashMap<>();

    private CommittedOffsets.Key commit(TopicInfo topic, int partition, long atMs) {
        CommittedOffsets.Key key = new CommittedOffsets.Key(topic.id(), partition);
        offsets.put(key, new CommittedOffset(42, -1, "", atMs));
        return key;
    }

    private Verdict judge(Group group, long nowMs) {
        return OffsetRetentionCheck.judge(group, offsets,
                id -> List.of(orders, payments).stream().filter(t -> t.id().equals(id)).map(TopicInfo::name)
                        .findFirst().orElse(null),
                pending, nowMs, RETENTION);
    }

    private static ClassicMember subscriber(String memberId, String... topics) {
        byte[] subscription = Utils.toArray(ConsumerProtocol.serializeSubscription(new Subscription(List.of(topics))));
        return new ClassicMember(memberId, null, "client", "/h", 30_000, 10_000,
                List.of(new ClassicMember.Protocol("range", subscription)));
    }

    private static ClassicGroup stableClassic(ClassicMember member) {
        return ClassicGroup.restore("g", 3, "consumer", "range", member.memberId(), T0, List.of(member),
                List.of(new byte[0]));
    }

    private static ClassicGroup emptyClassic(long emptySinceMs) {
        return ClassicGroup.restore("g", 4, "consumer", null, null, emptySinceMs, List.of(), List.of());
    }

    @Test
    void shouldExpireTheOffsetsOfAnEmptyClassicGroupOnceTheRetentionHasPassedSinceItBecameEmpty() {
        commit(orders, 0, T0 - 10 * RETENTION);
        commit(payments, 0, T0 - 10 * RETENTION);
        ClassicGroup group = emptyClassic(T0);

        assertThat(judge(group, T0 + RETENTION - 1)).isEqualTo(Verdict.KEEP_EVERYTHING);
        Verdict due = judge(group, T0 + RETENTION);

        assertThat(due.expiredOffsets()).containsExactlyInAnyOrderElementsOf(offsets.keySet());
        assertThat(due.deleteGroup()).isTrue();
    }

    @Test
    void shouldAgeTheOffsetsOfAnEmptyClassicGroupFromTheirCommitsWhenItsEmptyTimeIsUnknown() {
        CommittedOffsets.Key old = commit(orders, 0, T0);
        commit(orders, 1, T0 + RETENTION);
        ClassicGroup restoredFromAnOldRecord = emptyClassic(ClassicGroup.UNKNOWN_TIMESTAMP);

        Verdict verdict = judge(restoredFromAnOldRecord, T0 + RETENTION);

        assertThat(verdict.expiredOffsets()).containsExactly(old);
        assertThat(verdict.deleteGroup()).isFalse();
    }

    @Test
    void shouldAgeEachOffsetOfASimpleGroupFromItsOwnCommitAndDeleteTheGroupWithTheLast() {
        CommittedOffsets.Key first = commit(orders, 0, T0);
        CommittedOffsets.Key second = commit(orders, 1, T0 + 1_000);
        ClassicGroup simple = new ClassicGroup("g"); // offsets committed by assign() consumers: no protocol type

        assertThat(judge(simple, T0 + RETENTION)).isEqualTo(new Verdict(List.of(first), false));
        assertThat(judge(simple, T0 + RETENTION + 1_000).expiredOffsets()).containsExactly(first, second);
        assertThat(judge(simple, T0 + RETENTION + 1_000).deleteGroup()).isTrue();
    }

    @Test
    void shouldExpireAnOffsetWithAnExpireTimestampOfItsOwnThenWhateverTheGroupsRuleSays() {
        CommittedOffsets.Key early = new CommittedOffsets.Key(payments.id(), 0);
        offsets.put(early, new CommittedOffset(42, -1, "", T0, T0 + 1_000));
        CommittedOffsets.Key late = new CommittedOffsets.Key(orders.id(), 0);
        offsets.put(late, new CommittedOffset(42, -1, "", T0, T0 + 10 * RETENTION));
        ClassicGroup emptySinceT0 = emptyClassic(T0);

        assertThat(judge(emptySinceT0, T0 + 999)).isEqualTo(Verdict.KEEP_EVERYTHING);
        assertThat(judge(emptySinceT0, T0 + 1_000)).isEqualTo(new Verdict(List.of(early), false));
        assertThat(judge(emptySinceT0, T0 + 10 * RETENTION)).isEqualTo(new Verdict(List.of(early, late), true));
    }

    @Test
    void shouldKeepASubscribedTopicsOffsetPastItsOwnExpireTimestamp() {
        offsets.put(new CommittedOffsets.Key(orders.id(), 0), new CommittedOffset(42, -1, "", T0, T0 + 1));

        assertThat(judge(stableClassic(subscriber("m-1", "orders")), T0 + RETENTION)).isEqualTo(Verdict.KEEP_EVERYTHING);
    }

    @Test
    void shouldKeepAStableClassicGroupsSubscribedTopicAndExpireTheOthersFromTheirCommits() {
        commit(orders, 0, T0);
        CommittedOffsets.Key unread = commit(payments, 0, T0);
        ClassicGroup group = stableClassic(subscriber("m-1", "orders"));

        Verdict verdict = judge(group, T0 + 100 * RETENTION);

        assertThat(verdict.expiredOffsets()).containsExactly(unread);
        assertThat(verdict.deleteGroup()).isFalse();
    }

    @Test
    void shouldKeepEveryOffsetOfAClassicGroupWithMembersWhoseSubscriptionsCannotBeRead() {
        commit(payments, 0, T0);
        ClassicMember connectWorker = new ClassicMember("m-1", null, "client", "/h", 30_000, 10_000,
                List.of(new ClassicMember.Protocol("range", new byte[] {(byte) 0xff})));

        assertThat(judge(stableClassic(connectWorker), T0 + 100 * RETENTION)).isEqualTo(Verdict.KEEP_EVERYTHING);
    }

    @Test
    void shouldExpireAConsumerGroupsUnsubscribedTopicFromItsCommitWhileItsMembersStay() {
        commit(orders, 0, T0);
        CommittedOffsets.Key unread = commit(payments, 0, T0);
        ConsumerMember member = ConsumerMember.restore("m-1", null, null, "client", "/h", 60_000, List.of("orders"), null,
                null, 1, 0, MemberState.STABLE, Map.of(), Map.of(), Map.of());
        ConsumerGroup live = ConsumerGroup.restore("g", 1, 1, "", List.of(member), Map.of());

        assertThat(judge(live, T0 + RETENTION - 1)).isEqualTo(Verdict.KEEP_EVERYTHING);
        assertThat(judge(live, T0 + RETENTION)).isEqualTo(new Verdict(List.of(unread), false));
    }

    @Test
    void shouldDeleteAnEmptyGroupWithNoOffsetsAtTheFirstCheck() {
        assertThat(judge(new ConsumerGroup("g"), T0)).isEqualTo(new Verdict(List.of(), true));
        assertThat(judge(emptyClassic(T0), T0)).isEqualTo(new Verdict(List.of(), true));
    }

    @Test
    void shouldNeverDeleteAShareGroup() {
        assertThat(judge(new ShareGroup("g"), T0)).isEqualTo(Verdict.KEEP_EVERYTHING);
    }

    @Test
    void shouldKeepAnOffsetAnOpenTransactionCommittedForItsPartitionAndTheGroupWithIt() {
        CommittedOffsets.Key inTransaction = commit(orders, 0, T0);
        CommittedOffsets.Key plain = commit(orders, 1, T0);
        pending.add("g", 7L, new CommittedOffsets.Write(orders, inTransaction.partition(), new CommittedOffset(50, -1, "", T0)));

        Verdict verdict = judge(new ClassicGroup("g"), T0 + RETENTION);

        assertThat(verdict).isEqualTo(new Verdict(List.of(plain), false));
    }

    @Test
    void shouldKeepAnEmptyGroupWithoutOffsetsWhileATransactionHasOffsetsPendingForIt() {
        pending.add("g", 7L, new CommittedOffsets.Write(payments, 0, new CommittedOffset(5, -1, "", T0)));

        assertThat(judge(new ClassicGroup("g"), T0 + RETENTION).deleteGroup()).isFalse();
    }
}
