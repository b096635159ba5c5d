package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.metadata.DelegationTokenIssuer;
import dev.walrus.kafka.metadata.TopicRegistry;
import org.apache.kafka.common.message.ExpireDelegationTokenRequestData;
import org.apache.kafka.common.message.ExpireDelegationTokenResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.concurrent.CompletableFuture;

/**
 * ExpireDelegationToken (API key 40), versions 0-2: ends a token now (a negative period: it is removed and no longer
 * authenticates) or after the period ({@code kafka-delegation-tokens --expire}, {@code Admin.expireDelegationToken}).
 * Only its owner or a renewer may; Kafka's errors as for RenewDelegationToken.
 *
 * <p>Version notes: v1 throttling after the response; v2 flexible.
 */
public final class ExpireDelegationTokenHandler implements ApiHandler<ExpireDelegationTokenRequestData> {

    private final DelegationTokenIssuer issuer;
    private final TopicRegistry registry;

    public ExpireDelegationTokenHandler(DelegationTokenIssuer issuer, TopicRegistry registry) {
        this.issuer = issuer;
        this.registry = registry;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.EXPIRE_DELEGATION_TOKEN;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, ExpireDelegationTokenRequestData request,
                                                RequestContext context) {
        ExpireDelegationTokenResponseData response = new ExpireDelegationTokenResponseData().setThrottleTimeMs(0);
        if (!context.mayManageDelegationTokens()) {
            return CompletableFuture.completedFuture(response
                    .setErrorCode(Errors.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED.code()).setExpiryTimestampMs(-1));
        }
        DelegationTokenIssuer.Result result = issuer.expire(context.principal(), request.hmac(),
                request.expiryTimePeriodMs(), System.currentTimeMillis());
        response.setErrorCode(result.error().code()).setExpiryTimestampMs(result.expiryMs());
        return result.error() == Errors.NONE ? registry.durable().thenApply(done -> response)
                : CompletableFuture.completedFuture(response);
    }
}
