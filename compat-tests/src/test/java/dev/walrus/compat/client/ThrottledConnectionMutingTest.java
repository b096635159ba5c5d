package dev.walrus.compat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.ClientQuotaChanges;
import dev.walrus.compat.Clients;
import dev.walrus.compat.RawKafkaConnection;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * KIP-219: after an answer over a client quota, the broker mutes that connection for the answer's throttle time, so
 * a client that ignores the throttle time (or an acks=0 producer, which never sees one) is held to its quota all the
 * same. Shown with raw connections: a produce over {@code producer_byte_rate}, then an ApiVersions on the same
 * connection, which is answered only once the throttle time has passed, while another client's connection is
 * answered at once.
 */
@ExtendWith(BrokerExtension.class)
class ThrottledConnectionMutingTest {

    /** Bytes a second: a produce of {@link #RECORDS} records of {@link #RECORD_BYTES} is throttled for seconds. */
    private static final double BYTE_RATE = 1_000;
    private static final int RECORDS = 12;
    private static final int RECORD_BYTES = 1_000;
    /** Produce v9: flexible, topics by name, and its client waits out a throttle itself (from v6). */
    private static final short PRODUCE_VERSION = 9;
    /** Kafka mutes from the moment it throttles, a little before the answer leaves. */
    private static final long SLACK_MS = 250;

    @Test
    void shouldReadNothingMoreFromAThrottledConnectionUntilItsThrottleTimeHasPassed(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "muting", 1);
        String clientId = TestTopics.unique("muted-client");
        ClientQuotaEntity entity = new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, clientId));
        ClientQuotaChanges.set(bootstrap, entity, "producer_byte_rate", BYTE_RATE);
        try (RawKafkaConnection throttled = RawKafkaConnection.open(bootstrap);
             RawKafkaConnection other = RawKafkaConnection.open(bootstrap)) {
            RequestHeader produce = throttled.header(ApiKeys.PRODUCE, PRODUCE_VERSION, clientId);
            throttled.sendFrame(RawKafkaConnection.serialize(produce, produceRequest(topic, (short) 1)));
            ProduceResponse answer = (ProduceResponse) ProduceResponse.parseResponse(
                    ByteBuffer.wrap(throttled.readFrame()), produce);
            long answeredAt = System.nanoTime();
            assertThat(answer.data().responses().iterator().next().partitionResponses().get(0).errorCode())
                    .isEqualTo(Errors.NONE.code());
            int throttleMs = answer.throttleTimeMs();
            assertThat(throttleMs).as("throttle time of a produce over the byte rate").isGreaterThan(500);

            RequestHeader mutedAsk = throttled.header(ApiKeys.API_VERSIONS, (short) 3, clientId);
            throttled.sendFrame(RawKafkaConnection.serialize(mutedAsk, apiVersions()));
            RequestHeader freeAsk = other.header(ApiKeys.API_VERSIONS, (short) 3, "not-" + clientId);
            other.sendFrame(RawKafkaConnection.serialize(freeAsk, apiVersions()));

            // the other client's connection is not muted: its answer comes first
            assertAnswered(other.readFrame(), freeAsk);
            long otherMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answeredAt);
            assertAnswered(throttled.readFrame(), mutedAsk);
            long mutedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answeredAt);
            assertThat(otherMs).as("the other connection's answer, ms after the throttled one").isLessThan(throttleMs);
            assertThat(mutedMs).as("the throttled connection's next answer, ms after the throttled one (throttle %d ms)",
                    throttleMs).isGreaterThanOrEqualTo(throttleMs - SLACK_MS);
        } finally {
            ClientQuotaChanges.set(bootstrap, entity, "producer_byte_rate", null);
        }
    }

    @Test
    void shouldMuteAnAcksZeroProducerOverItsByteRateThoughItIsNeverAnswered(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "muting-acks0", 1);
        String clientId = TestTopics.unique("muted-acks0");
        ClientQuotaEntity entity = new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, clientId));
        ClientQuotaChanges.set(bootstrap, entity, "producer_byte_rate", BYTE_RATE);
        try (RawKafkaConnection producer = RawKafkaConnection.open(bootstrap)) {
            // the same bytes as the acks=1 case, whose answer says they cost seconds of throttle
            long sentAt = System.nanoTime();
            producer.sendFrame(RawKafkaConnection.serialize(producer.header(ApiKeys.PRODUCE, PRODUCE_VERSION, clientId),
                    produceRequest(topic, (short) 0)));
            RequestHeader ask = producer.header(ApiKeys.API_VERSIONS, (short) 3, clientId);
            producer.sendFrame(RawKafkaConnection.serialize(ask, apiVersions()));
            assertAnswered(producer.readFrame(), ask);
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt);
            assertThat(waitedMs).as("ms until the request after an acks=0 produce over the byte rate is answered")
                    .isGreaterThanOrEqualTo(500);
        } finally {
            ClientQuotaChanges.set(bootstrap, entity, "producer_byte_rate", null);
        }
        // the acks=0 records were stored all the same
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap)) {
            assertThat(consumer.endOffsets(List.of(partition))).containsEntry(partition, (long) RECORDS);
        }
    }

    private static ProduceRequestData produceRequest(String topic, short acks) {
        SimpleRecord[] records = new SimpleRecord[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            records[i] = new SimpleRecord(new byte[RECORD_BYTES]);
        }
        ProduceRequestData request = new ProduceRequestData().setAcks(acks).setTimeoutMs(30_000);
        request.topicData().add(new ProduceRequestData.TopicProduceData().setName(topic).setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(0)
                        .setRecords(MemoryRecords.withRecords(Compression.NONE, records)))));
        return request;
    }

    private static ApiVersionsRequestData apiVersions() {
        return new ApiVersionsRequestData().setClientSoftwareName("compat").setClientSoftwareVersion("1");
    }

    private static void assertAnswered(byte[] frame, RequestHeader request) {
        ApiVersionsResponse response = (ApiVersionsResponse) ApiVersionsResponse.parseResponse(ByteBuffer.wrap(frame), request);
        assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
    }
}
