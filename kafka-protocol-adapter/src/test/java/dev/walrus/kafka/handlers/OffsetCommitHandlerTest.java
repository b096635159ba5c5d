package dev.walrus.kafka.handlers;

import dev.walrus.kafka.group.ClassicMembers;
import dev.walrus.kafka.group.GroupFixture;
import dev.walrus.kafka.metadata.TopicInfo;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.walrus.kafka.group.GroupRequests.commit;
import static dev.walrus.kafka.group.GroupRequests.fetch;
import static org.assertj.core.api.Assertions.assertThat;

class OffsetCommitHandlerTest {

    @TempDir
    Path dir;
    GroupFixture broker;
    TopicInfo orders;

    @BeforeEach
    void open() {
        broker = GroupFixture.open(dir);
        orders = broker.topics().create("orders", 3);
    }

    @AfterEach
    void close() {
        broker.close();
    }

    private static Errors error(OffsetCommitResponseData response) {
        return Errors.forCode(response.topics().getFirst().partitions().getFirst().errorCode());
    }

    private OffsetFetchResponsePartitions fetched(String group, int partition) {
        OffsetFetchResponseData response = broker.call(ApiKeys.OFFSET_FETCH, 9, fetch(group, "orders", partition));
        return response.groups().getFirst().topics().getFirst().partitions().getFirst();
    }

    @Test
    void shouldStoreASimpleCommitFromAConsumerWithoutGroupMembership() {
        OffsetCommitResponseData response = broker.call(ApiKeys.OFFSET_COMMIT, 8, commit("simple", "", -1, "orders", 1, 42));

        assertThat(error(response)).isEqualTo(Errors.NONE);
        assertThat(fetched("simple", 1).committedOffset()).isEqualTo(42);
    }

    @Test
    void shouldKeepMetadataAndLeaderEpochWithTheOffset() {
        OffsetCommitRequestData request = commit("simple", "", -1, "orders", 0, 7);
        request.topics().getFirst().partitions().getFirst().setCommittedMetadata("checkpoint-7").setCommittedLeaderEpoch(3);

        broker.call(ApiKeys.OFFSET_COMMIT, 8, request);

        OffsetFetchResponsePartitions p = fetched("simple", 0);
        assertThat(p.committedOffset()).isEqualTo(7);
        assertThat(p.metadata()).isEqualTo("checkpoint-7");
        assertThat(p.committedLeaderEpoch()).isEqualTo(3);
    }

    @Test
    void shouldKeepCommittedOffsetsAcrossARestart() {
        broker.call(ApiKeys.OFFSET_COMMIT, 8, commit("simple", "", -1, "orders", 2, 1234));

        broker.restart();

        assertThat(fetched("simple", 2).committedOffset()).isEqualTo(1234);
    }

    @Test
    void shouldStoreTheOffsetAsTheGroupsNamedReaderCheckpointOnThePartitionsEngineTopic() {
        broker.call(ApiKeys.OFFSET_COMMIT, 8, commit("simple", "", -1, "orders", 1, 99));

        assertThat(broker.engine().readerNames(orders.engineTopic(1))).contains("group:simple");
        assertThat(broker.engine().reader(orders.engineTopic(1), "group:simple").position()).isEqualTo(99);
    }

    @Test
    void shouldAcceptACommitFromTheCurrentGenerationOfAMember() {
        JoinGroupResponseData member = ClassicMembers.stableSingleMember(broker, "g");

        OffsetCommitResponseData response = broker.call(ApiKeys.OFFSET_COMMIT, 8, commit("g", member.memberId(), 1, "orders", 0, 5));

        assertThat(error(response)).isEqualTo(Errors.NONE);
        assertThat(fetched("g", 0).committedOffset()).isEqualTo(5);
    }

