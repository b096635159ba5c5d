package dev.walrus.compat.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.HealthyClient;
import dev.walrus.compat.RawKafkaConnection;
import dev.walrus.compat.TargetBroker;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Frames no client sends: random bytes, frames cut short, sizes beyond {@code socket.request.max.bytes} or below zero.
 * The broker closes the offending connection (Kafka's answer) and keeps serving a healthy producer and consumer that
 * stay connected throughout.
 */
@ExtendWith(BrokerExtension.class)
class MalformedFrameTest {

    private static final Duration CLOSE_WITHIN = Duration.ofSeconds(10);

    private TargetBroker broker;
    private HealthyClient healthy;

    @BeforeEach
    void connectHealthyClient(TargetBroker broker) throws Exception {
        this.broker = broker;
        healthy = new HealthyClient(broker.bootstrapServers());
        healthy.assertRoundTrip();
    }

    @AfterEach
    void healthyClientWasNeverHurt() throws Exception {
        healthy.assertRoundTrip();
        healthy.close();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void shouldCloseAConnectionThatSendsARandomFrame(int seed) throws Exception {
        Random random = new Random(seed);
        byte[] garbage = new byte[8 + random.nextInt(200)];
        random.nextBytes(garbage);
        // an API key no Kafka version defines (negative), so the frame cannot be a valid request by accident
        garbage[0] = (byte) (0x80 | garbage[0]);

        try (RawKafkaConnection raw = RawKafkaConnection.open(broker.bootstrapServers())) {
            raw.sendFrame(garbage);
            assertThat(raw.closedByBrokerWithin(CLOSE_WITHIN)).as("connection closed").isTrue();
        }
        healthy.assertRoundTrip();
    }

    @Test
    void shouldCloseAConnectionWhoseFrameIsTooShortForARequestHeader() throws Exception {
        try (RawKafkaConnection raw = RawKafkaConnection.open(broker.bootstrapServers())) {
            raw.sendFrame(new byte[] {0, 18, 0});   // ApiVersions key, then the frame ends inside the version field
            assertThat(raw.closedByBrokerWithin(CLOSE_WITHIN)).as("connection closed").isTrue();
        }
        healthy.assertRoundTrip();
    }

    @Test
    void shouldKeepServingOthersWhileAFrameStaysIncompleteAndAfterItsConnectionDrops() throws Exception {
        try (RawKafkaConnection raw = RawKafkaConnection.open(broker.bootstrapServers())) {
            raw.sendRaw(ByteBuffer.allocate(14).putInt(1000).put(new byte[10]).array());   // 10 of 1,000 bytes
            healthy.assertRoundTrip();
            assertThat(raw.closedByBrokerWithin(Duration.ofMillis(500)))
                .as("the broker waits for the rest of the frame").isFalse();
        }
        healthy.assertRoundTrip();
    }

    @Test
    void shouldCloseAConnectionAnnouncingAFrameOverSocketRequestMaxBytes() throws Exception {
        try (RawKafkaConnection raw = RawKafkaConnection.open(broker.bootstrapServers())) {
            raw.sendRaw(ByteBuffer.allocate(4).putInt(200 * 1024 * 1024).array());   // default limit: 100 MiB
            assertThat(raw.closedByBrokerWithin(CLOSE_WITHIN)).as("connection closed").isTrue();
        }
        healthy.assertRoundTrip();
    }

    @Test
    void shouldCloseAConnectionAnnouncingANegativeFrameSize() throws Exception {
        try (RawKafkaConnection raw = RawKafkaConnection.open(broker.bootstrapServers())) {
            raw.sendRaw(ByteBuffer.allocate(4).putInt(-1).array());
            assertThat(raw.closedByBrokerWithin(CLOSE_WITHIN)).as("connection closed").isTrue();
        }
        healthy.assertRoundTrip();
    }
}
