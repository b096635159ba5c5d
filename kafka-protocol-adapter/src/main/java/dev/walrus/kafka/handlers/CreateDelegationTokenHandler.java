package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.metadata.DelegationTokenIssuer;
import dev.walrus.kafka.metadata.TopicRegistry;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.CreateDelegationTokenRequestData;
import org.apache.kafka.common.message.CreateDelegationTokenRequestData.CreatableRenewers;
import org.apache.kafka.common.message.CreateDelegationTokenResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * CreateDelegationToken (API key 38), versions 0-3: a delegation token (KIP-48) for the requester, or for another
 * owner (KIP-373), with renewers; {@code kafka-delegation-tokens --create}, {@code Admin.createDelegationToken}. The
 * client then authenticates with SCRAM as the token id, its HMAC the password, {@code tokenauth=true}.
 *
 * <p>Kafka's ladder: DELEGATION_TOKEN_REQUEST_NOT_ALLOWED over PLAINTEXT, over SSL without a client certificate or
 * from a token-authenticated connection; DELEGATION_TOKEN_AUTHORIZATION_FAILED for another owner without
 * CREATE_TOKENS on that user (with an authorizer); INVALID_PRINCIPAL_TYPE for a renewer that is not a User;
 * DELEGATION_TOKEN_AUTH_DISABLED without {@code delegation.token.secret.key}. The answer comes once the token is
 * durable in the metadata log.
 *
 * <p>Version notes: v1 throttling after the response; v2 flexible; v3 owner and requester (KIP-373).
 */
public final class CreateDelegationTokenHandler implements ApiHandler<CreateDelegationTokenRequestData> {

    private final DelegationTokenIssuer issuer;
    private final TopicRegistry registry;

    public CreateDelegationTokenHandler(DelegationTokenIssuer issuer, TopicRegistry registry) {
        this.issuer = issuer;
        this.registry = registry;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_DELEGATION_TOKEN;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, CreateDelegationTokenRequestData request,
                                                RequestContext context) {
        String requester = context.principal();
        String owner = request.ownerPrincipalName() == null || request.ownerPrincipalName().isEmpty() ? requester
                : request.ownerPrincipalType() + ":" + request.ownerPrincipalName();
        CreateDelegationTokenResponseData response = new CreateDelegationTokenResponseData().setThrottleTimeMs(0)
                .setPrincipalType(type(owner)).setPrincipalName(name(owner));
        if (header.apiVersion() >= 3) {   // the requester is new in v3 (KIP-373)
            response.setTokenRequesterPrincipalType(type(requester)).setTokenRequesterPrincipalName(name(requester));
        }
        Errors refused = !context.mayManageDelegationTokens() ? Errors.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED
                : !owner.equals(requester) && !context.authorized(AclOperation.CREATE_TOKENS, ResourceType.USER, owner)
                        ? Errors.DELEGATION_TOKEN_AUTHORIZATION_FAILED
                : request.renewers().stream().anyMatch(r -> !r.principalType().equals("User"))
                        ? Errors.INVALID_PRINCIPAL_TYPE : Errors.NONE;
        if (refused != Errors.NONE) {
            return CompletableFuture.completedFuture(response.setErrorCode(refused.code())
                    .setIssueTimestampMs(-1).setExpiryTimestampMs(-1).setMaxTimestampMs(-1));
        }
        List<String> renewers = request.renewers().stream()
                .map((CreatableRenewers r) -> r.principalType() + ":" + r.principalName()).toList();
        DelegationTokenIssuer.Result result = issuer.create(owner, requester, renewers, request.maxLifetimeMs(),
                System.currentTimeMillis());
        if (result.error() != Errors.NONE) {
            return CompletableFuture.completedFuture(response.setErrorCode(result.error().code()));
        }
        response.setErrorCode(Errors.NONE.code())
                .setIssueTimestampMs(result.token().issueMs())
                .setExpiryTimestampMs(result.token().expiryMs())
                .setMaxTimestampMs(result.token().maxMs())
                .setTokenId(result.token().tokenId())
                .setHmac(issuer.tokens().hmac(result.token().tokenId()));
        return registry.durable().thenApply(done -> response);
    }

    static String type(String principal) {
        return principal.substring(0, principal.indexOf(':'));
    }

    static String name(String principal) {
        return principal.substring(principal.indexOf(':') + 1);
    }
}
