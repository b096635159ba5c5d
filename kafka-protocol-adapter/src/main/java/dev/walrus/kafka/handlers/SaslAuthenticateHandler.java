package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.security.AuthenticationFailedException;
import dev.walrus.kafka.security.ConnectionAuth;
import dev.walrus.kafka.security.SaslAuthenticator;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * SaslAuthenticate (API key 36): one token of the SASL exchange the handshake started, and the server's answer. A
 * failed exchange answers SASL_AUTHENTICATION_FAILED with Kafka's message, {@code connection.failed.authentication.delay.ms}
 * (100 ms) late, and the connection goes at its next request. Without an exchange under way (a listener without SASL, or already authenticated), ILLEGAL_SASL_STATE.
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: first version (KIP-152);</li>
 *   <li>v1: the response carries the session lifetime (KIP-368); 0 here, as Kafka answers without
 *       {@code connections.max.reauth.ms}: no re-authentication is asked for;</li>
 *   <li>v2: flexible.</li>
 * </ul>
 */
public final class SaslAuthenticateHandler implements ApiHandler<SaslAuthenticateRequestData> {

    private final SaslAuthenticator authenticator;

    public SaslAuthenticateHandler(SaslAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SASL_AUTHENTICATE;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, SaslAuthenticateRequestData request,
                                                RequestContext context) {
        ConnectionAuth auth = context.auth();
        SaslAuthenticateResponseData response = new SaslAuthenticateResponseData().setAuthBytes(new byte[0])
                .setSessionLifetimeMs(0);
        if (auth == null || auth.state() != ConnectionAuth.State.AUTHENTICATING) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                    .setErrorMessage("SaslAuthenticate request received after successful authentication"));
        }
        try {
            response.setAuthBytes(authenticator.authenticate(auth, request.authBytes()));
            if (auth.isAuthenticated()) {
                // from v1 the client learns when its session ends and re-authenticates before (KIP-368)
                response.setSessionLifetimeMs(authenticator.sessionLifetimeMs(auth, System.currentTimeMillis()));
            }
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.NONE.code()));
        } catch (AuthenticationFailedException e) {
            response.setErrorCode(Errors.SASL_AUTHENTICATION_FAILED.code()).setErrorMessage(e.getMessage());
            // connection.failed.authentication.delay.ms: a failed attempt is answered late, which slows password
            // guessing down as Kafka does
            return CompletableFuture.supplyAsync(() -> response, CompletableFuture.delayedExecutor(
                    authenticator.failedAuthenticationDelayMs(), TimeUnit.MILLISECONDS));
        }
    }
}