    @Test
    void shouldRejectACommitFromAnOldGeneration() {
        JoinGroupResponseData member = ClassicMembers.stableSingleMember(broker, "g");

        OffsetCommitResponseData response = broker.call(ApiKeys.OFFSET_COMMIT, 8, commit("g", member.memberId(), 0, "orders", 0, 5));

        assertThat(error(response)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(fetched("g", 0).committedOffset()).isEqualTo(-1);
    }

    @Test
    void shouldRejectACommitFromAnUnknownMember() {
        ClassicMembers.stableSingleMember(broker, "g");

        OffsetCommitResponseData response = broker.call(ApiKeys.OFFSET_COMMIT, 8, commit("g", "ghost", 1, "orders", 0, 5));

        assertThat(error(response)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldRejectASimpleCommitIntoAGroupWithMembers() {
        ClassicMembers.stableSingleMember(broker, "g");

        OffsetCommitResponseData response = broker.call(ApiKeys.OFFSET_COMMIT, 8, commit("g", "", -1, "orders", 0, 5));

        assertThat(error(response)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldAskForARetryWhileTheGroupCompletesARebalance() {
        JoinGroupResponseData member = ClassicMembers.joinNew(broker, "g");

        OffsetCommitResponseData response = broker.call(ApiKeys.OFFSET_COMMIT, 8, commit("g", member.memberId(), 1, "orders", 0, 5));

        assertThat(error(response)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void shouldRejectAMemberCommitToAGroupThatDoesNotExistByVersion() {
        OffsetCommitResponseData v8 = broker.call(ApiKeys.OFFSET_COMMIT, 8, commit("nobody", "m", 3, "orders", 0, 5));
        OffsetCommitResponseData v9 = broker.call(ApiKeys.OFFSET_COMMIT, 9, commit("nobody", "m", 3, "orders", 0, 5));

        assertThat(error(v8)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(error(v9)).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
    }

    @Test
    void shouldRejectAnUnknownTopicOrPartitionAndStoreTheRest() {
        OffsetCommitRequestData request = commit("simple", "", -1, "orders", 0, 10);
        request.topics().getFirst().partitions().add(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                .setPartitionIndex(3).setCommittedOffset(11));
        request.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("missing")
                .setPartitions(new ArrayList<>(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                        .setPartitionIndex(0).setCommittedOffset(12)))));

        OffsetCommitResponseData response = broker.call(ApiKeys.OFFSET_COMMIT, 8, request);

        assertThat(response.topics().get(0).partitions()).extracting(p -> Errors.forCode(p.errorCode()))
                .containsExactly(Errors.NONE, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(Errors.forCode(response.topics().get(1).partitions().getFirst().errorCode()))
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(fetched("simple", 0).committedOffset()).isEqualTo(10);
    }

    @Test
    void shouldRejectMetadataOverOffsetMetadataMaxBytes() {
        OffsetCommitRequestData request = commit("simple", "", -1, "orders", 0, 10);
        request.topics().getFirst().partitions().getFirst().setCommittedMetadata("x".repeat(4097));

        OffsetCommitResponseData response = broker.call(ApiKeys.OFFSET_COMMIT, 8, request);

        assertThat(error(response)).isEqualTo(Errors.OFFSET_METADATA_TOO_LARGE);
        assertThat(fetched("simple", 0).committedOffset()).isEqualTo(-1);
    }

    @Test
    void shouldKeepMetadataOfOffsetMetadataMaxBytesCharactersEvenWhenEachTakesThreeBytes() {
        String longest = "\u20ac".repeat(4096); // 4096 characters, as Kafka counts them; 12,288 bytes of UTF-8
        OffsetCommitRequestData request = commit("simple", "", -1, "orders", 0, 10);
        request.topics().getFirst().partitions().getFirst().setCommittedMetadata(longest);

        OffsetCommitResponseData response = broker.call(ApiKeys.OFFSET_COMMIT, 8, request);

        assertThat(error(response)).isEqualTo(Errors.NONE);
        assertThat(fetched("simple", 0).committedOffset()).isEqualTo(10);
        assertThat(fetched("simple", 0).metadata()).isEqualTo(longest);
    }

    @Test
    void shouldRejectAnEmptyGroupId() {
        OffsetCommitResponseData response = broker.call(ApiKeys.OFFSET_COMMIT, 8, commit("", "", -1, "orders", 0, 10));

        assertThat(error(response)).isEqualTo(Errors.INVALID_GROUP_ID);
    }

    @Test
    void shouldAddressTopicsByIdFromVersion10() {
        OffsetCommitRequestData request = commit("simple", "", -1, "orders", 0, 77);
        request.topics().getFirst().setTopicId(orders.id());

        OffsetCommitResponseData response = broker.call(ApiKeys.OFFSET_COMMIT, 10, request);

        assertThat(error(response)).isEqualTo(Errors.NONE);
        assertThat(response.topics().getFirst().topicId()).isEqualTo(orders.id());
        assertThat(fetched("simple", 0).committedOffset()).isEqualTo(77);
    }

    @Test
    void shouldDropOffsetsOfADeletedTopic() {
        broker.call(ApiKeys.OFFSET_COMMIT, 8, commit("simple", "", -1, "orders", 0, 10));

        broker.topics().delete("orders", broker.engine());
        broker.topics().create("orders", 3);

        assertThat(fetched("simple", 0).committedOffset()).isEqualTo(-1);
        broker.restart();
        assertThat(fetched("simple", 0).committedOffset()).isEqualTo(-1);
    }

    @Test
    void shouldAcceptEveryVersion() {
        for (int version = 2; version <= 9; version++) {
            OffsetCommitResponseData response = broker.call(ApiKeys.OFFSET_COMMIT, version, commit("simple", "", -1, "orders", 0, version));
            assertThat(error(response)).as("v%d", version).isEqualTo(Errors.NONE);
            assertThat(fetched("simple", 0).committedOffset()).as("v%d", version).isEqualTo(version);
        }
    }
}
