package dev.walrus.kafka.txn;

import dev.walrus.kafka.testing.AdapterHarness;
import dev.walrus.kafka.testing.Requests;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.DescribeProducersResponse;
import org.apache.kafka.common.requests.DescribeTransactionsResponse;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transaction version 2 at the end of a producer id's epochs (KIP-890 part 2, Kafka's
 * {@code prepareAbortOrCommit}/{@code prepareComplete}): the EndTxn that bumps the epoch to {@code Short.MAX_VALUE}
 * writes its markers with it and moves the transactional id to a new producer id at epoch 0, which it answers; a
 * retry of that EndTxn (old producer id, the epoch before) is answered the same. The id is brought near the end by a
 * snapshot appended to its log before a restart: 32,766 real ends would take minutes.
 */
class EpochExhaustionTest {

    private static final String TOPIC = "exhausted";
    private static final String ID = "tv2-exhausted";

    @TempDir
    Path dir;
    private AdapterHarness broker;

    @BeforeEach
    void start() {
        broker = new AdapterHarness(dir, Map.of());
        broker.createTopic(TOPIC, 1);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void shouldMoveToANewProducerIdWhenAnEndExhaustsTheEpoch() {
        InitProducerIdResponse init = broker.send(ApiKeys.INIT_PRODUCER_ID, (short) 5, new InitProducerIdRequestData()
                .setTransactionalId(ID).setTransactionTimeoutMs(60_000).setProducerId(-1).setProducerEpoch((short) -1));
        long producerId = init.data().producerId();
        short lastEpoch = (short) (Short.MAX_VALUE - 1);
        Transaction nearTheEnd = new Transaction(ID, producerId, lastEpoch, 60_000, System.currentTimeMillis());
        nearTheEnd.tv2 = true;
        broker.engine().append(TransactionLog.TOPIC, TransactionRecords.snapshot(nearTheEnd));
        broker.engine().syncAsync().join();
        broker.restart();

        assertThat(produce(producerId, lastEpoch, "last")).isEqualTo(Errors.NONE);
        EndTxnResponseData committed = endTxn(producerId, lastEpoch);
        assertThat(Errors.forCode(committed.errorCode())).isEqualTo(Errors.NONE);
        long nextProducerId = committed.producerId();
        assertThat(nextProducerId).isNotEqualTo(producerId).isNotNegative();
        assertThat(committed.producerEpoch()).isZero();
        assertThat(producerEpochIn(producerId)).as("the marker carries the exhausted epoch").isEqualTo(Short.MAX_VALUE);

        EndTxnResponseData retried = endTxn(producerId, lastEpoch);
        assertThat(Errors.forCode(retried.errorCode())).as("a retry of the end that moved the id").isEqualTo(Errors.NONE);
        assertThat(retried.producerId()).isEqualTo(nextProducerId);
        assertThat(retried.producerEpoch()).isZero();

        assertThat(produce(nextProducerId, (short) 0, "first")).isEqualTo(Errors.NONE);
        assertThat(endTxn(nextProducerId, (short) 0).producerEpoch()).isEqualTo((short) 1);
        broker.restart();
        DescribeTransactionsResponseData.TransactionState described = describe();
        assertThat(described.producerId()).isEqualTo(nextProducerId);
        assertThat(described.producerEpoch()).isEqualTo((short) 1);
        assertThat(described.transactionState()).isEqualTo("CompleteCommit");
    }

    private Errors produce(long producerId, short epoch, String value) {
        ProduceRequestData request = Requests.produce(TOPIC, 0, MemoryRecords.withTransactionalRecords(Compression.NONE,
                producerId, epoch, 0, new SimpleRecord(value.getBytes(StandardCharsets.UTF_8))), (short) -1)
                .setTransactionalId(ID);
        ProduceResponse r = broker.send(ApiKeys.PRODUCE, (short) 12, request);
        return Errors.forCode(r.data().responses().iterator().next().partitionResponses().getFirst().errorCode());
    }

    private EndTxnResponseData endTxn(long producerId, short epoch) {
        EndTxnResponse r = broker.send(ApiKeys.END_TXN, (short) 5, new EndTxnRequestData().setTransactionalId(ID)
                .setProducerId(producerId).setProducerEpoch(epoch).setCommitted(true));
        return r.data();
    }

    private int producerEpochIn(long producerId) {
        DescribeProducersRequestData request = new DescribeProducersRequestData();
        request.topics().add(new DescribeProducersRequestData.TopicRequest().setName(TOPIC).setPartitionIndexes(List.of(0)));
        DescribeProducersResponse r = broker.send(ApiKeys.DESCRIBE_PRODUCERS, (short) 0, request);
        return r.data().topics().getFirst().partitions().getFirst().activeProducers().stream()
                .filter(s -> s.producerId() == producerId).findFirst().orElseThrow().producerEpoch();
    }

    private DescribeTransactionsResponseData.TransactionState describe() {
        DescribeTransactionsResponse r = broker.send(ApiKeys.DESCRIBE_TRANSACTIONS, (short) 0,
                new DescribeTransactionsRequestData().setTransactionalIds(List.of(ID)));
        return r.data().transactionStates().getFirst();
    }
}
