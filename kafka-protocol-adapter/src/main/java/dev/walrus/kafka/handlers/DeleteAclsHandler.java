package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsResponseData.DeleteAclsFilterResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.concurrent.CompletableFuture;

/**
 * DeleteAcls (API key 31), versions 1-3: every filter answers SECURITY_DISABLED with no matching ACLs, as a Kafka
 * broker without an authorizer does (its message for changes differs from the one for listing).
 *
 * <p>Behaviour: see {@link DescribeAclsHandler}.
 *
 * <p>Version notes:
 * <ul>
 *   <li>v1 (KIP-290): pattern type filter. v2: flexible versions. v3: the USER resource type.
 * </ul>
 */
public final class DeleteAclsHandler implements ApiHandler<DeleteAclsRequestData> {

    /** Kafka's message to an ACL creation or deletion when it has no authorizer. */
    static final String NO_AUTHORIZER = "No Authorizer is configured.";

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_ACLS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, DeleteAclsRequestData request, RequestContext context) {
        DeleteAclsResponseData response = new DeleteAclsResponseData().setThrottleTimeMs(0);
        for (int i = 0; i < request.filters().size(); i++) {
            response.filterResults().add(new DeleteAclsFilterResult()
                    .setErrorCode(Errors.SECURITY_DISABLED.code())
                    .setErrorMessage(NO_AUTHORIZER));
        }
        return CompletableFuture.completedFuture(response);
    }
}
