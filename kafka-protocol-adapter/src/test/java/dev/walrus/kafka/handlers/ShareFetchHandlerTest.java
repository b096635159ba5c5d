package dev.walrus.kafka.handlers;

import dev.walrus.kafka.ResponseFrame;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.testing.AdapterHarness;
import dev.walrus.kafka.testing.Batches;
import dev.walrus.kafka.testing.Requests;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.ShareAcknowledgeRequestData;
import org.apache.kafka.common.message.ShareAcknowledgeResponseData;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ShareFetchResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** ShareFetch and ShareAcknowledge through the adapter: share sessions, acquisition, acknowledgement, durability. */
class ShareFetchHandlerTest {

    @TempDir
    Path dir;
    AdapterHarness broker;
    TopicInfo orders;

    @AfterEach
    void close() {
        if (broker != null) {
            broker.close();
        }
    }

    private void open(Map<String, String> properties) {
        broker = new AdapterHarness(dir, properties);
        orders = broker.createTopic("orders", 1);
        IncrementalAlterConfigsResponseData altered = call(ApiKeys.INCREMENTAL_ALTER_CONFIGS, 1,
                Requests.incrementalAlterConfigs(ConfigResource.Type.GROUP, "g",
                        Requests.alterableConfig("share.auto.offset.reset", "earliest", (byte) 0)));
        assertThat(altered.responses().iterator().next().errorCode()).isZero();
    }

    private void open() {
        open(Map.of());
    }

    @SuppressWarnings("unchecked")
    private <T extends ApiMessage> T call(ApiKeys key, int version, ApiMessage request) {
        return (T) broker.send(key, (short) version, request).data();
    }

    private void produce(String... values) {
        broker.send(ApiKeys.PRODUCE, (short) 9, Requests.produce("orders", 0, Batches.of(values), (short) -1));
    }

    private void join(String member) {
        call(ApiKeys.SHARE_GROUP_HEARTBEAT, 1, new ShareGroupHeartbeatRequestData().setGroupId("g").setMemberId(member)
                .setMemberEpoch(0).setSubscribedTopicNames(List.of("orders")));
    }

    private ShareFetchRequestData fetch(String member, int epoch, ShareFetchRequestData.AcknowledgementBatch... acks) {
        ShareFetchRequestData.FetchPartitionCollection partitions = new ShareFetchRequestData.FetchPartitionCollection();
        partitions.add(new ShareFetchRequestData.FetchPartition().setPartitionIndex(0).setAcknowledgementBatches(List.of(acks)));
        ShareFetchRequestData.FetchTopicCollection topics = new ShareFetchRequestData.FetchTopicCollection();
        topics.add(new ShareFetchRequestData.FetchTopic().setTopicId(orders.id()).setPartitions(partitions));
        return new ShareFetchRequestData().setGroupId("g").setMemberId(member).setShareSessionEpoch(epoch)
                .setMaxWaitMs(0).setMinBytes(1).setMaxBytes(Integer.MAX_VALUE).setMaxRecords(500).setBatchSize(500)
                .setTopics(topics);
    }

    private static ShareFetchRequestData.AcknowledgementBatch ack(long first, long last, int type) {
        return new ShareFetchRequestData.AcknowledgementBatch().setFirstOffset(first).setLastOffset(last)
                .setAcknowledgeTypes(List.of((byte) type));
    }

    private ShareFetchResponseData shareFetch(ShareFetchRequestData request) {
        return call(ApiKeys.SHARE_FETCH, 1, request);
    }

