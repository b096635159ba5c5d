package dev.walrus.broker.net;

import dev.walrus.broker.metrics.RequestMetrics;
import dev.walrus.broker.testing.Eventually;
import dev.walrus.broker.testing.RawConnection;
import dev.walrus.broker.testing.ScriptedHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

import static dev.walrus.broker.testing.ScriptedHandler.frameWithCorrelationId;
import static org.assertj.core.api.Assertions.assertThat;

/** Framing over real sockets: the size limit is enforced on the prefix alone, and only the offender is closed. */
class FrameDecoderTest {

    private static final int MAX_REQUEST_BYTES = 1024;

    private final ScriptedHandler handler = ScriptedHandler.echoing();
    private KafkaServer server;

    @BeforeEach
    void startServer() {
        server = KafkaServer.start(NetworkSettings.loopback(0).withMaxRequestBytes(MAX_REQUEST_BYTES), handler,
                new RequestMetrics()).startAccepting();
    }

    @AfterEach
    void stopServer() {
        server.close(Duration.ZERO);
    }

    @Test
    void shouldCloseOnlyTheConnectionThatAnnouncesAnOversizedFrame() throws Exception {
        try (RawConnection healthy = RawConnection.open(server.boundAddress());
             RawConnection offender = RawConnection.open(server.boundAddress())) {
            healthy.sendFrame(frameWithCorrelationId(1, 10));
            assertThat(RawConnection.correlationIdOf(healthy.readFrame())).isEqualTo(1);

            offender.sendRaw(ByteBuffer.allocate(4).putInt(MAX_REQUEST_BYTES + 1).array());

            assertThat(offender.closedByPeerWithin(Duration.ofSeconds(10))).isTrue();
            healthy.sendFrame(frameWithCorrelationId(2, 10));
            assertThat(RawConnection.correlationIdOf(healthy.readFrame())).isEqualTo(2);
            assertThat(handler.requests()).extracting(ScriptedHandler.Request::correlationId).containsExactly(1, 2);
        }
    }

    @Test
    void shouldRefuseAHugeSizeWithoutWaitingForItsBytes() throws Exception {
        try (RawConnection offender = RawConnection.open(server.boundAddress())) {
            offender.sendRaw(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array());

            assertThat(offender.closedByPeerWithin(Duration.ofSeconds(10))).isTrue();
            assertThat(handler.requests()).isEmpty();
        }
    }

    @Test
    void shouldCloseAConnectionThatSendsANegativeSize() throws Exception {
        try (RawConnection offender = RawConnection.open(server.boundAddress())) {
            offender.sendRaw(ByteBuffer.allocate(12).putInt(-5).putLong(42).array());

            assertThat(offender.closedByPeerWithin(Duration.ofSeconds(10))).isTrue();
            assertThat(handler.requests()).isEmpty();
        }
    }

    @Test
    void shouldAcceptAFrameOfExactlyTheLimit() throws Exception {
        try (RawConnection client = RawConnection.open(server.boundAddress())) {
            client.sendFrame(frameWithCorrelationId(7, MAX_REQUEST_BYTES - 8));

            byte[] response = client.readFrame();
            assertThat(RawConnection.correlationIdOf(response)).isEqualTo(7);
            assertThat(response).hasSize(4 + MAX_REQUEST_BYTES - 8);
        }
    }

    @Test
    void shouldAssembleALargeFrameThatArrivesOverManyReads() throws Exception {
        try (KafkaServer large = KafkaServer.start(NetworkSettings.loopback(0), handler, new RequestMetrics()).startAccepting();
             RawConnection client = RawConnection.open(large.boundAddress())) {
            byte[] payload = frameWithCorrelationId(11, 6 * 1024 * 1024);

            client.sendFrame(payload);

            byte[] response = client.readFrame();
            assertThat(RawConnection.correlationIdOf(response)).isEqualTo(11);
            assertThat(Arrays.copyOfRange(response, 4, response.length)).isEqualTo(Arrays.copyOfRange(payload, 8, payload.length));
            large.close(Duration.ZERO);
        }
    }

    @Test
    void shouldAssembleAFrameThatArrivesInPieces() throws Exception {
        byte[] payload = frameWithCorrelationId(3, 200);
        byte[] wire = ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
        try (RawConnection client = RawConnection.open(server.boundAddress())) {
            client.sendRaw(Arrays.copyOfRange(wire, 0, 2));
            client.sendRaw(Arrays.copyOfRange(wire, 2, 50));
            assertThat(client.closedByPeerWithin(Duration.ofMillis(200))).isFalse();
            assertThat(handler.requests()).isEmpty();

            client.sendRaw(Arrays.copyOfRange(wire, 50, wire.length));

            byte[] response = client.readFrame();
            assertThat(RawConnection.correlationIdOf(response)).isEqualTo(3);
            assertThat(Arrays.copyOfRange(response, 4, response.length)).isEqualTo(Arrays.copyOfRange(payload, 8, payload.length));
        }
    }

    @Test
    void shouldForgetAPeerThatHangsUpMidFrameAndKeepServingOthers() throws Exception {
        RawConnection quitter = RawConnection.open(server.boundAddress());
        quitter.sendRaw(ByteBuffer.allocate(14).putInt(100).putShort((short) 18).putShort((short) 0).putInt(9).putShort((short) 0).array());
        quitter.close();
        Eventually.await("the broker has dropped the half-sent connection", () -> server.connectionCount() == 0);

        try (RawConnection healthy = RawConnection.open(server.boundAddress())) {
            healthy.sendFrame(frameWithCorrelationId(4, 10));
            assertThat(RawConnection.correlationIdOf(healthy.readFrame())).isEqualTo(4);
        }
        assertThat(handler.requests()).extracting(ScriptedHandler.Request::correlationId).containsExactly(4);
    }
}
