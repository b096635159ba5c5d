package dev.walrus.kafka.group.store;

import dev.walrus.kafka.group.classic.ClassicGroup;
import dev.walrus.kafka.group.classic.ClassicMember;
import dev.walrus.kafka.group.consumer.ClassicMetadata;
import dev.walrus.kafka.group.consumer.ConsumerGroup;
import dev.walrus.kafka.group.consumer.ConsumerMember;
import dev.walrus.kafka.group.consumer.MemberState;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupRecordsTest {

    @Test
    void shouldRoundTripAClassicGroupSnapshot() {
        ClassicMember member = new ClassicMember("m-1", "i-1", "client", "/10.0.0.1", 30_000, 10_000,
                List.of(new ClassicMember.Protocol("range", new byte[] {1, 2, 3})));
        ClassicGroup group = ClassicGroup.restore("g", 4, "consumer", "range", "m-1", 1_700_000_000_123L, List.of(member),
                List.of(new byte[] {9}));

        ClassicGroup back = (ClassicGroup) GroupRecords.decode(GroupRecords.snapshot(group)).group();

        assertThat(back.groupId()).isEqualTo("g");
        assertThat(back.generationId()).isEqualTo(4);
        assertThat(back.protocolName()).isEqualTo("range");
        assertThat(back.leaderId()).isEqualTo("m-1");
        assertThat(back.stateName()).isEqualTo("Stable");
        assertThat(back.stateTimestampMs()).isEqualTo(1_700_000_000_123L);
        ClassicMember m = back.member("m-1");
        assertThat(m.groupInstanceId()).isEqualTo("i-1");
        assertThat(m.clientHost()).isEqualTo("/10.0.0.1");
        assertThat(m.sessionTimeoutMs()).isEqualTo(10_000);
        assertThat(m.assignment()).containsExactly(9);
        assertThat(Arrays.equals(m.metadataFor("range"), new byte[] {1, 2, 3})).isTrue();
        assertThat(back.staticMemberId("i-1")).isEqualTo("m-1");
    }

    @Test
    void shouldKeepWhenAnEmptyClassicGroupBecameEmpty() {
        ClassicGroup empty = ClassicGroup.restore("g", 7, "consumer", null, null, 1_700_000_000_456L, List.of(), List.of());

        ClassicGroup back = (ClassicGroup) GroupRecords.decode(GroupRecords.snapshot(empty)).group();

        assertThat(back.stateName()).isEqualTo("Empty");
        assertThat(back.stateTimestampMs()).isEqualTo(1_700_000_000_456L);
    }

    @Test
    void shouldReadAClassicGroupRecordOfTheVersionBeforeStateTimestampsWithTheTimeUnknown() {
        byte[] record = GroupRecords.snapshot(ClassicGroup.restore("g", 7, "consumer", null, null, 1_700_000_000_456L,
                List.of(), List.of()));
        // version 3 had no state timestamp after the leader: kind, version, "g", generation, type, name, leader
        int timestampAt = 1 + 1 + (4 + 1) + 4 + (4 + "consumer".length()) + 4 + 4;
        byte[] v3 = new byte[record.length - 8];
        System.arraycopy(record, 0, v3, 0, timestampAt);
        System.arraycopy(record, timestampAt + 8, v3, timestampAt, record.length - timestampAt - 8);
        v3[1] = 3;

        ClassicGroup back = (ClassicGroup) GroupRecords.decode(v3).group();

        assertThat(back.generationId()).isEqualTo(7);
        assertThat(back.protocolTypeOrNull()).isEqualTo("consumer");
        assertThat(back.stateTimestampMs()).isEqualTo(ClassicGroup.UNKNOWN_TIMESTAMP);
    }

    @Test
    void shouldRoundTripAConsumerGroupSnapshot() {
        Uuid topic = Uuid.randomUuid();
        ConsumerMember member = ConsumerMember.restore("m-1", null, "rack-a", "client", "/h", 300_000, List.of("orders"), null,
                "range", 3, 2, MemberState.UNREVOKED_PARTITIONS, Map.of(topic, Set.of(0, 1)), Map.of(topic, Set.of(2)),
                Map.of(topic, Map.of(0, 1, 1, 3, 2, 1)));
        ConsumerGroup group = ConsumerGroup.restore("g", 5, 5, "{orders=x:3}", List.of(member), Map.of("m-1", Map.of(topic, Set.of(0, 1))));

        ConsumerGroup back = (ConsumerGroup) GroupRecords.decode(GroupRecords.snapshot(group)).group();

        assertThat(back.groupEpoch()).isEqualTo(5);
        assertThat(back.subscriptionSignature()).isEqualTo("{orders=x:3}");
        ConsumerMember m = back.member("m-1");
        assertThat(m.rackId()).isEqualTo("rack-a");
        assertThat(m.instanceId()).isNull();
        assertThat(m.serverAssignor()).isEqualTo("range");
        assertThat(m.memberEpoch()).isEqualTo(3);
        assertThat(m.previousMemberEpoch()).isEqualTo(2);
        assertThat(m.state()).isEqualTo(MemberState.UNREVOKED_PARTITIONS);
        assertThat(m.assigned()).isEqualTo(Map.of(topic, Set.of(0, 1)));
        assertThat(m.pendingRevocation()).isEqualTo(Map.of(topic, Set.of(2)));
        assertThat(m.assignmentEpoch(topic, 1)).isEqualTo(3);
        assertThat(m.assignmentEpoch(topic, 2)).isEqualTo(1);
        assertThat(back.targetOf("m-1")).isEqualTo(Map.of(topic, Set.of(0, 1)));
    }

    @Test
    void shouldRoundTripTheClassicMembersOfAConsumerGroup() {
        ConsumerMember classic = ConsumerMember.restore("c-1", null, null, "client", "/h", 60_000, List.of("orders"), null,
                null, 4, 4, MemberState.STABLE, Map.of(), Map.of(), Map.of())
                .withClassicMetadata(new ClassicMetadata(12_000, List.of(new ClassicMember.Protocol("range", new byte[] {7}),
                        new ClassicMember.Protocol("cooperative-sticky", new byte[] {8}))));
        ConsumerMember modern = ConsumerMember.restore("m-1", null, null, "client", "/h", 60_000, List.of("orders"), null,
                null, 4, 4, MemberState.STABLE, Map.of(), Map.of(), Map.of());
        ConsumerGroup group = ConsumerGroup.restore("g", 4, 4, "", List.of(classic, modern), Map.of());

        ConsumerGroup back = (ConsumerGroup) GroupRecords.decode(GroupRecords.snapshot(group)).group();

        ClassicMetadata metadata = back.member("c-1").classicMetadata();
        assertThat(metadata.sessionTimeoutMs()).isEqualTo(12_000);
        assertThat(metadata.protocols()).extracting(ClassicMember.Protocol::name).containsExactly("range", "cooperative-sticky");
        assertThat(metadata.preferredMetadata()).containsExactly(7);
        assertThat(back.member("m-1").usesClassicProtocol()).isFalse();
    }

    @Test
    void shouldReadAConsumerGroupRecordOfTheVersionBeforeClassicMembers() {
        ConsumerMember modern = ConsumerMember.restore("m-1", null, null, "client", "/h", 60_000, List.of("orders"), null,
                null, 4, 4, MemberState.STABLE, Map.of(), Map.of(), Map.of());
        byte[] record = GroupRecords.snapshot(ConsumerGroup.restore("g", 4, 4, "", List.of(modern), Map.of()));
        // version 2 had no classic flag after each member: drop it and mark the record version 2
        byte[] old = Arrays.copyOf(record, record.length);
        old[1] = 2;
        int flagAt = record.length - 4 - 1; // the member's classic flag, then an empty target count
        byte[] v2 = new byte[record.length - 1];
        System.arraycopy(old, 0, v2, 0, flagAt);
        System.arraycopy(old, flagAt + 1, v2, flagAt, record.length - flagAt - 1);

        ConsumerGroup back = (ConsumerGroup) GroupRecords.decode(v2).group();

        assertThat(back.member("m-1").memberEpoch()).isEqualTo(4);
        assertThat(back.member("m-1").usesClassicProtocol()).isFalse();
    }

    @Test
    void shouldDecodeATombstoneAsNoGroup() {
        GroupRecords.Decoded d = GroupRecords.decode(GroupRecords.tombstone("gone"));

        assertThat(d.groupId()).isEqualTo("gone");
        assertThat(d.group()).isNull();
    }

    @Test
    void shouldRejectATruncatedRecord() {
        byte[] whole = GroupRecords.tombstone("gone");

        assertThatThrownBy(() -> GroupRecords.decode(Arrays.copyOf(whole, whole.length - 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
    }
}
