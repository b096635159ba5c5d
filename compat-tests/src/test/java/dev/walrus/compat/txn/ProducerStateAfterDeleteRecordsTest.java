package dev.walrus.compat.txn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.RawKafkaConnection;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An idempotent producer's state outlives its batches: after DeleteRecords removes every batch it wrote, Kafka still
 * knows the producer's sequence, so a retried batch is answered as the duplicate it is (not written twice) and a batch
 * that skips sequence numbers is refused with OUT_OF_ORDER_SEQUENCE_NUMBER. Kafka Streams deletes the records of its
 * repartition topics this way while their exactly-once producers go on writing to them.
 */
@ExtendWith(BrokerExtension.class)
class ProducerStateAfterDeleteRecordsTest {

    /** Produce v9: flexible, topics by name. */
    private static final short PRODUCE_VERSION = 9;

    @Test
    void shouldKnowAProducersSequenceAfterDeleteRecordsRemovedItsBatches(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "producer-state-delete", 1);
        TopicPartition partition = new TopicPartition(topic, 0);
        try (RawKafkaConnection connection = RawKafkaConnection.open(bootstrap); Admin admin = Clients.admin(bootstrap)) {
            // Kafka answers COORDINATOR_LOAD_IN_PROGRESS until its controller has handed it a block of producer ids
            InitProducerIdResponseData init = Await.until("a producer id", () -> connection.<InitProducerIdResponse>roundTrip(
                    ApiKeys.INIT_PRODUCER_ID, (short) 4, new InitProducerIdRequestData().setTransactionalId(null)
                            .setTransactionTimeoutMs(60_000).setProducerId(-1).setProducerEpoch((short) -1)).data(),
                    data -> data.errorCode() == Errors.NONE.code());
            long producerId = init.producerId();
            short epoch = init.producerEpoch();

            for (int sequence = 0; sequence < 3; sequence++) {
                ProduceResponseData.PartitionProduceResponse written = produce(connection, topic, producerId, epoch, sequence);
                assertThat(written.errorCode()).as("batch %d", sequence).isEqualTo(Errors.NONE.code());
                assertThat(written.baseOffset()).as("batch %d", sequence).isEqualTo(sequence);
            }
            admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(3))).all().get(30, TimeUnit.SECONDS);
            assertThat(admin.listOffsets(Map.of(partition, OffsetSpec.earliest())).partitionResult(partition)
                    .get(30, TimeUnit.SECONDS).offset()).as("log start offset after DeleteRecords").isEqualTo(3);

            // the last batch again (a producer's retry): a duplicate, answered with its offset, not written twice
            ProduceResponseData.PartitionProduceResponse retried = produce(connection, topic, producerId, epoch, 2);
            assertThat(retried.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(retried.baseOffset()).as("base offset of the retried batch").isEqualTo(2);
            assertThat(endOffset(admin, partition)).as("log end offset after the retry").isEqualTo(3);

            // a batch that skips sequence 3
            ProduceResponseData.PartitionProduceResponse skipping = produce(connection, topic, producerId, epoch, 4);
            assertThat(Errors.forCode(skipping.errorCode())).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);

            // the next in sequence is written
            ProduceResponseData.PartitionProduceResponse next = produce(connection, topic, producerId, epoch, 3);
            assertThat(next.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(next.baseOffset()).isEqualTo(3);
            assertThat(endOffset(admin, partition)).isEqualTo(4);
        }
    }

    private static ProduceResponseData.PartitionProduceResponse produce(RawKafkaConnection connection, String topic,
            long producerId, short epoch, int sequence) throws Exception {
        MemoryRecords records = MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, epoch, sequence,
                new SimpleRecord(("record " + sequence).getBytes(StandardCharsets.UTF_8)));
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000);
        request.topicData().add(new ProduceRequestData.TopicProduceData().setName(topic).setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records))));
        ProduceResponse response = connection.roundTrip(ApiKeys.PRODUCE, PRODUCE_VERSION, request);
        return response.data().responses().iterator().next().partitionResponses().getFirst();
    }

    private static long endOffset(Admin admin, TopicPartition partition) throws Exception {
        return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
                .get(30, TimeUnit.SECONDS).offset();
    }
}
