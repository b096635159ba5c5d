package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.metadata.DelegationTokenIssuer;
import dev.walrus.kafka.metadata.TopicRegistry;
import org.apache.kafka.common.message.RenewDelegationTokenRequestData;
import org.apache.kafka.common.message.RenewDelegationTokenResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.concurrent.CompletableFuture;

/**
 * RenewDelegationToken (API key 39), versions 0-2: pushes a token's expiry out by the renew period, at most
 * {@code delegation.token.expiry.time.ms} and never past its maximum lifetime ({@code kafka-delegation-tokens --renew},
 * {@code Admin.renewDelegationToken}). Only its owner or a renewer may; Kafka's errors: DELEGATION_TOKEN_REQUEST_NOT_ALLOWED
 * (as for CreateDelegationToken), DELEGATION_TOKEN_AUTH_DISABLED, DELEGATION_TOKEN_NOT_FOUND, DELEGATION_TOKEN_EXPIRED,
 * DELEGATION_TOKEN_OWNER_MISMATCH.
 *
 * <p>Version notes: v1 throttling after the response; v2 flexible.
 */
public final class RenewDelegationTokenHandler implements ApiHandler<RenewDelegationTokenRequestData> {

    private final DelegationTokenIssuer issuer;
    private final TopicRegistry registry;

    public RenewDelegationTokenHandler(DelegationTokenIssuer issuer, TopicRegistry registry) {
        this.issuer = issuer;
        this.registry = registry;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.RENEW_DELEGATION_TOKEN;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, RenewDelegationTokenRequestData request,
                                                RequestContext context) {
        RenewDelegationTokenResponseData response = new RenewDelegationTokenResponseData().setThrottleTimeMs(0);
        if (!context.mayManageDelegationTokens()) {
            return CompletableFuture.completedFuture(response
                    .setErrorCode(Errors.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED.code()).setExpiryTimestampMs(-1));
        }
        DelegationTokenIssuer.Result result = issuer.renew(context.principal(), request.hmac(), request.renewPeriodMs(),
                System.currentTimeMillis());
        response.setErrorCode(result.error().code()).setExpiryTimestampMs(result.expiryMs());
        return result.error() == Errors.NONE ? registry.durable().thenApply(done -> response)
                : CompletableFuture.completedFuture(response);
    }
}
