package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.security.ConnectionAuth;
import dev.walrus.kafka.security.SaslAuthenticator;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.concurrent.CompletableFuture;

/**
 * SaslHandshake (API key 17): a client on a SASL listener names its mechanism; an enabled one starts the exchange,
 * another gets UNSUPPORTED_SASL_MECHANISM with the enabled ones (and the connection goes at its next request). On a
 * listener without SASL, or once authenticated, ILLEGAL_SASL_STATE, as Kafka answers there.
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: the exchange's tokens follow as raw frames (before KIP-152);</li>
 *   <li>v1: they follow in SaslAuthenticate requests.</li>
 * </ul>
 */
public final class SaslHandshakeHandler implements ApiHandler<SaslHandshakeRequestData> {

    private final SaslAuthenticator authenticator;

    public SaslHandshakeHandler(SaslAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SASL_HANDSHAKE;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, SaslHandshakeRequestData request,
                                                RequestContext context) {
        ConnectionAuth auth = context.auth();
        SaslHandshakeResponseData response = new SaslHandshakeResponseData();
        boolean renewal = auth != null && auth.state() == ConnectionAuth.State.AUTHENTICATED
                && authenticator.mayReauthenticate(auth, context.listenerName());   // KIP-368
        if (auth == null || auth.state() != ConnectionAuth.State.HANDSHAKE && !renewal) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.ILLEGAL_SASL_STATE.code()));
        }
        SaslAuthenticator.Handshake handshake = authenticator.handshake(auth, context.listenerName(),
                request.mechanism(), header.apiVersion() == 0);
        response.setMechanisms(handshake.enabledMechanisms());
        response.setErrorCode(handshake.accepted() ? Errors.NONE.code() : Errors.UNSUPPORTED_SASL_MECHANISM.code());
        return CompletableFuture.completedFuture(response);
    }
}
