package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.concurrent.CompletableFuture;

/**
 * One Kafka API: turns a decoded request into a response on the state it owns.
 *
 * <p>Each implementation opens with the header the style guide asks for: the API and its version range,
 * "Behaviour" (where it deliberately differs from Apache Kafka, and why), "Version notes" (one line per version).
 *
 * <p>Threading: {@link #handle} runs on a network event-loop thread and must not block. A handler that waits (fsync,
 * long poll) returns an incomplete future and completes it later.
 *
 * @param <Q> the generated request data class, e.g. {@code ProduceRequestData}
 */
public interface ApiHandler<Q extends ApiMessage> {

    ApiKeys apiKey();

    /** The lowest version handled; by default the lowest the message classes define. */
    default short minVersion() {
        return apiKey().oldestVersion();
    }

    /** The highest version handled; by default the highest the message classes define. */
    default short maxVersion() {
        return apiKey().latestVersion();
    }

    /**
     * Handles one request. The returned message is the response data at the request's version; {@code null} means
     * "no response" (only produce with acks=0 does this).
     */
    CompletableFuture<ApiMessage> handle(RequestHeader header, Q request, RequestContext context);
}
