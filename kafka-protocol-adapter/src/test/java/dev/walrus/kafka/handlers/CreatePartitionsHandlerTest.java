package dev.walrus.kafka.handlers;

import dev.walrus.kafka.metadata.MetadataHarness;
import dev.walrus.kafka.quota.MutationRateQuota;
import dev.walrus.kafka.quota.QuotaEntity;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsAssignment;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CreatePartitionsHandlerTest {

    private static final short LATEST = ApiKeys.CREATE_PARTITIONS.latestVersion();

    @TempDir
    Path dir;

    private MetadataHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private void create(String name, int partitions) {
        harness.registry().create(name, partitions, Map.of(), false);
        harness.registry().durable().join();
    }

    private CreatePartitionsTopicResult grow(CreatePartitionsTopic topic, boolean validateOnly, short version) {
        CreatePartitionsRequestData request = new CreatePartitionsRequestData().setTimeoutMs(5000).setValidateOnly(validateOnly);
        request.topics().add(topic);
        CreatePartitionsResponseData response = harness.call(request, version);
        return response.results().iterator().next();
    }

    private static CreatePartitionsTopic to(String name, int count) {
        return new CreatePartitionsTopic().setName(name).setCount(count).setAssignments(null);
    }

    private int partitions(String name) {
        return harness.registry().byName(name).orElseThrow().partitions();
    }

    @Test
    void shouldGrowATopic() {
        harness = MetadataHarness.open(dir);
        create("orders", 1);

        CreatePartitionsTopicResult result = grow(to("orders", 4), false, LATEST);

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(partitions("orders")).isEqualTo(4);
    }

    @Test
    void shouldKeepNewPartitionsAcrossRestarts() {
        harness = MetadataHarness.open(dir);
        create("orders", 1);
        grow(to("orders", 3), false, LATEST);

        harness.restart();

        assertThat(partitions("orders")).isEqualTo(3);
    }

    @Test
    void shouldOnlyCheckWhenValidateOnly() {
        harness = MetadataHarness.open(dir);
        create("orders", 1);

        CreatePartitionsTopicResult result = grow(to("orders", 4), true, LATEST);

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(partitions("orders")).isEqualTo(1);
    }

    @Test
    void shouldRefuseADecrease() {
        harness = MetadataHarness.open(dir);
        create("orders", 3);

        CreatePartitionsTopicResult result = grow(to("orders", 2), false, LATEST);

        assertThat(result.errorCode()).isEqualTo(Errors.INVALID_PARTITIONS.code());
        assertThat(result.errorMessage()).isEqualTo("The topic orders currently has 3 partition(s); 2 would not be an increase.");
        assertThat(partitions("orders")).isEqualTo(3);
    }

    @Test
    void shouldRefuseTheSameCount() {
        harness = MetadataHarness.open(dir);
        create("orders", 3);

        CreatePartitionsTopicResult result = grow(to("orders", 3), false, LATEST);

        assertThat(result.errorCode()).isEqualTo(Errors.INVALID_PARTITIONS.code());
        assertThat(result.errorMessage()).isEqualTo("Topic already has 3 partition(s).");
    }

    @Test
    void shouldAnswerUnknownTopic() {
        harness = MetadataHarness.open(dir);

        CreatePartitionsTopicResult result = grow(to("nosuch", 3), false, LATEST);

        assertThat(result.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    @Test
    void shouldAcceptAssignmentsNamingThisNode() {
        harness = MetadataHarness.open(dir);
        create("orders", 1);
        CreatePartitionsTopic topic = to("orders", 3).setAssignments(List.of(
                new CreatePartitionsAssignment().setBrokerIds(List.of(1)),
                new CreatePartitionsAssignment().setBrokerIds(List.of(1))));

        assertThat(grow(topic, false, LATEST).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(partitions("orders")).isEqualTo(3);
    }

    @Test
    void shouldRefuseTooFewAssignments() {
        harness = MetadataHarness.open(dir);
        create("orders", 1);
        CreatePartitionsTopic topic = to("orders", 3).setAssignments(List.of(
                new CreatePartitionsAssignment().setBrokerIds(List.of(1))));

        CreatePartitionsTopicResult result = grow(topic, false, LATEST);

        assertThat(result.errorCode()).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT.code());
        assertThat(result.errorMessage()).isEqualTo("Attempted to add 2 additional partition(s), but only 1 assignment(s) were specified.");
        assertThat(partitions("orders")).isEqualTo(1);
    }

    @Test
    void shouldRefuseAnAssignmentNamingAnotherBroker() {
        harness = MetadataHarness.open(dir);
        create("orders", 1);
        CreatePartitionsTopic topic = to("orders", 2).setAssignments(List.of(
                new CreatePartitionsAssignment().setBrokerIds(List.of(5))));

        assertThat(grow(topic, false, LATEST).errorCode()).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT.code());
    }

    @Test
    void shouldRefuseATopicGivenTwice() {
        harness = MetadataHarness.open(dir);
        create("orders", 1);
        CreatePartitionsRequestData request = new CreatePartitionsRequestData().setTimeoutMs(5000);
        request.topics().add(to("orders", 2));
        request.topics().add(to("orders", 3));

        CreatePartitionsResponseData response = harness.call(request, LATEST);

        assertThat(response.results()).extracting(CreatePartitionsTopicResult::errorCode, CreatePartitionsTopicResult::errorMessage)
                .containsExactly(org.assertj.core.api.Assertions.tuple(Errors.INVALID_REQUEST.code(), "Duplicate topic name."));
        assertThat(partitions("orders")).isEqualTo(1);
    }

    @Test
    void shouldAnswerEveryVersionTheMessageClassesDefine() {
        harness = MetadataHarness.open(dir);
        create("orders", 1);

        for (short version = ApiKeys.CREATE_PARTITIONS.oldestVersion(); version <= LATEST; version++) {
            CreatePartitionsTopicResult result = grow(to("orders", 2 + version), false, version);

            assertThat(result.errorCode()).as("v%d", version).isEqualTo(Errors.NONE.code());
            assertThat(partitions("orders")).as("v%d", version).isEqualTo(2 + version);
        }
    }

    @Test
    void shouldRefuseAGrowthOverTheMutationQuotaFromVersion3() {
        harness = MetadataHarness.open(dir);
        create("first", 1);
        create("second", 1);
        harness.registry().changeClientQuotas(new QuotaEntity(Map.of(QuotaEntity.CLIENT_ID, "harness")),
                Map.of(MutationRateQuota.KEY, 2.0)); // a bucket of 22 partitions (KIP-599)
        CreatePartitionsRequestData request = new CreatePartitionsRequestData().setTimeoutMs(5000);
        request.topics().add(to("first", 31));
        request.topics().add(to("second", 31));
        CreatePartitionsResponseData response = harness.call(request, LATEST);
        assertThat(response.results()).extracting(r -> Errors.forCode(r.errorCode()))
                .containsExactly(Errors.NONE, Errors.THROTTLING_QUOTA_EXCEEDED);
        assertThat(response.results().get(1).errorMessage()).isEqualTo("The throttling quota has been exceeded.");
        assertThat(response.throttleTimeMs()).isBetween(1, 4000);
        assertThat(partitions("first")).isEqualTo(31);
        assertThat(partitions("second")).isEqualTo(1);

        CreatePartitionsTopicResult older = grow(to("second", 31), false, (short) 2);
        assertThat(Errors.forCode(older.errorCode())).as("before v3 only throttled").isEqualTo(Errors.NONE);
        assertThat(partitions("second")).isEqualTo(31);
    }
}
