package dev.walrus.broker.net;

import dev.walrus.broker.metrics.RequestMetrics;
import dev.walrus.broker.testing.Eventually;
import dev.walrus.broker.testing.RawConnection;
import dev.walrus.broker.testing.ScriptedHandler;
import dev.walrus.kafka.ResponseFrame;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;

import static dev.walrus.broker.testing.ScriptedHandler.frameWithCorrelationId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ordering, backpressure and failure isolation of one connection's requests, over real sockets. The adapter's part is
 * played by a {@link ScriptedHandler} so that answers can complete out of order, late, or not at all.
 */
class RequestDispatcherTest {

    private KafkaServer server;
    private final RequestMetrics metrics = new RequestMetrics();

    private KafkaServer start(ScriptedHandler handler, NetworkSettings settings) {
        server = KafkaServer.start(settings, handler, metrics).startAccepting();
        return server;
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close(Duration.ZERO);
        }
    }

    @Test
    void shouldAnswerInRequestOrderWhenResponsesCompleteInReverse() throws Exception {
        ScriptedHandler handler = ScriptedHandler.holding();
        start(handler, NetworkSettings.loopback(0));
        try (RawConnection client = RawConnection.open(server.boundAddress())) {
            for (int id = 1; id <= 5; id++) {
                client.sendFrame(frameWithCorrelationId(id, 16));
            }
            Eventually.await("all five requests are handed over", () -> handler.requests().size() == 5);

            List<ScriptedHandler.Request> requests = new ArrayList<>(handler.requests());
            for (int i = requests.size() - 1; i >= 0; i--) {
                ScriptedHandler.Request request = requests.get(i);
                ForkJoinPool.commonPool().execute(() -> request.response().complete(handler.echo(request)));
                Thread.sleep(20);
            }

            for (int id = 1; id <= 5; id++) {
                assertThat(RawConnection.correlationIdOf(client.readFrame())).isEqualTo(id);
            }
        }
    }

    @Test
    void shouldMoveOnPastARequestThatHasNoResponse() throws Exception {
        ScriptedHandler echo = ScriptedHandler.echoing();
        ScriptedHandler echoingExceptTwo = ScriptedHandler.answering(request -> request.correlationId() == 2
                ? new ResponseFrame.NoResponse()
                : echo.echo(request));
        start(echoingExceptTwo, NetworkSettings.loopback(0));
        try (RawConnection client = RawConnection.open(server.boundAddress())) {
            for (int id = 1; id <= 3; id++) {
                client.sendFrame(frameWithCorrelationId(id, 4));
            }

            assertThat(RawConnection.correlationIdOf(client.readFrame())).isEqualTo(1);
            assertThat(RawConnection.correlationIdOf(client.readFrame())).isEqualTo(3);
        }
    }

    @Test
    void shouldCloseTheConnectionWhenTheHandlerSaysCloseAfterSendingTheAnswersBeforeIt() throws Exception {
        ScriptedHandler echo = ScriptedHandler.echoing();
        ScriptedHandler handler = ScriptedHandler.answering(request -> request.correlationId() == 2
                ? new ResponseFrame.Close("test asked to close")
                : echo.echo(request));
        start(handler, NetworkSettings.loopback(0));
        try (RawConnection closing = RawConnection.open(server.boundAddress());
             RawConnection other = RawConnection.open(server.boundAddress())) {
            for (int id = 1; id <= 3; id++) {
                closing.sendFrame(frameWithCorrelationId(id, 4));
            }

            assertThat(RawConnection.correlationIdOf(closing.readFrame())).isEqualTo(1);
            assertThat(closing.closedByPeerWithin(Duration.ofSeconds(10))).isTrue();
            other.sendFrame(frameWithCorrelationId(10, 4));
            assertThat(RawConnection.correlationIdOf(other.readFrame())).isEqualTo(10);
        }
    }

    @Test
    void shouldCloseOnlyTheConnectionWhoseRequestFailed() throws Exception {
        ScriptedHandler echo = ScriptedHandler.echoing();
        ScriptedHandler handler = ScriptedHandler.answering(request -> {
            if (request.correlationId() == 666) {
                throw new IllegalStateException("a bug in a handler");
            }
            return echo.echo(request);
        });
        start(handler, NetworkSettings.loopback(0));
        try (RawConnection failing = RawConnection.open(server.boundAddress());
             RawConnection other = RawConnection.open(server.boundAddress())) {
            failing.sendFrame(frameWithCorrelationId(666, 4));

            assertThat(failing.closedByPeerWithin(Duration.ofSeconds(10))).isTrue();
            other.sendFrame(frameWithCorrelationId(1, 4));
            assertThat(RawConnection.correlationIdOf(other.readFrame())).isEqualTo(1);
        }
    }

    @Test
    void shouldStopHandingOverRequestsAtTheInFlightBoundAndResumeAsAnswersGoOut() throws Exception {
        ScriptedHandler handler = ScriptedHandler.holding();
        start(handler, NetworkSettings.loopback(0).withMaxInFlightPerConnection(3));
        try (RawConnection client = RawConnection.open(server.boundAddress())) {
            for (int id = 1; id <= 10; id++) {
                client.sendFrame(frameWithCorrelationId(id, 4));
            }
            Eventually.await("three requests are handed over", () -> handler.requests().size() == 3);
            Thread.sleep(200);
            assertThat(handler.requests()).hasSize(3);
            assertThat(server.requestsInFlight()).isEqualTo(3);

            for (int answered = 0; answered < 10; answered++) {
                int next = answered;
                Eventually.await("request " + (next + 1) + " is handed over", () -> handler.requests().size() > next);
                ScriptedHandler.Request request = handler.requests().get(next);
                request.response().complete(handler.echo(request));
                assertThat(RawConnection.correlationIdOf(client.readFrame())).isEqualTo(next + 1);
                assertThat(handler.requests().size()).isLessThanOrEqualTo(next + 1 + 3);
            }
        }
        Eventually.await("nothing is in flight", () -> server.requestsInFlight() == 0);
    }

    @Test
    void shouldReleaseAResponseOnceItIsWritten() throws Exception {
        ScriptedHandler handler = ScriptedHandler.echoing();
        start(handler, NetworkSettings.loopback(0));
        try (RawConnection client = RawConnection.open(server.boundAddress())) {
            client.sendFrame(frameWithCorrelationId(1, 4000));
            client.readFrame();

            Eventually.await("the response's release has run", () -> handler.releases.get() == 1);
        }
    }

    @Test
    void shouldReleaseAResponseThatCompletesAfterItsConnectionClosed() throws Exception {
        ScriptedHandler handler = ScriptedHandler.holding();
        start(handler, NetworkSettings.loopback(0));
        RawConnection client = RawConnection.open(server.boundAddress());
        client.sendFrame(frameWithCorrelationId(1, 4));
        Eventually.await("the request is handed over", () -> handler.requests().size() == 1);
        ScriptedHandler.Request request = handler.requests().getFirst();

        client.close();
        Eventually.await("the handler hears of the closed connection", () -> handler.sawClose(request.connectionId()));
        request.response().complete(handler.echo(request));

        Eventually.await("the late response's release has run", () -> handler.releases.get() == 1);
        assertThat(server.requestsInFlight()).isZero();
    }

    @Test
    void shouldCloseAnIdleConnection() throws Exception {
        ScriptedHandler handler = ScriptedHandler.echoing();
        start(handler, NetworkSettings.loopback(0).withIdleTimeoutMs(200));
        try (RawConnection client = RawConnection.open(server.boundAddress())) {
            client.sendFrame(frameWithCorrelationId(1, 4));
            client.readFrame();

            assertThat(client.closedByPeerWithin(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void shouldKeepAConnectionThatWaitsForAnAnswerPastTheIdleTimeout() throws Exception {
        ScriptedHandler handler = ScriptedHandler.holding();
        start(handler, NetworkSettings.loopback(0).withIdleTimeoutMs(100));
        try (RawConnection client = RawConnection.open(server.boundAddress())) {
            client.sendFrame(frameWithCorrelationId(1, 4));
            Eventually.await("the request is handed over", () -> handler.requests().size() == 1);

            assertThat(client.closedByPeerWithin(Duration.ofMillis(500))).isFalse();
            ScriptedHandler.Request request = handler.requests().getFirst();
            request.response().complete(handler.echo(request));
            assertThat(RawConnection.correlationIdOf(client.readFrame())).isEqualTo(1);
        }
    }

    @Test
    void shouldCountRequestsPerApi() throws Exception {
        start(ScriptedHandler.echoing(), NetworkSettings.loopback(0));
        try (RawConnection client = RawConnection.open(server.boundAddress())) {
            for (int id = 1; id <= 3; id++) {
                client.sendFrame(frameWithCorrelationId(id, 4));
                client.readFrame();
            }
        }
        assertThat(metrics.count(ApiKeys.API_VERSIONS)).isEqualTo(3);
        assertThat(metrics.snapshot()).singleElement().satisfies(stats -> {
            assertThat(stats.api()).isEqualTo(ApiKeys.API_VERSIONS.name);
            assertThat(stats.requests()).isEqualTo(3);
            assertThat(stats.failures()).isZero();
        });
        assertThat(metrics.summary()).startsWith("ApiVersions 3 (mean ");
    }

    @Test
    void shouldLetInFlightRequestsFinishWhenStoppingGracefully() throws Exception {
        ScriptedHandler handler = ScriptedHandler.holding();
        start(handler, NetworkSettings.loopback(0));
        try (RawConnection client = RawConnection.open(server.boundAddress())) {
            client.sendFrame(frameWithCorrelationId(1, 4));
            Eventually.await("the request is handed over", () -> handler.requests().size() == 1);
            ScriptedHandler.Request request = handler.requests().getFirst();
            ForkJoinPool.commonPool().execute(() -> {
                sleep(300);
                request.response().complete(handler.echo(request));
            });

            server.close(Duration.ofSeconds(10));

            assertThat(RawConnection.correlationIdOf(client.readFrame())).isEqualTo(1);
            assertThat(client.closedByPeerWithin(Duration.ofSeconds(10))).isTrue();
        } catch (IOException e) {
            throw new AssertionError("the answer in flight was not delivered before the close", e);
        }
        server = null;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
