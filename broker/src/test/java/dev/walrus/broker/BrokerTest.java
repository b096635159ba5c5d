package dev.walrus.broker;

import dev.walrus.broker.config.BrokerConfig;
import dev.walrus.broker.testing.RawConnection;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The broker's start and stop: what it advertises, and what a failed start leaves behind (nothing). */
class BrokerTest {

    @TempDir
    Path dataDir;

    @Test
    void shouldAdvertiseTheGivenAdvertisedListener() throws Exception {
        try (Broker broker = Broker.start(config("advertised.listeners", "PLAINTEXT://broker.example:29092"))) {
            assertThat(onlyNode(broker)).satisfies(node -> {
                assertThat(node.host()).isEqualTo("broker.example");
                assertThat(node.port()).isEqualTo(29092);
            });
        }
    }

    @Test
    void shouldAdvertiseTheLoopbackAddressAndBoundPortForALocalhostListener() throws Exception {
        try (Broker broker = Broker.start(config("listeners", "PLAINTEXT://localhost:0"))) {
            assertThat(onlyNode(broker)).satisfies(node -> {
                assertThat(node.host()).isEqualTo("127.0.0.1");
                assertThat(node.port()).isEqualTo(broker.boundAddress().getPort());
            });
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.boundAddress().getPort());
        }
    }

    @Test
    void shouldReleaseItsPortWhenTheDataDirectoryIsAlreadyInUse() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (Broker first = Broker.start(config("listeners", "PLAINTEXT://127.0.0.1:0"))) {
            assertThatThrownBy(() -> Broker.start(config("listeners", "PLAINTEXT://127.0.0.1:" + port)))
                    .isInstanceOf(BrokerStartException.class)
                    .hasMessageStartingWith("Cannot open the data directory " + dataDir);

            try (ServerSocket again = new ServerSocket()) {
                again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                assertThat(again.isBound()).isTrue();
            }
        }
    }

    private BrokerConfig config(String key, String value) {
        Map<String, String> given = new HashMap<>();
        given.put("listeners", "PLAINTEXT://127.0.0.1:0");
        given.put("log.dirs", dataDir.toString());
        given.put(key, value);
        return BrokerConfig.from(given);
    }

    private static Node onlyNode(Broker broker) throws Exception {
        try (RawConnection client = RawConnection.open(broker.bootstrapServers())) {
            RequestHeader header = client.send(MetadataRequest.Builder.allTopics().build((short) 12), 1);
            MetadataResponse response = (MetadataResponse) client.readResponse(header);
            assertThat(response.brokers()).hasSize(1);
            return response.brokers().iterator().next();
        }
    }
}
