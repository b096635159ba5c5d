package dev.walrus.kafka.handlers;

import dev.walrus.kafka.testing.AdapterHarness;
import dev.walrus.kafka.testing.Batches;
import dev.walrus.kafka.testing.Requests;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeProducersResponse;
import org.apache.kafka.common.requests.DescribeTransactionsResponse;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka's expiry of idle producers: a partition forgets an idempotent producer whose last batch is older than
 * {@code producer.id.expiration.ms}, and the coordinator forgets a transactional id with no transaction for
 * {@code transactional.id.expiration.ms}. Both run here with intervals of milliseconds instead of Kafka's hours.
 */
class ProducerExpiryTest {

    @TempDir
    Path dir;
    private AdapterHarness broker;

    @BeforeEach
    void start() {
        broker = new AdapterHarness(dir, Map.of(
                "producer.id.expiration.ms", "300", "producer.id.expiration.check.interval.ms", "50",
                "transactional.id.expiration.ms", "300",
                "transaction.remove.expired.transaction.cleanup.interval.ms", "50"));
        broker.createTopic("events", 1);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void shouldForgetAnIdleProducerAndThenAcceptAnySequenceFromIt() throws InterruptedException {
        assertThat(produce(7L, 0, "a", "b")).isEqualTo(Errors.NONE);
        assertThat(produce(7L, 5, "gap")).as("while remembered").isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);

        awaitTrue(() -> producers().isEmpty());

        assertThat(produce(7L, 5, "after")).as("forgotten: any sequence, as in Kafka").isEqualTo(Errors.NONE);
    }

    @Test
    void shouldForgetAnIdleTransactionalIdAcrossARestart() throws InterruptedException {
        long first = init("tx-idle").data().producerId();
        assertThat(describe("tx-idle")).isEqualTo(Errors.NONE);

        awaitTrue(() -> describe("tx-idle") == Errors.TRANSACTIONAL_ID_NOT_FOUND);
        broker.restart();

        assertThat(describe("tx-idle")).isEqualTo(Errors.TRANSACTIONAL_ID_NOT_FOUND);
        InitProducerIdResponse again = init("tx-idle");
        assertThat(again.data().producerId()).isNotEqualTo(first);
        assertThat(again.data().producerEpoch()).isZero();
    }

    private Errors produce(long producerId, int baseSequence, String... values) {
        ProduceResponse r = broker.send(ApiKeys.PRODUCE, (short) 11, Requests.produce("events", 0,
                Batches.idempotent(producerId, (short) 0, baseSequence, values), (short) -1));
        return Errors.forCode(r.data().responses().iterator().next().partitionResponses().getFirst().errorCode());
    }

    private List<org.apache.kafka.common.message.DescribeProducersResponseData.ProducerState> producers() {
        DescribeProducersRequestData request = new DescribeProducersRequestData();
        request.topics().add(new DescribeProducersRequestData.TopicRequest().setName("events").setPartitionIndexes(List.of(0)));
        DescribeProducersResponse r = broker.send(ApiKeys.DESCRIBE_PRODUCERS, (short) 0, request);
        return r.data().topics().getFirst().partitions().getFirst().activeProducers();
    }

    private InitProducerIdResponse init(String transactionalId) {
        InitProducerIdResponse r = broker.send(ApiKeys.INIT_PRODUCER_ID, ApiKeys.INIT_PRODUCER_ID.latestVersion(false),
                new InitProducerIdRequestData().setTransactionalId(transactionalId).setTransactionTimeoutMs(60_000));
        assertThat(r.error()).isEqualTo(Errors.NONE);
        return r;
    }

    private Errors describe(String transactionalId) {
        DescribeTransactionsResponse r = broker.send(ApiKeys.DESCRIBE_TRANSACTIONS, (short) 0,
                new DescribeTransactionsRequestData().setTransactionalIds(List.of(transactionalId)));
        return Errors.forCode(r.data().transactionStates().getFirst().errorCode());
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("still waiting after 10 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
