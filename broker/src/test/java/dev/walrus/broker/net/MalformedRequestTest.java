package dev.walrus.broker.net;

import dev.walrus.broker.embedded.EmbeddedBroker;
import dev.walrus.broker.testing.RawConnection;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input through the whole broker (network layer, adapter, engine): the offending connection is closed and a
 * healthy client on another connection, mid-conversation, keeps being served.
 */
class MalformedRequestTest {

    @TempDir
    Path dataDir;

    private EmbeddedBroker broker;
    private RawConnection healthy;
    private int healthyCorrelationId;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedBroker.builder().dataDir(dataDir).property("socket.request.max.bytes", "65536").build().start();
        healthy = RawConnection.open(broker.bootstrapServers());
        assertHealthyClientIsServed();
    }

    @AfterEach
    void stop() throws Exception {
        assertHealthyClientIsServed();
        healthy.close();
        broker.close();
    }

    @Test
    void shouldCloseTheConnectionOfAnUnknownApiKey() throws Exception {
        try (RawConnection offender = RawConnection.open(broker.bootstrapServers())) {
            offender.sendFrame(header((short) 9999, (short) 0, 1, "bad-client").array());

            assertThat(offender.closedByPeerWithin(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void shouldCloseTheConnectionOfARequestWhoseBodyIsCutShort() throws Exception {
        // A Metadata v12 header with no body: the header parses, the request does not.
        try (RawConnection offender = RawConnection.open(broker.bootstrapServers())) {
            ByteBuffer frame = header((short) 3, (short) 12, 1, "short-client");
            offender.sendFrame(ByteBuffer.allocate(frame.capacity() + 1).put(frame.array()).put((byte) 0).array());

            assertThat(offender.closedByPeerWithin(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void shouldCloseTheConnectionOfRandomBytes() throws Exception {
        byte[] garbage = new byte[200];
        new Random(20261125).nextBytes(garbage);
        garbage[0] = (byte) 0x7f; // an API key no Kafka version defines
        try (RawConnection offender = RawConnection.open(broker.bootstrapServers())) {
            offender.sendFrame(garbage);

            assertThat(offender.closedByPeerWithin(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void shouldCloseTheConnectionOfAnOversizedFrame() throws Exception {
        try (RawConnection offender = RawConnection.open(broker.bootstrapServers())) {
            offender.sendRaw(ByteBuffer.allocate(4).putInt(65537).array());

            assertThat(offender.closedByPeerWithin(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void shouldKeepServingAfterAPeerHangsUpMidFrame() throws Exception {
        RawConnection quitter = RawConnection.open(broker.bootstrapServers());
        quitter.sendRaw(ByteBuffer.allocate(10).putInt(500).putShort((short) 18).putShort((short) 3).putShort((short) 0).array());
        quitter.close();
    }

    private void assertHealthyClientIsServed() throws Exception {
        RequestHeader header = healthy.send(new ApiVersionsRequest.Builder().build((short) 3), ++healthyCorrelationId);
        ApiVersionsResponse response = (ApiVersionsResponse) healthy.readResponse(header);
        assertThat(Errors.forCode(response.data().errorCode())).isEqualTo(Errors.NONE);
    }

    /** A request header v1 (key, version, correlation id, client id) as the raw bytes of a frame. */
    private static ByteBuffer header(short apiKey, short version, int correlationId, String clientId) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(10 + id.length)
                .putShort(apiKey).putShort(version).putInt(correlationId).putShort((short) id.length).put(id);
        return buffer.flip();
    }
}
