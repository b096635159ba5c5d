package dev.walrus.kafka.handlers;

import dev.walrus.kafka.group.GroupFixture;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
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

class OffsetFetchHandlerTest {

    @TempDir
    Path dir;
    GroupFixture broker;

    @BeforeEach
    void open() {
        broker = GroupFixture.open(dir);
        broker.topics().create("orders", 2);
        broker.topics().create("payments", 1);
        broker.call(ApiKeys.OFFSET_COMMIT, 8, commit("a", "", -1, "orders", 0, 10));
        broker.call(ApiKeys.OFFSET_COMMIT, 8, commit("a", "", -1, "payments", 0, 20));
        broker.call(ApiKeys.OFFSET_COMMIT, 8, commit("b", "", -1, "orders", 1, 30));
    }

    @AfterEach
    void close() {
        broker.close();
    }

    @Test
    void shouldAnswerManyGroupsInOneRequestFromVersion8() {
        OffsetFetchRequestData request = fetch("a", "orders", 0, 1);
        request.groups().addAll(fetch("b", "orders", 0, 1).groups());

        OffsetFetchResponseData response = broker.call(ApiKeys.OFFSET_FETCH, 8, request);

        assertThat(response.groups()).extracting(OffsetFetchResponseGroup::groupId).containsExactly("a", "b");
        assertThat(response.groups().get(0).topics().getFirst().partitions()).extracting(p -> p.committedOffset())
                .containsExactly(10L, -1L);
        assertThat(response.groups().get(1).topics().getFirst().partitions()).extracting(p -> p.committedOffset())
                .containsExactly(-1L, 30L);
    }

    @Test
    void shouldReturnEveryCommittedOffsetOfTheGroupForNullTopics() {
        OffsetFetchResponseData response = broker.call(ApiKeys.OFFSET_FETCH, 8, fetch("a", null));

        assertThat(response.groups().getFirst().topics()).extracting(t -> t.name()).containsExactlyInAnyOrder("orders", "payments");
    }

    @Test
    void shouldReturnMinusOneWithoutErrorForAnUnknownGroup() {
        OffsetFetchResponseData response = broker.call(ApiKeys.OFFSET_FETCH, 8, fetch("nobody", "orders", 0));

        OffsetFetchResponseGroup group = response.groups().getFirst();
        assertThat(Errors.forCode(group.errorCode())).isEqualTo(Errors.NONE);
        assertThat(group.topics().getFirst().partitions().getFirst().committedOffset()).isEqualTo(-1);
        assertThat(group.topics().getFirst().partitions().getFirst().metadata()).isEmpty();
    }

    @Test
    void shouldAnswerTheSingleGroupShapeBeforeVersion8() {
        OffsetFetchRequestData request = new OffsetFetchRequestData().setGroupId("a").setRequireStable(true)
                .setTopics(new ArrayList<>(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                        .setName("orders").setPartitionIndexes(new ArrayList<>(List.of(0, 1))))));

        OffsetFetchResponseData response = broker.call(ApiKeys.OFFSET_FETCH, 7, request);

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.NONE);
        assertThat(response.topics().getFirst().partitions()).extracting(p -> p.committedOffset()).containsExactly(10L, -1L);
    }

    @Test
    void shouldAnswerVersion1WithEveryRequestedPartition() {
        OffsetFetchRequestData request = new OffsetFetchRequestData().setGroupId("b")
                .setTopics(new ArrayList<>(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                        .setName("orders").setPartitionIndexes(new ArrayList<>(List.of(1))))));

        OffsetFetchResponseData response = broker.call(ApiKeys.OFFSET_FETCH, 1, request);

        assertThat(response.topics().getFirst().partitions().getFirst().committedOffset()).isEqualTo(30L);
    }

    @Test
    void shouldRejectAnEmptyGroupId() {
        OffsetFetchResponseData response = broker.call(ApiKeys.OFFSET_FETCH, 8, fetch("", "orders", 0));

        assertThat(Errors.forCode(response.groups().getFirst().errorCode())).isEqualTo(Errors.INVALID_GROUP_ID);
    }

    @Test
    void shouldAddressTopicsByIdFromVersion10() {
        OffsetFetchRequestData request = fetch("a", "orders", 0);
        request.groups().getFirst().topics().getFirst().setTopicId(broker.topics().byName("orders").orElseThrow().id());

        OffsetFetchResponseData response = broker.call(ApiKeys.OFFSET_FETCH, 10, request);

        assertThat(response.groups().getFirst().topics().getFirst().partitions().getFirst().committedOffset()).isEqualTo(10L);
    }
}
