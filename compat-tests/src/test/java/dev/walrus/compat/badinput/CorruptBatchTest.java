package dev.walrus.compat.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.HealthyClient;
import dev.walrus.compat.RawKafkaConnection;
import dev.walrus.compat.Records;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A produce request carrying one damaged batch (partition 0) and one sound batch (partition 1). The damaged partition
 * gets Kafka's error and stores nothing; the sound one is stored; the connection stays open; others are unaffected.
 */
@ExtendWith(BrokerExtension.class)
class CorruptBatchTest {

    /** Produce v11: topics by name, flexible encoding; every Kafka 4 broker serves it. */
    private static final short PRODUCE_VERSION = 11;
    /** Record batch v2: base offset (8), batch length (4), partition leader epoch (4), then the magic byte. */
    private static final int MAGIC_OFFSET = 16;
    private static final int LENGTH_OFFSET = 8;
    private static final int LOG_OVERHEAD = 12;
    private static final int CRC_OFFSET = 17;
    private static final int ATTRIBUTES_OFFSET = 21;
    private static final int LAST_OFFSET_DELTA_OFFSET = 23;
    private static final int RECORDS_COUNT_OFFSET = 57;
    private static final int RECORDS_OFFSET = 61;

    private TargetBroker broker;
    private HealthyClient healthy;
    private String topic;

    @BeforeEach
    void setUp(TargetBroker broker) throws Exception {
        this.broker = broker;
        healthy = new HealthyClient(broker.bootstrapServers());
        topic = TestTopics.createUnique(broker.bootstrapServers(), "corrupt-batch", 2);
        // a raw request gets no retry: wait until the broker leads both partitions (the Java client retries till then)
        TestTopics.awaitLeaders(broker.bootstrapServers(), topic, 2);
    }

    @AfterEach
    void healthyClientWasNeverHurt() throws Exception {
        healthy.assertRoundTrip();
        healthy.close();
    }

    @Test
    void shouldAnswerCorruptMessageForABatchWhoseCrcDoesNotMatch() throws Exception {
        // the CRC covers everything from the attributes on: change the last byte of the last record's value
        Map<Integer, Errors> errors = produceDamaged(buffer -> {
            int last = buffer.limit() - 1;
            buffer.put(last, (byte) (buffer.get(last) ^ 0x5A));
        });

        assertOnlyTheSoundBatchStored(errors, Errors.CORRUPT_MESSAGE);
    }

    @Test
    void shouldRejectTheWholeRequestWithCorruptMessageForABatchWithAnUnknownMagic() throws Exception {
        // Kafka cannot even iterate the batches of such a request, so no partition of it is written
        Map<Integer, Errors> errors = produceDamaged(buffer -> buffer.put(MAGIC_OFFSET, (byte) 3));

        assertThat(errors).containsEntry(0, Errors.CORRUPT_MESSAGE).containsEntry(1, Errors.CORRUPT_MESSAGE);
        assertStored(0, List.of());
    }

    @Test
    void shouldAnswerInvalidRecordForABatchWithAnOldMagic() throws Exception {
        // produce v3 and later accept only magic 2
        Map<Integer, Errors> errors = produceDamaged(buffer -> buffer.put(MAGIC_OFFSET, (byte) 1));

        assertOnlyTheSoundBatchStored(errors, Errors.INVALID_RECORD);
    }

    /*
     * Batches whose CRC is right but whose records are not what the header says: a client's encoder bug, not damage in
     * transit (the CRC is computed over the bad bytes). Kafka decodes every record on the leader and refuses them, so
     * no consumer ever meets them; a stored one would stop every consumer of the partition at its offset.
     */

    @Test
    void shouldAnswerInvalidRecordForABatchThatHoldsFewerRecordsThanItsCountSays() throws Exception {
        Map<Integer, Errors> errors = produceDamaged(buffer -> {
            buffer.putInt(RECORDS_COUNT_OFFSET, 3);
            buffer.putInt(LAST_OFFSET_DELTA_OFFSET, 2); // the offset range agrees with the count: only the records do not
            reseal(buffer);
        });

        assertOnlyTheSoundBatchStored(errors, Errors.INVALID_RECORD);
    }

    @Test
    void shouldAnswerInvalidRecordForACompressedBatchThatHoldsFewerRecordsThanItsCountSays() throws Exception {
        Map<Integer, Errors> errors = produceRebuilt(buffer -> {
            ByteBuffer gzipped = batch("damaged", Compression.gzip().build());
            gzipped.putInt(RECORDS_COUNT_OFFSET, 3);
            gzipped.putInt(LAST_OFFSET_DELTA_OFFSET, 2);
            return gzipped;
        });

        assertOnlyTheSoundBatchStored(errors, Errors.INVALID_RECORD);
    }

    @Test
    void shouldAnswerInvalidRecordForABatchWithBytesAfterItsLastRecord() throws Exception {
        Map<Integer, Errors> errors = produceRebuilt(buffer -> {
            ByteBuffer longer = ByteBuffer.allocate(buffer.remaining() + 5);
            longer.put(buffer).put(new byte[] {1, 2, 3, 4, 5}).flip();
            return longer;
        });

        assertOnlyTheSoundBatchStored(errors, Errors.INVALID_RECORD);
    }

