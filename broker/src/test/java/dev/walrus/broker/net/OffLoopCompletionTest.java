package dev.walrus.broker.net;

import dev.walrus.broker.metrics.RequestMetrics;
import dev.walrus.broker.testing.Eventually;
import dev.walrus.broker.testing.RawConnection;
import dev.walrus.broker.testing.ScriptedHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static dev.walrus.broker.testing.ScriptedHandler.frameWithCorrelationId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Answers that complete on other threads (an fsync completing several acks=all produces at once, appends waking
 * parked fetches) are handed to the connection's event loop in batches and flushed together: none may be lost,
 * reordered, written twice or left unreleased.
 */
class OffLoopCompletionTest {

    private KafkaServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close(Duration.ZERO);
        }
    }

    @Test
    void shouldWriteEveryAnswerInOrderWhenOneOtherThreadCompletesThemAllAtOnce() throws Exception {
        ScriptedHandler handler = ScriptedHandler.holding();
        server = KafkaServer.start(NetworkSettings.loopback(0), handler, new RequestMetrics()).startAccepting();
        int requests = 5;
        try (RawConnection client = RawConnection.open(server.boundAddress())) {
            for (int id = 1; id <= requests; id++) {
                client.sendFrame(frameWithCorrelationId(id, 64));
            }
            Eventually.await("every request is handed over", () -> handler.requests().size() == requests);

            List<ScriptedHandler.Request> held = new ArrayList<>(handler.requests());
            Thread completer = Thread.ofPlatform().start(() -> held.forEach(r -> r.response().complete(handler.echo(r))));
            completer.join();

            for (int id = 1; id <= requests; id++) {
                assertThat(RawConnection.correlationIdOf(client.readFrame())).isEqualTo(id);
            }
            Eventually.await("every response's release has run", () -> handler.releases.get() == requests);
        }
        Eventually.await("nothing is in flight", () -> server.requestsInFlight() == 0);
    }

    @Test
    void shouldWriteEveryAnswerOfManyConnectionsCompletedConcurrentlyByTwoThreads() throws Exception {
        ScriptedHandler handler = ScriptedHandler.holding();
        server = KafkaServer.start(NetworkSettings.loopback(0), handler, new RequestMetrics()).startAccepting();
        int connections = 4;
        int perConnection = 5;
        List<RawConnection> clients = new ArrayList<>();
        try {
            for (int c = 0; c < connections; c++) {
                RawConnection client = RawConnection.open(server.boundAddress());
                clients.add(client);
                for (int id = 1; id <= perConnection; id++) {
                    client.sendFrame(frameWithCorrelationId(c * 100 + id, 32));
                }
            }
            Eventually.await("every request is handed over", () -> handler.requests().size() == connections * perConnection);

            List<ScriptedHandler.Request> held = new ArrayList<>(handler.requests());
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> completers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int parity = t;
                completers.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = parity; i < held.size(); i += 2) {
                        held.get(i).response().complete(handler.echo(held.get(i)));
                    }
                }));
            }
            go.countDown();
            for (Thread t : completers) {
                t.join();
            }

            for (int c = 0; c < connections; c++) {
                for (int id = 1; id <= perConnection; id++) {
                    assertThat(RawConnection.correlationIdOf(clients.get(c).readFrame())).isEqualTo(c * 100 + id);
                }
            }
            Eventually.await("every response's release has run", () -> handler.releases.get() == connections * perConnection);
        } finally {
            for (RawConnection client : clients) {
                client.close();
            }
        }
    }
}