    private static ShareFetchResponseData.PartitionData only(ShareFetchResponseData response) {
        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.NONE);
        return response.responses().iterator().next().partitions().getFirst();
    }

    @Test
    void shouldAcquireForOneMemberAtATimeAndRedeliverWhatIsReleased() {
        open();
        produce("a", "b", "c");
        join("m-1");
        join("m-2");

        ShareFetchResponseData first = shareFetch(fetch("m-1", 0));
        assertThat(first.acquisitionLockTimeoutMs()).isEqualTo(30_000);
        ShareFetchResponseData.PartitionData got = only(first);
        assertThat(Batches.values(got.records())).containsExactly("a", "b", "c");
        assertThat(got.acquiredRecords()).singleElement().satisfies(r -> {
            assertThat(r.firstOffset()).isZero();
            assertThat(r.lastOffset()).isEqualTo(2);
            assertThat(r.deliveryCount()).isEqualTo((short) 1);
        });
        assertThat(shareFetch(fetch("m-2", 0)).responses().iterator().next().partitions().getFirst().acquiredRecords())
                .as("locked to m-1").isEmpty();

        // m-1 accepts a, releases b, rejects c; b goes to m-2 on its next fetch, as its second delivery
        ShareAcknowledgeRequestData mixed = acknowledge("m-1", 1, 0, 2, 1);
        mixed.topics().iterator().next().partitions().iterator().next().acknowledgementBatches().getFirst()
                .setAcknowledgeTypes(List.of((byte) 1, (byte) 2, (byte) 3));
        ShareAcknowledgeResponseData acked = call(ApiKeys.SHARE_ACKNOWLEDGE, 1, mixed);
        assertThat(Errors.forCode(acked.responses().iterator().next().partitions().getFirst().errorCode())).isEqualTo(Errors.NONE);

        ShareFetchResponseData.PartitionData again = only(shareFetch(fetch("m-2", 1)));
        assertThat(again.acquiredRecords()).singleElement().satisfies(r -> {
            assertThat(r.firstOffset()).isEqualTo(1);
            assertThat(r.lastOffset()).isEqualTo(1);
            assertThat(r.deliveryCount()).isEqualTo((short) 2);
        });
    }

    @Test
    void shouldFollowKafkasShareSessionRules() {
        open();
        join("m");
        assertThat(Errors.forCode(shareFetch(fetch("m", 1)).errorCode())).isEqualTo(Errors.SHARE_SESSION_NOT_FOUND);
        assertThat(Errors.forCode(shareFetch(fetch("m", 0, ack(0, 0, 1))).errorCode())).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(Errors.forCode(shareFetch(fetch("m", 0)).errorCode())).isEqualTo(Errors.NONE);
        assertThat(Errors.forCode(shareFetch(fetch("m", 5)).errorCode())).isEqualTo(Errors.INVALID_SHARE_SESSION_EPOCH);
        assertThat(Errors.forCode(shareFetch(fetch("m", 1)).errorCode())).isEqualTo(Errors.NONE);
        assertThat(Errors.forCode(shareFetch(fetch("m", 2)).errorCode())).isEqualTo(Errors.NONE);

        ShareAcknowledgeResponseData initial = call(ApiKeys.SHARE_ACKNOWLEDGE, 1, acknowledge("m", 0, 0, 0, 1));
        assertThat(Errors.forCode(initial.errorCode())).isEqualTo(Errors.INVALID_SHARE_SESSION_EPOCH);
        assertThat(Errors.forCode(shareFetch(fetch("m", -1)).errorCode())).isEqualTo(Errors.NONE);
        assertThat(Errors.forCode(shareFetch(fetch("m", -1)).errorCode())).as("closed").isEqualTo(Errors.SHARE_SESSION_NOT_FOUND);
    }

    private ShareAcknowledgeRequestData acknowledge(String member, int epoch, long first, long last, int type) {
        ShareAcknowledgeRequestData.AcknowledgePartitionCollection partitions = new ShareAcknowledgeRequestData.AcknowledgePartitionCollection();
        partitions.add(new ShareAcknowledgeRequestData.AcknowledgePartition().setPartitionIndex(0).setAcknowledgementBatches(List.of(
                new ShareAcknowledgeRequestData.AcknowledgementBatch().setFirstOffset(first).setLastOffset(last)
                        .setAcknowledgeTypes(List.of((byte) type)))));
        ShareAcknowledgeRequestData.AcknowledgeTopicCollection topics = new ShareAcknowledgeRequestData.AcknowledgeTopicCollection();
        topics.add(new ShareAcknowledgeRequestData.AcknowledgeTopic().setTopicId(orders.id()).setPartitions(partitions));
        return new ShareAcknowledgeRequestData().setGroupId("g").setMemberId(member).setShareSessionEpoch(epoch).setTopics(topics);
    }

    @Test
    void shouldRefuseToAcknowledgeRecordsTheMemberDoesNotHold() {
        open();
        produce("a", "b");
        join("m-1");
        join("m-2");
        only(shareFetch(fetch("m-1", 0)));
        shareFetch(fetch("m-2", 0));
        ShareAcknowledgeResponseData stolen = call(ApiKeys.SHARE_ACKNOWLEDGE, 1, acknowledge("m-2", 1, 0, 1, 1));
        assertThat(Errors.forCode(stolen.responses().iterator().next().partitions().getFirst().errorCode()))
                .isEqualTo(Errors.INVALID_RECORD_STATE);
        ShareAcknowledgeResponseData own = call(ApiKeys.SHARE_ACKNOWLEDGE, 1, acknowledge("m-1", 1, 0, 1, 1));
        assertThat(Errors.forCode(own.responses().iterator().next().partitions().getFirst().errorCode())).isEqualTo(Errors.NONE);
        ShareAcknowledgeResponseData twice = call(ApiKeys.SHARE_ACKNOWLEDGE, 1, acknowledge("m-1", 2, 0, 1, 1));
        assertThat(Errors.forCode(twice.responses().iterator().next().partitions().getFirst().errorCode()))
                .isEqualTo(Errors.INVALID_RECORD_STATE);
    }

    @Test
    void shouldReleaseWhatAClosingSessionHolds() {
        open();
        produce("a");
        join("m-1");
        join("m-2");
        only(shareFetch(fetch("m-1", 0)));
        ShareAcknowledgeResponseData closed = call(ApiKeys.SHARE_ACKNOWLEDGE, 1, new ShareAcknowledgeRequestData()
                .setGroupId("g").setMemberId("m-1").setShareSessionEpoch(-1));
        assertThat(Errors.forCode(closed.errorCode())).isEqualTo(Errors.NONE);
        assertThat(only(shareFetch(fetch("m-2", 0))).acquiredRecords()).singleElement()
                .satisfies(r -> assertThat(r.deliveryCount()).isEqualTo((short) 2));
    }

    @Test
    void shouldWaitForRecordsUpToMaxWait() {
        open();
        join("m");
        shareFetch(fetch("m", 0));
        CompletableFuture<?> parked = broker.sendAsync(ApiKeys.SHARE_FETCH, (short) 1, fetch("m", 1).setMaxWaitMs(60_000));
        assertThat(parked).isNotDone();
        produce("late");
        assertThat(AdapterHarness.await(parked)).isNotNull();
    }

    @Test
    void shouldWaitUntilMinBytesCanBeAcquiredThenAnswerWithEverything() {
        open();
        join("m");
        shareFetch(fetch("m", 0));
        produce("small");
        CompletableFuture<ResponseFrame> parked = broker.sendAsync(ApiKeys.SHARE_FETCH, (short) 1,
                fetch("m", 1).setMaxWaitMs(60_000).setMinBytes(2_000));
        assertThat(parked).as("one small record is less than MinBytes").isNotDone();
        produce("x".repeat(3_000));
        ShareFetchResponseData answered = parsed(parked);
        ShareFetchResponseData.PartitionData got = only(answered);
        assertThat(Batches.values(got.records())).extracting(String::length).containsExactly(5, 3_000);
        assertThat(got.acquiredRecords()).singleElement().satisfies(r -> {
            assertThat(r.firstOffset()).isZero();
            assertThat(r.lastOffset()).isEqualTo(1);
        });
    }

    @Test
    void shouldAnswerAtOnceWithMinBytesZero() {
        open();
        join("m");
        shareFetch(fetch("m", 0));
        CompletableFuture<ResponseFrame> answered = broker.sendAsync(ApiKeys.SHARE_FETCH, (short) 1,
                fetch("m", 1).setMaxWaitMs(600_000).setMinBytes(0));
        ShareFetchResponseData response = parsed(answered);
        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.NONE);
        assertThat(response.responses()).allSatisfy(t -> assertThat(t.partitions())
                .allSatisfy(p -> assertThat(p.acquiredRecords()).isEmpty()));
    }

    private static ShareFetchResponseData parsed(CompletableFuture<ResponseFrame> pending) {
        ResponseFrame frame = AdapterHarness.await(pending);
        int correlationId = AdapterHarness.joined((ResponseFrame.Send) frame).getInt(4);
        return ((ShareFetchResponse) AdapterHarness.parse(frame, ApiKeys.SHARE_FETCH, (short) 1, correlationId)).data();
    }

    @Test
    void shouldSplitNewlyAcquiredRangesAtBatchBoundariesByBatchSize() {
        open();
        produce("a", "b");
        produce("c", "d");
        produce("e", "f");
        join("m");
        // Kafka's rule: cut at the first batch starting BatchSize or more offsets after the range's first offset
        ShareFetchResponseData.PartitionData got = only(shareFetch(fetch("m", 0).setBatchSize(3)));
        assertThat(Batches.values(got.records())).containsExactly("a", "b", "c", "d", "e", "f");
        assertThat(got.acquiredRecords()).extracting(r -> r.firstOffset() + "-" + r.lastOffset())
                .containsExactly("0-3", "4-5");
    }

    @Test
    void shouldKeepAcknowledgementsAndRedeliverAcquiredRecordsAfterARestart() {
        open();
        produce("a", "b", "c", "d");
        join("m");
        only(shareFetch(fetch("m", 0)));
        only(shareFetch(fetch("m", 1, ack(0, 1, 1))));

        broker.restart();

        join("m");
        ShareFetchResponseData.PartitionData again = only(shareFetch(fetch("m", 0)));
        assertThat(again.acquiredRecords()).singleElement().satisfies(r -> {
            assertThat(r.firstOffset()).isEqualTo(2);
            assertThat(r.lastOffset()).isEqualTo(3);
        });
    }

    @Test
    void shouldAuthorizeReadOnTheGroupThenOnTheTopic() {
        open(Map.of("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users", "User:admin;User:ANONYMOUS"));
        produce("a");
        broker.actAs("alice");
        assertThat(Errors.forCode(shareFetch(fetch("m", 0)).errorCode())).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED);
        allow((byte) 3, "g");
        ShareFetchResponseData noTopic = shareFetch(fetch("m", 0));
        assertThat(Errors.forCode(noTopic.responses().iterator().next().partitions().getFirst().errorCode()))
                .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);
        allow((byte) 2, "orders");
        assertThat(only(shareFetch(fetch("m", 0))).acquiredRecords()).hasSize(1);
    }

    /** Grants User:alice READ on a literal resource (2 topic, 3 group), as the super user. */
    private void allow(byte resourceType, String name) {
        broker.actAs("admin");
        call(ApiKeys.CREATE_ACLS, 3, new CreateAclsRequestData().setCreations(List.of(
                new CreateAclsRequestData.AclCreation().setResourceType(resourceType).setResourceName(name)
                        .setResourcePatternType((byte) 3).setPrincipal("User:alice").setHost("*")
                        .setOperation((byte) 3).setPermissionType((byte) 3))));
        broker.actAs("alice");
    }
}
