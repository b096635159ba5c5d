package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData.ComponentData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeClientQuotas (API key 48), versions 0-1: the quotas set for users, client ids and IPs
 * ({@code kafka-configs --describe --entity-type users|clients|ips}, {@code Admin.describeClientQuotas}). No quota
 * can be set here, so every filter matches nothing, as on a Kafka where none was set; a filter on an entity type Kafka
 * does not know answers as Kafka does (UNSUPPORTED_VERSION, "Unsupported entity type ...").
 *
 * <p>Authorization (with an authorizer): DESCRIBE_CONFIGS on the cluster (else CLUSTER_AUTHORIZATION_FAILED).
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: first version (KIP-546). v1: flexible versions.
 * </ul>
 */
public final class DescribeClientQuotasHandler implements ApiHandler<DescribeClientQuotasRequestData> {

    private static final Set<String> ENTITY_TYPES = Set.of("user", "client-id", "ip");

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CLIENT_QUOTAS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, DescribeClientQuotasRequestData request,
                                                RequestContext context) {
        if (!context.authorizedOnCluster(AclOperation.DESCRIBE_CONFIGS)) {
            // Kafka answers with the request's error response, without a message
            throw Errors.CLUSTER_AUTHORIZATION_FAILED.exception();
        }
        DescribeClientQuotasResponseData response = new DescribeClientQuotasResponseData().setThrottleTimeMs(0);
        for (ComponentData component : request.components()) {
            if (!ENTITY_TYPES.contains(component.entityType())) {
                return CompletableFuture.completedFuture(response.setErrorCode(Errors.UNSUPPORTED_VERSION.code())
                        .setErrorMessage("Unsupported entity type " + component.entityType()).setEntries(null));
            }
        }
        return CompletableFuture.completedFuture(response.setErrorCode(Errors.NONE.code()).setEntries(List.of()));
    }
}
