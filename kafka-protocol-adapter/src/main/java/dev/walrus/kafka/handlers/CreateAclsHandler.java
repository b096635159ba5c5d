package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.CreateAclsResponseData.AclCreationResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.concurrent.CompletableFuture;

/**
 * CreateAcls (API key 30), versions 1-3: every creation answers SECURITY_DISABLED with Kafka's message for ACL
 * changes, as a Kafka broker without an authorizer does; nothing is stored.
 *
 * <p>Behaviour: see {@link DescribeAclsHandler}.
 *
 * <p>Version notes:
 * <ul>
 *   <li>v1 (KIP-290): pattern type. v2: flexible versions. v3: the USER resource type.
 * </ul>
 */
public final class CreateAclsHandler implements ApiHandler<CreateAclsRequestData> {

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_ACLS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, CreateAclsRequestData request, RequestContext context) {
        CreateAclsResponseData response = new CreateAclsResponseData().setThrottleTimeMs(0);
        for (int i = 0; i < request.creations().size(); i++) {
            response.results().add(new AclCreationResult()
                    .setErrorCode(Errors.SECURITY_DISABLED.code())
                    .setErrorMessage(DeleteAclsHandler.NO_AUTHORIZER));
        }
        return CompletableFuture.completedFuture(response);
    }
}
