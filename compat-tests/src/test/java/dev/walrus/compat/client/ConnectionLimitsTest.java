package dev.walrus.compat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.ClientQuotaChanges;
import dev.walrus.compat.Clients;
import dev.walrus.compat.OwnBrokerTest;
import dev.walrus.compat.RawKafkaConnection;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;

/**
 * Kafka's limits on connections, each shown from a loopback address of its own (127.0.0.2, .3, .4: other client IPs
 * to the broker, so the broker's own connections, and the test's admin client on 127.0.0.1, are not counted with
 * them): {@code max.connections.per.ip.overrides} (one connection more is closed at once), the IP quota
 * {@code connection_creation_rate} (KIP-612: connections over the rate are closed unanswered) and
 * {@code max.connections} (a connection over it waits, unanswered, until another closes), and the broker's
 * {@code max.connection.creation.rate} (connections over it wait, unanswered, and are then served).
 */
class ConnectionLimitsTest extends OwnBrokerTest {

    private static final String LIMITED_IP = "127.0.0.2";
    private static final String RATED_IP = "127.0.0.3";
    private static final String OTHER_IP = "127.0.0.4";

    @Test
    void shouldCloseAConnectionOverItsAddressLimitAndOverItsCreationRate() throws Exception {
        broker = ChildBroker.forCurrentTarget("connection-limits", "PLAINTEXT",
                Map.of("max.connections.per.ip.overrides", LIMITED_IP + ":2"), Map.of()).start();
        String bootstrap = broker.bootstrapServers();

        // two connections from 127.0.0.2 are served; a third is closed unanswered; another address is not limited
        List<RawKafkaConnection> open = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                RawKafkaConnection served = RawKafkaConnection.open(bootstrap, LIMITED_IP);
                open.add(served);
                assertThat(answered(served, Duration.ofSeconds(10))).as("connection %d from %s", i + 1, LIMITED_IP).isTrue();
            }
            try (RawKafkaConnection third = RawKafkaConnection.open(bootstrap, LIMITED_IP)) {
                assertThat(third.closedByBrokerWithin(Duration.ofSeconds(10))).as("third connection from " + LIMITED_IP)
                        .isTrue();
            }
            try (RawKafkaConnection other = RawKafkaConnection.open(bootstrap, OTHER_IP)) {
                assertThat(answered(other, Duration.ofSeconds(10))).as("a connection from " + OTHER_IP).isTrue();
            }
            // once one of the two closes, 127.0.0.2 may connect again
            open.remove(0).close();
            assertThat(servedWithin(bootstrap, LIMITED_IP, Duration.ofSeconds(10)))
                    .as("a connection from %s after one of its two closed", LIMITED_IP).isTrue();
        } finally {
            open.forEach(RawKafkaConnection::close);
        }

        // connection_creation_rate 1 for 127.0.0.3: a burst of connections outruns it, and those over it are closed
        try (Admin admin = Clients.admin(bootstrap)) {
            ClientQuotaEntity ip = new ClientQuotaEntity(Map.of(ClientQuotaEntity.IP, RATED_IP));
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(ip,
                    List.of(new ClientQuotaAlteration.Op("connection_creation_rate", 1.0))))).all().get(30, TimeUnit.SECONDS);
            ClientQuotaChanges.awaitListed(admin, ip);
        }
        int served = 0;
        int closed = 0;
        List<RawKafkaConnection> burst = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                burst.add(RawKafkaConnection.open(bootstrap, RATED_IP));
            }
            for (RawKafkaConnection c : burst) {
                if (answered(c, Duration.ofSeconds(10))) {
                    served++;
                } else {
                    closed++;
                }
            }
        } finally {
            burst.forEach(RawKafkaConnection::close);
        }
        assertThat(served).as("connections of the burst served").isGreaterThan(0);
        assertThat(closed).as("connections of the burst closed unanswered (%d served)", served).isGreaterThan(0);
    }

    @Test
    void shouldHoldAConnectionOverMaxConnectionsUntilAnotherCloses() throws Exception {
        int max = 8;
        broker = ChildBroker.forCurrentTarget("max-connections", "PLAINTEXT",
                Map.of("max.connections", Integer.toString(max)), Map.of()).start();
        String bootstrap = broker.bootstrapServers();
        List<RawKafkaConnection> open = new ArrayList<>();
        try {
            // connect until one is not answered (the broker's own connections may take some of the limit)
            RawKafkaConnection held = null;
            for (int i = 0; i <= max && held == null; i++) {
                RawKafkaConnection c = RawKafkaConnection.open(bootstrap, OTHER_IP);
                RequestHeader ask = ask(c);
                if (answer(c, ask, Duration.ofSeconds(3))) {
                    open.add(c);
                } else {
                    held = c;
                }
            }
            assertThat(held).as("a connection beyond max.connections=%d waits (%d were served)", max, open.size())
                    .isNotNull();
            assertThat(open).as("connections served before the limit").isNotEmpty();
            // the held connection's request is answered once another connection closes
            open.remove(0).close();
            byte[] frame = held.readFrame();
            assertThat(frame.length).isGreaterThan(0);
            held.close();
        } finally {
            open.forEach(RawKafkaConnection::close);
        }
    }

    @Test
    void shouldDelayConnectionsOverTheConnectionCreationRateAndServeThemAll() throws Exception {
        // 1 a second over quota.window.num (11) windows of 1 s: a burst's first ten or so fit the rate; each one
        // after them waits up to a window (a second) before the broker reads it, and none is closed
        broker = ChildBroker.forCurrentTarget("connection-rate", "PLAINTEXT",
                Map.of("max.connection.creation.rate", "1"), Map.of()).start();
        String bootstrap = broker.bootstrapServers();
        int burstSize = 15;
        List<RawKafkaConnection> burst = new ArrayList<>();
        List<RequestHeader> asked = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < burstSize; i++) {
                RawKafkaConnection c = RawKafkaConnection.open(bootstrap, OTHER_IP);
                burst.add(c);
                asked.add(ask(c));
            }
            for (int i = 0; i < burstSize; i++) {
                assertThat(answer(burst.get(i), asked.get(i), Duration.ofSeconds(30)))
                        .as("connection %d of the burst answered", i + 1).isTrue();
            }
        } finally {
            burst.forEach(RawKafkaConnection::close);
        }
        Duration taken = Duration.ofNanos(System.nanoTime() - start);
        assertThat(taken).as("time until every connection of the burst was answered")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    /** Whether an ApiVersions on {@code c} is answered within {@code timeout} (false: closed or still waiting). */
    private static boolean answered(RawKafkaConnection c, Duration timeout) throws IOException {
        return answer(c, ask(c), timeout);
    }

    private static RequestHeader ask(RawKafkaConnection c) throws IOException {
        RequestHeader header = c.header(ApiKeys.API_VERSIONS, (short) 3);
        try {
            c.sendFrame(RawKafkaConnection.serialize(header, new ApiVersionsRequestData()
                    .setClientSoftwareName("compat").setClientSoftwareVersion("1")));
        } catch (IOException closedAlready) {
            // the broker may have closed it before the request went out: answer() sees the end of the stream
        }
        return header;
    }

    private static boolean answer(RawKafkaConnection c, RequestHeader header, Duration timeout) throws IOException {
        try {
            byte[] frame = c.readFrameWithin(timeout);
            ApiVersionsResponse response = (ApiVersionsResponse) ApiVersionsResponse.parseResponse(ByteBuffer.wrap(frame), header);
            return response.data().errorCode() == Errors.NONE.code();
        } catch (SocketTimeoutException waiting) {
            return false;
        } catch (IOException closed) {
            return false;
        }
    }

    private static boolean servedWithin(String bootstrap, String from, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            try (RawKafkaConnection c = RawKafkaConnection.open(bootstrap, from)) {
                if (answered(c, Duration.ofSeconds(2))) {
                    return true;
                }
            }
            Thread.sleep(100); // Kafka counts a closed connection out a moment after it closes
        } while (System.nanoTime() < deadline);
        return false;
    }

}
