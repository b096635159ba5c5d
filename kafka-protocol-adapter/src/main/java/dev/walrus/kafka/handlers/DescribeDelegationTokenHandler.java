package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.security.DelegationToken;
import dev.walrus.kafka.security.DelegationTokens;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeDelegationTokenRequestData;
import org.apache.kafka.common.message.DescribeDelegationTokenRequestData.DescribeDelegationTokenOwner;
import org.apache.kafka.common.message.DescribeDelegationTokenResponseData;
import org.apache.kafka.common.message.DescribeDelegationTokenResponseData.DescribedDelegationToken;
import org.apache.kafka.common.message.DescribeDelegationTokenResponseData.DescribedDelegationTokenRenewer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeDelegationToken (API key 41), versions 0-3: the tokens a client may see, with their HMACs
 * ({@code kafka-delegation-tokens --describe}, {@code Admin.describeDelegationToken}): null owners means every
 * token, an empty list none, else those whose owner or a renewer is one of them; of these, the client's own (as owner
 * or renewer), and others only with DESCRIBE on the token or DESCRIBE_TOKENS on its owner (with an authorizer), as
 * Kafka filters them. Errors: DELEGATION_TOKEN_REQUEST_NOT_ALLOWED, DELEGATION_TOKEN_AUTH_DISABLED.
 *
 * <p>Version notes: v1 throttling after the response; v2 flexible; v3 token requester (KIP-373).
 */
public final class DescribeDelegationTokenHandler implements ApiHandler<DescribeDelegationTokenRequestData> {

    private final DelegationTokens tokens;

    public DescribeDelegationTokenHandler(DelegationTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_DELEGATION_TOKEN;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, DescribeDelegationTokenRequestData request,
                                                RequestContext context) {
        DescribeDelegationTokenResponseData response = new DescribeDelegationTokenResponseData().setThrottleTimeMs(0);
        if (!context.mayManageDelegationTokens()) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED.code()));
        }
        if (!tokens.enabled()) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.DELEGATION_TOKEN_AUTH_DISABLED.code()));
        }
        response.setErrorCode(Errors.NONE.code());
        List<String> owners = request.owners() == null ? null
                : request.owners().stream().map((DescribeDelegationTokenOwner o) -> o.principalType() + ":" + o.principalName()).toList();
        if (owners != null && owners.isEmpty()) {
            return CompletableFuture.completedFuture(response);
        }
        String requester = context.principal();
        for (DelegationToken token : tokens.all()) {
            if (owners != null && owners.stream().noneMatch(token::ownerOrRenewer)) {
                continue;
            }
            if (!token.ownerOrRenewer(requester)
                    && !context.authorized(AclOperation.DESCRIBE, ResourceType.DELEGATION_TOKEN, token.tokenId())
                    && !context.authorized(AclOperation.DESCRIBE_TOKENS, ResourceType.USER, token.owner())) {
                continue;
            }
            response.tokens().add(described(token, header.apiVersion() >= 3));
        }
        return CompletableFuture.completedFuture(response);
    }

    /** {@code withRequester}: v3+, which carries who created the token (KIP-373). */
    private DescribedDelegationToken described(DelegationToken token, boolean withRequester) {
        DescribedDelegationToken described = new DescribedDelegationToken()
                .setPrincipalType(CreateDelegationTokenHandler.type(token.owner()))
                .setPrincipalName(CreateDelegationTokenHandler.name(token.owner()));
        if (withRequester) {
            described.setTokenRequesterPrincipalType(CreateDelegationTokenHandler.type(token.requester()))
                    .setTokenRequesterPrincipalName(CreateDelegationTokenHandler.name(token.requester()));
        }
        described.setIssueTimestamp(token.issueMs())
                .setExpiryTimestamp(token.expiryMs())
                .setMaxTimestamp(token.maxMs())
                .setTokenId(token.tokenId())
                .setHmac(tokens.hmac(token.tokenId()));
        for (String renewer : token.renewers()) {
            described.renewers().add(new DescribedDelegationTokenRenewer()
                    .setPrincipalType(CreateDelegationTokenHandler.type(renewer))
                    .setPrincipalName(CreateDelegationTokenHandler.name(renewer)));
        }
        return described;
    }
}
