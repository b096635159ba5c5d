package dev.walrus.kafka.handlers;

import dev.walrus.kafka.quota.ResponseThrottleTime;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import java.util.concurrent.CompletableFuture;

/**
 * How a response over a client quota goes out (KIP-219): a client of a version that waits out the throttle itself
 * gets the answer at once, with its throttle time; an older client gets it only after the throttle time, as Kafka's
 * broker delayed it before KIP-219. Which versions wait it out is Kafka's own rule per API
 * ({@link ResponseThrottleTime#clientThrottles}), consulted only when there is a throttle.
 */
final class Throttling {

    private Throttling() {}

    static CompletableFuture<ApiMessage> answer(ApiMessage response, int throttleMs, ApiKeys key, short version) {
        return answerLater(CompletableFuture.completedFuture(response), throttleMs, key, version);
    }

    /**
     * {@code response} once {@code done} completes (a change made durable), carrying {@code throttleMs}; a client older
     * than KIP-219 gets it that much later. The tail of every handler that changes topics under a mutation quota.
     */
    static CompletableFuture<ApiMessage> answerWhen(CompletableFuture<?> done, ApiMessage response, int throttleMs,
                                                    ApiKeys key, short version) {
        ResponseThrottleTime.raise(response, throttleMs);
        return answerLater(done.thenApply(ignored -> response), throttleMs, key, version);
    }

    static CompletableFuture<ApiMessage> answerLater(CompletableFuture<ApiMessage> response, int throttleMs,
                                                     ApiKeys key, short version) {
        if (throttleMs <= 0 || ResponseThrottleTime.clientThrottles(key, version)) {
            return response;
        }
        return response.thenCompose(r -> ResponseThrottleTime.heldBack(r, throttleMs));
    }
}
