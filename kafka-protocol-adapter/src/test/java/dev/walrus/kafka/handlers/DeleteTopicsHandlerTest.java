package dev.walrus.kafka.handlers;

import dev.walrus.kafka.metadata.MetadataHarness;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.quota.MutationRateQuota;
import dev.walrus.kafka.quota.QuotaEntity;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class DeleteTopicsHandlerTest {

    private static final short LATEST = ApiKeys.DELETE_TOPICS.latestVersion();

    @TempDir
    Path dir;

    private MetadataHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private TopicInfo create(String name, int partitions) {
        TopicInfo topic = harness.registry().create(name, partitions, Map.of(), false).value();
        harness.registry().durable().join();
        return topic;
    }

    private List<DeletableTopicResult> delete(short version, DeleteTopicState... topics) {
        DeleteTopicsRequestData request = new DeleteTopicsRequestData().setTimeoutMs(5000);
        if (version >= 6) {
            request.setTopics(List.of(topics));
        } else {
            request.setTopicNames(java.util.Arrays.stream(topics).map(DeleteTopicState::name).toList());
        }
        DeleteTopicsResponseData response = harness.call(request, version);
        return new ArrayList<>(response.responses());
    }

    private static DeleteTopicState named(String name) {
        return new DeleteTopicState().setName(name);
    }

    private static DeleteTopicState withId(Uuid id) {
        return new DeleteTopicState().setName(null).setTopicId(id);
    }

    @Test
    void shouldDeleteByNameWithItsPartitionsData() {
        harness = MetadataHarness.open(dir);
        TopicInfo orders = create("orders", 2);
        harness.engine().append(orders.engineTopic(1), new byte[] {1});

        List<DeletableTopicResult> results = delete(LATEST, named("orders"));

        assertThat(results.getFirst().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(results.getFirst().topicId()).isEqualTo(orders.id());
        assertThat(harness.registry().byName("orders")).isEmpty();
        assertThat(harness.engine().topics()).doesNotContain(orders.engineTopic(1));
    }

    @Test
    void shouldDeleteById() {
        harness = MetadataHarness.open(dir);
        TopicInfo orders = create("orders", 1);

        List<DeletableTopicResult> results = delete(LATEST, withId(orders.id()));

        assertThat(results.getFirst().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(results.getFirst().name()).isEqualTo("orders");
        assertThat(harness.registry().byId(orders.id())).isEmpty();
    }

    @Test
    void shouldStayDeletedAcrossRestarts() {
        harness = MetadataHarness.open(dir);
        create("orders", 1);
        delete(LATEST, named("orders"));

        harness.restart();

        assertThat(harness.registry().byName("orders")).isEmpty();
    }

    @Test
    void shouldAnswerUnknownTopicForAnUnknownName() {
        harness = MetadataHarness.open(dir);

        DeletableTopicResult result = delete(LATEST, named("nosuch")).getFirst();

        assertThat(result.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(result.errorMessage()).isEqualTo("This server does not host this topic-partition.");
    }

    @Test
    void shouldAnswerUnknownTopicIdForAnUnknownId() {
        harness = MetadataHarness.open(dir);
        Uuid unknown = Uuid.randomUuid();

        DeletableTopicResult result = delete(LATEST, withId(unknown)).getFirst();

        assertThat(result.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
        assertThat(result.topicId()).isEqualTo(unknown);
    }

    @Test
    void shouldRefuseAnEntryWithNeitherNameNorId() {
        harness = MetadataHarness.open(dir);

        DeletableTopicResult result = delete(LATEST, withId(Uuid.ZERO_UUID)).getFirst();

        assertThat(result.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(result.errorMessage()).isEqualTo("Neither topic name nor id were specified.");
    }

    @Test
    void shouldRefuseDeletionWhenTheBrokerDisablesIt() {
        harness = MetadataHarness.open(dir, Map.of("delete.topic.enable", "false"));
        create("orders", 1);

        DeletableTopicResult result = delete(LATEST, named("orders")).getFirst();

        assertThat(result.errorCode()).isEqualTo(Errors.TOPIC_DELETION_DISABLED.code());
        assertThat(harness.registry().byName("orders")).isPresent();
    }

    @Test
    void shouldAnswerEveryVersionTheMessageClassesDefine() {
        harness = MetadataHarness.open(dir);

        for (short version = ApiKeys.DELETE_TOPICS.oldestVersion(); version <= LATEST; version++) {
            create("topic-" + version, 1);

            DeletableTopicResult result = delete(version, named("topic-" + version)).getFirst();

            assertThat(result.errorCode()).as("v%d", version).isEqualTo(Errors.NONE.code());
            assertThat(result.name()).as("v%d", version).isEqualTo("topic-" + version);
            assertThat(harness.registry().byName("topic-" + version)).as("v%d", version).isEmpty();
        }
    }

    @Test
    void shouldAnswerUnknownTopicAtEveryVersion() {
        harness = MetadataHarness.open(dir);

        for (short version = ApiKeys.DELETE_TOPICS.oldestVersion(); version <= LATEST; version++) {
            DeletableTopicResult result = delete(version, named("nosuch")).getFirst();

            assertThat(result.errorCode()).as("v%d", version).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
    }

    @Test
    void shouldRefuseATopicOverTheMutationQuotaFromVersion5() {
        harness = MetadataHarness.open(dir);
        create("first", 30);
        create("second", 30);
        harness.registry().changeClientQuotas(new QuotaEntity(Map.of(QuotaEntity.CLIENT_ID, "harness")),
                Map.of(MutationRateQuota.KEY, 2.0));
        DeleteTopicsRequestData request = new DeleteTopicsRequestData().setTimeoutMs(5000)
                .setTopicNames(List.of("first", "second"));
        DeleteTopicsResponseData response = harness.call(request, (short) 5);
        assertThat(response.responses()).extracting(DeletableTopicResult::name, r -> Errors.forCode(r.errorCode()))
                .containsExactly(tuple("first", Errors.NONE), tuple("second", Errors.THROTTLING_QUOTA_EXCEEDED));
        assertThat(response.responses().find("second").errorMessage())
                .isEqualTo("The throttling quota has been exceeded.");
        assertThat(response.throttleTimeMs()).isBetween(1, 4000);
        assertThat(harness.registry().byName("first")).isEmpty();
        assertThat(harness.registry().byName("second")).isPresent();

        DeleteTopicsResponseData older = harness.call(new DeleteTopicsRequestData().setTimeoutMs(5000)
                .setTopicNames(List.of("second")), (short) 4);
        assertThat(Errors.forCode(older.responses().find("second").errorCode())).as("before v5 only throttled")
                .isEqualTo(Errors.NONE);
        assertThat(older.throttleTimeMs()).isPositive();
    }
}
