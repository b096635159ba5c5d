package dev.walrus.kafka;

import dev.walrus.kafka.authz.Authorizer;
import dev.walrus.kafka.handlers.ApiHandler;
import dev.walrus.kafka.handlers.ApiHandlers;
import dev.walrus.kafka.handlers.ApiVersionsHandler;
import dev.walrus.kafka.quota.RequestTimeThrottle;
import dev.walrus.kafka.quota.ResponseThrottleTime;
import dev.walrus.kafka.security.AuthenticationFailedException;
import dev.walrus.kafka.security.ConnectionAuth;
import dev.walrus.kafka.security.SaslAuthenticator;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.IllegalSaslStateException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Decodes a request frame, finds its handler in the table and encodes what the handler answers. Holds no protocol
 * semantics beyond the framing rules every API shares:
 *
 * <ul>
 *   <li>an unknown API key, an API not in the table, a version outside the advertised range, or a request that does
 *       not parse: the connection is closed; the reason names the correlation id and client id, and the network
 *       layer logs it once;
 *   <li>except ApiVersions at a version this broker does not know: Kafka's fallback, an UNSUPPORTED_VERSION answer
 *       at version 0 that lists the supported versions, so the client can retry with one of them;
 *   <li>a handler that throws: Kafka's error response for that request (UNKNOWN_SERVER_ERROR), logged once; one whose
 *       write the full disk refused: Kafka's answer to a write its log directory refused ({@link FullDisk}); one that
 *       throws an authorization exception: the request's error response with that error (Kafka's answer to a request
 *       refused as a whole, e.g. CLUSTER_AUTHORIZATION_FAILED), logged at debug;
 *   <li>a handler that asks for it with {@link CloseConnectionException}: the connection is closed;
 *   <li>on a SASL listener, before the connection authenticated, as Kafka's server authenticator: any request but
 *       ApiVersions and SaslHandshake before the handshake closes the connection unanswered; any but SaslAuthenticate
 *       after it is answered with ILLEGAL_SASL_STATE, then the connection is closed; a failed handshake or
 *       authentication is answered, then the connection is closed;
 *   <li>a client over its {@code request_percentage} quota (KIP-124): the time the request took here is counted and
 *       the answer carries the throttle time ({@link RequestTimeThrottle}), or, for a client version that does not
 *       wait it out itself, comes that much later.
 * </ul>
 */
final class RequestDispatcher {

