package dev.walrus.broker.embedded;

import dev.walrus.broker.BrokerStartException;
import dev.walrus.broker.testing.Clients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded broker with real Kafka clients: same network layer, adapter and engine as the process. */
class EmbeddedBrokerTest {

    @TempDir
    Path dataDir;

    @Test
    void shouldServeOnAFreeLoopbackPortByDefault() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.builder().dataDir(dataDir).build().start()) {
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.port());
            assertThat(broker.port()).isPositive();

            try (Admin admin = Admin.create(Clients.adminConfig(broker.bootstrapServers()))) {
                Node node = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).iterator().next();
                assertThat(node.host()).isEqualTo("127.0.0.1");
                assertThat(node.port()).isEqualTo(broker.port());
            }
        }
    }

    @Test
    void shouldRoundTripRecordsWithADefaultProducerAndConsumer() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.builder().dataDir(dataDir).build().start()) {
            Clients.createTopic(broker.bootstrapServers(), "greetings", 1);
            List<String> sent = Clients.values("hello", 25);

            Clients.produce(broker.bootstrapServers(), "greetings", "all", sent);

            assertThat(Clients.consume(broker.bootstrapServers(), "greetings", sent.size())).containsExactlyElementsOf(sent);
            assertThat(broker.metrics().count(ApiKeys.PRODUCE)).isPositive();
        }
    }

    @Test
    void shouldKeepAcknowledgedRecordsAcrossACloseAndRestart() throws Exception {
        List<String> sent = Clients.values("kept", 10);
        try (EmbeddedBroker broker = EmbeddedBroker.builder().dataDir(dataDir).build().start()) {
            Clients.createTopic(broker.bootstrapServers(), "durable", 1);
            Clients.produce(broker.bootstrapServers(), "durable", "1", sent);
        }

        try (EmbeddedBroker restarted = EmbeddedBroker.builder().dataDir(dataDir).build().start()) {
            assertThat(Clients.consume(restarted.bootstrapServers(), "durable", sent.size())).containsExactlyElementsOf(sent);
        }
    }

    @Test
    void shouldRefuseToStartOnAPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            EmbeddedBroker broker = EmbeddedBroker.builder().dataDir(dataDir).port(taken.getLocalPort()).build();

            assertThatThrownBy(broker::start)
                    .isInstanceOf(BrokerStartException.class)
                    .hasMessage("Cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": the port is already in use");
        }
    }
}