    @Test
    void shouldAnswerInvalidRecordForABatchWhoseLastRecordIsCutShort() throws Exception {
        Map<Integer, Errors> errors = produceRebuilt(buffer -> buffer.limit(buffer.limit() - 3).slice());

        assertOnlyTheSoundBatchStored(errors, Errors.INVALID_RECORD);
    }

    @Test
    void shouldAnswerInvalidRecordForARecordWhoseLengthDisagreesWithItsFields() throws Exception {
        // the first record's length varint (zigzag) one larger, the batch one byte longer at the end to match
        Map<Integer, Errors> errors = produceRebuilt(buffer -> {
            ByteBuffer longer = ByteBuffer.allocate(buffer.remaining() + 1);
            longer.put(buffer).put((byte) 0).flip();
            longer.put(RECORDS_OFFSET, (byte) (longer.get(RECORDS_OFFSET) + 2));
            return longer;
        });

        assertOnlyTheSoundBatchStored(errors, Errors.INVALID_RECORD);
    }

    /** As {@link #produceDamaged}, with the damaged batch rebuilt by {@code rebuild} and then resealed. */
    private Map<Integer, Errors> produceRebuilt(java.util.function.UnaryOperator<ByteBuffer> rebuild) throws Exception {
        return produceDamaged(null, rebuild);
    }

    /** The batch length and the CRC made right again for the batch's current bytes, as a client's encoder would. */
    private static void reseal(ByteBuffer batch) {
        batch.putInt(LENGTH_OFFSET, batch.limit() - LOG_OVERHEAD);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(batch.duplicate().position(ATTRIBUTES_OFFSET));
        batch.putInt(CRC_OFFSET, (int) crc.getValue());
    }

    /**
     * Sends partition 0 a damaged batch and partition 1 a sound one in one request, checks the connection still
     * answers, and returns each partition's error.
     */
    private Map<Integer, Errors> produceDamaged(Consumer<ByteBuffer> damage) throws Exception {
        return produceDamaged(damage, null);
    }

    private Map<Integer, Errors> produceDamaged(Consumer<ByteBuffer> damage,
                                                java.util.function.UnaryOperator<ByteBuffer> rebuild) throws Exception {
        ByteBuffer damaged = batch("damaged");
        if (damage != null) {
            damage.accept(damaged);
        } else {
            damaged = rebuild.apply(damaged);
            reseal(damaged);
        }
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000);
        request.topicData().add(new ProduceRequestData.TopicProduceData().setName(topic).setPartitionData(List.of(
            new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(MemoryRecords.readableRecords(damaged)),
            new ProduceRequestData.PartitionProduceData().setIndex(1).setRecords(MemoryRecords.readableRecords(batch("sound"))))));

        ProduceResponseData response;
        try (RawKafkaConnection raw = RawKafkaConnection.open(broker.bootstrapServers())) {
            response = raw.<ProduceResponse>roundTrip(ApiKeys.PRODUCE, PRODUCE_VERSION, request).data();
            ApiVersionsResponse stillOpen = raw.roundTrip(ApiKeys.API_VERSIONS, (short) 3,
                new ApiVersionsRequestData().setClientSoftwareName("compat").setClientSoftwareVersion("1"));
            assertThat(stillOpen.data().errorCode()).as("connection still answers").isEqualTo(Errors.NONE.code());
        }
        assertThat(response.responses()).hasSize(1);
        Map<Integer, Errors> errors = new java.util.TreeMap<>();
        response.responses().iterator().next().partitionResponses()
            .forEach(p -> errors.put(p.index(), Errors.forCode(p.errorCode())));
        return errors;
    }

    /** Partition 0 refused with {@code error} and holds nothing; partition 1 took the sound batch. */
    private void assertOnlyTheSoundBatchStored(Map<Integer, Errors> errors, Errors error) {
        assertThat(errors).containsEntry(0, error).containsEntry(1, Errors.NONE);
        assertStored(0, List.of("sound-0", "sound-1"));
    }

    /** Partition 0 holds {@code damagedCount} records; partition 1 holds exactly {@code soundValues}. */
    private void assertStored(long damagedCount, List<String> soundValues) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), Map.of())) {
            TopicPartition tp0 = new TopicPartition(topic, 0);
            TopicPartition tp1 = new TopicPartition(topic, 1);
            assertThat(consumer.endOffsets(List.of(tp0, tp1)))
                .containsEntry(tp0, damagedCount).containsEntry(tp1, (long) soundValues.size());
            consumer.assign(List.of(tp1));
            List<ConsumerRecord<String, String>> got = Records.pollExactly(consumer, soundValues.size());
            assertThat(got).extracting(ConsumerRecord::value).containsExactlyElementsOf(soundValues);
        }
    }

    /** A sound magic-2 batch of two records, values PREFIX-0 and PREFIX-1. */
    private static ByteBuffer batch(String prefix) {
        return batch(prefix, Compression.NONE);
    }

    private static ByteBuffer batch(String prefix, Compression compression) {
        MemoryRecords records = MemoryRecords.withRecords(compression,
            new SimpleRecord(System.currentTimeMillis(), "k".getBytes(StandardCharsets.UTF_8), (prefix + "-0").getBytes(StandardCharsets.UTF_8)),
            new SimpleRecord(System.currentTimeMillis(), "k".getBytes(StandardCharsets.UTF_8), (prefix + "-1").getBytes(StandardCharsets.UTF_8)));
        ByteBuffer copy = ByteBuffer.allocate(records.sizeInBytes());
        copy.put(records.buffer().duplicate());
        return copy.flip();
    }
}
