package dev.walrus.kafka.handlers;

import dev.walrus.kafka.testing.AdapterHarness;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class InitProducerIdHandlerTest {

    private static final short LATEST = ApiKeys.INIT_PRODUCER_ID.latestVersion(false);

    @TempDir
    Path dir;
    private AdapterHarness broker;

    @BeforeEach
    void start() {
        broker = new AdapterHarness(dir);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void shouldGiveEachIdempotentProducerItsOwnIdAtEpochZero() {
        InitProducerIdResponse first = init();
        InitProducerIdResponse second = init();
        assertThat(first.error()).isEqualTo(Errors.NONE);
        assertThat(first.data().producerEpoch()).isZero();
        assertThat(second.data().producerId()).isNotEqualTo(first.data().producerId());
    }

    @Test
    void shouldNeverReuseAnIdAfterARestart() {
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            ids.add(init().data().producerId());
        }
        broker.restart();
        for (int i = 0; i < 3; i++) {
            assertThat(ids.add(init().data().producerId())).isTrue();
        }
    }

    @Test
    void shouldKeepATransactionalIdsProducerIdAndBumpItsEpoch() {
        InitProducerIdResponse first = broker.send(ApiKeys.INIT_PRODUCER_ID, LATEST,
                new InitProducerIdRequestData().setTransactionalId("tx").setTransactionTimeoutMs(60_000));
        InitProducerIdResponse second = broker.send(ApiKeys.INIT_PRODUCER_ID, LATEST,
                new InitProducerIdRequestData().setTransactionalId("tx").setTransactionTimeoutMs(60_000));
        assertThat(first.error()).isEqualTo(Errors.NONE);
        assertThat(second.data().producerId()).isEqualTo(first.data().producerId());
        assertThat(second.data().producerEpoch()).isEqualTo((short) (first.data().producerEpoch() + 1));
        assertThat(init().data().producerId()).as("an idempotent producer's id").isNotEqualTo(first.data().producerId());
    }

    private InitProducerIdResponse init() {
        return broker.send(ApiKeys.INIT_PRODUCER_ID, LATEST,
                new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000));
    }
}
