package dev.walrus.compat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.ClientQuotaChanges;
import dev.walrus.compat.RawKafkaConnection;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a byte-rate quota counts, read off the throttle time of a client's first request. With a rate of 1 byte a
 * second over Kafka's default windows (11 of 1 s, the rate taken over at least 10 s), a first request of N bytes
 * measures N / 10 bytes a second and is throttled for exactly (N / 10 - 1) / 1 x 10 s = 1000 x N - 10000 ms. Kafka
 * counts a produce request whole (header and body, as received) against {@code producer_byte_rate}, and a fetch
 * response's body and 4 bytes more against {@code consumer_byte_rate}, not only their records.
 */
@ExtendWith(BrokerExtension.class)
class ByteRateAccountingTest {

    /** Produce v9 and Fetch v12: flexible, topics by name, clients that wait out a throttle themselves (KIP-219). */
    private static final short PRODUCE_VERSION = 9;
    private static final short FETCH_VERSION = 12;

    @Test
    void shouldCountAWholeProduceRequestAgainstTheProducerByteRate(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "produce-bytes", 1);
        String clientId = TestTopics.unique("counted-producer");
        ClientQuotaEntity entity = new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, clientId));
        ClientQuotaChanges.set(bootstrap, entity, "producer_byte_rate", 1.0);
        try (RawKafkaConnection connection = RawKafkaConnection.open(bootstrap)) {
            RequestHeader header = connection.header(ApiKeys.PRODUCE, PRODUCE_VERSION, clientId);
            byte[] request = RawKafkaConnection.serialize(header, produceRequest(topic));
            connection.sendFrame(request);
            ProduceResponse answer = (ProduceResponse) ProduceResponse.parseResponse(
                    ByteBuffer.wrap(connection.readFrame()), header);
            assertThat(answer.data().responses().iterator().next().partitionResponses().get(0).errorCode())
                    .isEqualTo(Errors.NONE.code());
            assertThat(answer.throttleTimeMs()).as("throttle time of a first produce request of %d bytes at 1 B/s",
                    request.length).isEqualTo(throttleMsOfFirst(request.length));
        } finally {
            ClientQuotaChanges.set(bootstrap, entity, "producer_byte_rate", null);
        }
    }

    @Test
    void shouldCountAFetchResponseAgainstTheConsumerByteRateEvenWithoutRecords(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "fetch-bytes", 1);
        String clientId = TestTopics.unique("counted-consumer");
        ClientQuotaEntity entity = new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, clientId));
        ClientQuotaChanges.set(bootstrap, entity, "consumer_byte_rate", 1.0);
        try (RawKafkaConnection counted = RawKafkaConnection.open(bootstrap);
             RawKafkaConnection free = RawKafkaConnection.open(bootstrap)) {
            RequestHeader first = counted.header(ApiKeys.FETCH, FETCH_VERSION, clientId);
            counted.sendFrame(RawKafkaConnection.serialize(first, fetchRequest(topic)));
            FetchResponse throttled = (FetchResponse) FetchResponse.parseResponse(
                    ByteBuffer.wrap(counted.readFrame()), first);

            // the size of that answer unthrottled: the same fetch of a client no quota applies to
            RequestHeader same = free.header(ApiKeys.FETCH, FETCH_VERSION, "not-" + clientId);
            free.sendFrame(RawKafkaConnection.serialize(same, fetchRequest(topic)));
            byte[] answer = free.readFrame();
            FetchResponse unthrottled = (FetchResponse) FetchResponse.parseResponse(ByteBuffer.wrap(answer), same);
            assertThat(unthrottled.throttleTimeMs()).isZero();
            assertThat(unthrottled.data().responses()).hasSize(1);
            assertThat(unthrottled.data().responses().getFirst().partitions().getFirst().errorCode())
                    .isEqualTo(Errors.NONE.code());
            // what Kafka counts (FetchResponse.sizeOf): 4 bytes and the body, not the response header (a flexible
            // version's: the correlation id and an empty tagged-field section, 5 bytes)
            int responseBytes = 4 + answer.length - 5;

            assertThat(throttled.throttleTimeMs()).as("throttle time of a first fetch answer counted as %d bytes at 1 B/s",
                    responseBytes).isEqualTo(throttleMsOfFirst(responseBytes));
        } finally {
            ClientQuotaChanges.set(bootstrap, entity, "consumer_byte_rate", null);
        }
    }

    /** The throttle time of an entity's first request of {@code bytes} at 1 byte a second, Kafka's default windows. */
    private static int throttleMsOfFirst(int bytes) {
        return 1000 * bytes - 10_000;
    }

    private static ProduceRequestData produceRequest(String topic) {
        ProduceRequestData request = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(30_000);
        request.topicData().add(new ProduceRequestData.TopicProduceData().setName(topic).setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(
                        MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("v".getBytes()))))));
        return request;
    }

    /** A sessionless fetch of the partition from offset 0 that does not wait. */
    private static FetchRequestData fetchRequest(String topic) {
        return new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20)
                .setIsolationLevel((byte) 0).setSessionId(0).setSessionEpoch(-1)
                .setTopics(List.of(new FetchRequestData.FetchTopic().setTopic(topic).setPartitions(List.of(
                        new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0)
                                .setPartitionMaxBytes(1 << 20)))));
    }
}