    private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);
    private static final int MIN_HEADER_BYTES = 8;

    private final ApiHandlers handlers;
    private final SaslAuthenticator sasl;
    private final Authorizer authorizer;
    private final RequestTimeThrottle requestQuota;

    RequestDispatcher(ApiHandlers handlers, SaslAuthenticator sasl, Authorizer authorizer,
                      RequestTimeThrottle requestQuota) {
        this.handlers = handlers;
        this.sasl = sasl;
        this.authorizer = authorizer;
        this.requestQuota = requestQuota;
    }

    CompletableFuture<ResponseFrame> dispatch(RequestContext connection, ByteBuffer frame) {
        long startNanos = System.nanoTime();
        RequestContext context = connection.withAuthorizer(authorizer);
        ConnectionAuth auth = context.auth();
        if (auth != null && auth.state() == ConnectionAuth.State.FAILED) {
            return close(context, -1, null, "SASL authentication failed");
        }
        if (auth != null && auth.rawTokens()) {
            return CompletableFuture.completedFuture(rawToken(context, auth, frame));
        }
        if (frame.remaining() < MIN_HEADER_BYTES) {
            return close(context, -1, null, "request of " + frame.remaining() + " bytes is too short for a header");
        }
        int start = frame.position();
        short keyId = frame.getShort(start);
        short version = frame.getShort(start + 2);
        int correlationId = frame.getInt(start + 4);
        if (!ApiKeys.hasId(keyId)) {
            return close(context, correlationId, peekClientId(frame, start), "unknown API key " + keyId);
        }
        ApiKeys key = ApiKeys.forId(keyId);
        ApiHandler<?> handler = handlers.handlerFor(key).orElse(null);
        if (handler == null) {
            return close(context, correlationId, peekClientId(frame, start), "API " + key.name + " is not supported by this broker");
        }
        // Kafka's server authenticator: before the handshake only ApiVersions and SaslHandshake (anything else closes
        // the connection unanswered), during the exchange only SaslAuthenticate (anything else is answered with
        // ILLEGAL_SASL_STATE, then the connection closes; see below)
        if (auth != null && key != ApiKeys.SASL_HANDSHAKE && auth.sessionExpired(System.currentTimeMillis())) {
            // KIP-368: a session not renewed in time ends at the connection's next request, as in Kafka
            return close(context, correlationId, peekClientId(frame, start), "the authentication session of "
                    + context.principal() + " has expired");
        }
        if (auth != null && auth.state() == ConnectionAuth.State.HANDSHAKE && key != ApiKeys.API_VERSIONS
                && key != ApiKeys.SASL_HANDSHAKE) {
            return close(context, correlationId, peekClientId(frame, start), "Unexpected Kafka request of type " + key
                    + " during SASL handshake.");
        }
        if (version < handler.minVersion() || version > ApiVersionsHandler.maxAcceptedVersion(handler)) {
            if (key == ApiKeys.API_VERSIONS && version > handler.maxVersion()) {
                return CompletableFuture.completedFuture(unsupportedApiVersionsFallback(correlationId));
            }
            return close(context, correlationId, peekClientId(frame, start), key.name + " version " + version
                    + " is not supported (supported: " + handler.minVersion() + ".."
                    + ApiVersionsHandler.maxAcceptedVersion(handler) + ")");
        }
        RequestHeader header;
        AbstractRequest request;
        try {
            header = RequestHeader.parse(frame);
            request = AbstractRequest.parseRequest(key, version, new ByteBufferAccessor(frame)).request;
        } catch (RuntimeException e) {
            return close(context, correlationId, peekClientId(frame, start), "could not parse " + key.name + " v" + version
                    + " request: " + e);
        }
        if (auth != null && auth.state() == ConnectionAuth.State.AUTHENTICATING && key != ApiKeys.SASL_AUTHENTICATE) {
            String reason = "Unexpected Kafka request of type " + key + " during SASL authentication.";
            ResponseFrame.Send answer = ResponseEncoder.encode(header.correlationId(),
                    header.toResponseHeader().headerVersion(),
                    request.getErrorResponse(0, new IllegalSaslStateException(reason)).data(), version);
            return CompletableFuture.completedFuture(new ResponseFrame.Close(
                    naming(reason, header.correlationId(), header.clientId()), answer));
        }
        CompletableFuture<ApiMessage> response;
        try {
            response = invoke(handler, header, request.data(), context);
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        long handlingNanos = System.nanoTime() - startNanos;
        int[] delayMs = new int[1]; // set below before the answer completes; read after it
        CompletableFuture<ResponseFrame> answered = response.handle((body, failure) -> {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
            if (cause instanceof CloseConnectionException close) {
                String reason = naming(close.getMessage(), header.correlationId(), header.clientId());
                log.debug("Closing connection {} from {}: {}", context.connectionId(), context.clientAddress(), reason);
                return new ResponseFrame.Close(reason);
            }
            if (cause instanceof AuthorizationException denied) {
                // a handler refusing the whole request, as Kafka's broker does: the request's error response
                log.debug("{} v{} request denied (correlation id {}, client id {}, connection {}, principal {}): {}",
                        key.name, version, header.correlationId(), header.clientId(), context.connectionId(),
                        context.principal(), denied.getMessage());
                body = request.getErrorResponse(0, denied).data();
            } else if (failure != null && FullDisk.refused(failure)) {
                // logged once per episode by the engine; Kafka's answer to a write its log directory refused
                log.debug("{} v{} request refused on the full disk (correlation id {}, client id {})", key.name,
                        version, header.correlationId(), header.clientId());
                body = request.getErrorResponse(0, FullDisk.answerFor(key, cause)).data();
            } else if (failure != null) {
                log.error("{} v{} request failed (correlation id {}, client id {}, connection {})", key.name, version,
                        header.correlationId(), header.clientId(), context.connectionId(), failure);
                body = request.getErrorResponse(0, failure).data();
            }
            // an acks=0 produce is never answered; its handler still says how long its byte rate throttles it
            boolean unanswered = body != null && key == ApiKeys.PRODUCE && ((ProduceRequestData) request.data()).acks() == 0;
            delayMs[0] = throttleForRequestTime(key, version, header, context, unanswered ? null : body, handlingNanos);
            // every throttle comes from a client quota: with none set (the common case) there is nothing to read
            boolean quotas = requestQuota.active();
            if (body == null || unanswered) {
                return new ResponseFrame.NoResponse(unanswered && quotas ? ResponseThrottleTime.of(body) : 0);
            }
            ResponseFrame.Send answer = ResponseEncoder.encode(header.correlationId(),
                    header.toResponseHeader().headerVersion(), body, version);
            int throttleMs = quotas ? ResponseThrottleTime.of(body) : 0;
            if (throttleMs > 0 && ResponseThrottleTime.clientThrottles(key, version)) {
                // Kafka mutes the connection for the throttle time of an answer the client waits out itself
                // (KIP-219); an older client's answer was held back that long instead (Throttling, throttleFor...)
                answer = answer.mutedFor(throttleMs);
            }
            if (auth != null && auth.state() == ConnectionAuth.State.FAILED) {
                // a failed SASL handshake or authentication is answered, then the connection goes, as in Kafka
                return new ResponseFrame.Close(naming("SASL authentication failed", header.correlationId(),
                        header.clientId()), answer);
            }
            return answer;
        });
        if (!requestQuota.active()) {
            return answered; // the common case: no quota, no throttle, nothing to delay
        }
        // a client that does not wait out a throttle itself gets the answer that much later (before KIP-219)
        return answered.thenCompose(out -> ResponseThrottleTime.heldBack(out, delayMs[0]));
    }

    /**
     * Kafka's request quota (KIP-124, {@link RequestTimeThrottle}): counts the time the request took here and raises the
     * answer's throttle time to the client's request throttle (Kafka answers the larger of the two). Exempt, as in
     * Kafka, are the cluster's own requests (WriteTxnMarkers); a fetch is counted by its handler, which, as Kafka's
     * fetch path, answers a throttled fetch empty. A request without an answer (acks=0 Produce) is counted too, as
     * Kafka counts it. The extra time a client that does not throttle itself must wait for the answer, or 0.
     *
     * @param body the answer, null if none
     */
    private int throttleForRequestTime(ApiKeys key, short version, RequestHeader header, RequestContext context,
                                       ApiMessage body, long handlingNanos) {
        if (key == ApiKeys.WRITE_TXN_MARKERS || key == ApiKeys.FETCH) {
            return 0;
        }
        int throttleMs = requestQuota.record(context.principalName(), header.clientId(), handlingNanos,
                System.currentTimeMillis());
        if (throttleMs <= 0 || body == null) {
            return 0;
        }
        int before = ResponseThrottleTime.raise(body, throttleMs);
        if (before < 0 || ResponseThrottleTime.clientThrottles(key, version)) {
            return 0;
        }
        return throttleMs - before; // a handler's own throttle of such a client was waited out already
    }

    /**
     * A raw SASL token (after a SaslHandshake v0): the answer goes back as a raw frame; a failed exchange closes the
     * connection, as the raw framing has no way to say why.
     */
    private ResponseFrame rawToken(RequestContext context, ConnectionAuth auth, ByteBuffer frame) {
        byte[] token = new byte[frame.remaining()];
        frame.get(token);
        try {
            byte[] answer = sasl.authenticate(auth, token);
            ByteBuffer out = ByteBuffer.allocate(4 + answer.length).putInt(answer.length).put(answer).flip();
            return new ResponseFrame.Send(List.of(out), () -> { });
        } catch (AuthenticationFailedException e) {
            log.debug("Closing connection {} from {}: {}", context.connectionId(), context.clientAddress(), e.getMessage());
            return new ResponseFrame.Close("SASL authentication failed: " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static <Q extends ApiMessage> CompletableFuture<ApiMessage> invoke(ApiHandler<Q> handler, RequestHeader header,
                                                                             ApiMessage request, RequestContext context) {
        return handler.handle(header, (Q) request, context);
    }

    private ResponseFrame unsupportedApiVersionsFallback(int correlationId) {
        ApiVersionsResponseData body = new ApiVersionsResponseData()
                .setErrorCode(Errors.UNSUPPORTED_VERSION.code())
                .setApiKeys(ApiVersionsHandler.advertisedVersions(handlers));
        return ResponseEncoder.encode(correlationId, ApiKeys.API_VERSIONS.responseHeaderVersion((short) 0), body, (short) 0);
    }

    /** The network layer logs the close once, with this reason, which therefore names the request's ids. */
    private static CompletableFuture<ResponseFrame> close(RequestContext context, int correlationId, String clientId,
                                                          String reason) {
        String full = naming(reason, correlationId, clientId);
        log.debug("Closing connection {} from {}: {}", context.connectionId(), context.clientAddress(), full);
        return CompletableFuture.completedFuture(new ResponseFrame.Close(full));
    }

    /** A close reason naming the request's ids, so that the one log line of the close says which request it was. */
    private static String naming(String reason, int correlationId, String clientId) {
        return reason + " (correlation id " + correlationId + ", client id " + clientId + ")";
    }

    /** The client id of a request header (v1+: a nullable int16-length string after the correlation id), if readable. */
    private static String peekClientId(ByteBuffer frame, int start) {
        int p = start + 8;
        if (frame.limit() - p < 2) {
            return null;
        }
        int length = frame.getShort(p);
        if (length < 0 || frame.limit() - p - 2 < length) {
            return null;
        }
        byte[] bytes = new byte[length];
        frame.get(p + 2, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
