package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.authz.AclTable;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeAclsResponse;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.concurrent.CompletableFuture;

/**
 * DescribeAcls (API key 29), versions 1-3: the stored ACLs the filter selects, grouped by resource pattern
 * ({@code kafka-acls --list}, {@code Admin.describeAcls}). Needs DESCRIBE on the cluster
 * (CLUSTER_AUTHORIZATION_FAILED otherwise).
 *
 * <p>Behaviour: without {@code authorizer.class.name} (Kafka's default) there are no ACLs: SECURITY_DISABLED with
 * Kafka's message, as there. Kafka lists ACLs in its store's order (by random ACL id); here in creation order.
 *
 * <p>Version notes:
 * <ul>
 *   <li>v1 (KIP-290): pattern type filter. v2: flexible versions. v3: the USER resource type.
 * </ul>
 */
public final class DescribeAclsHandler implements ApiHandler<DescribeAclsRequestData> {

    /** What Kafka's broker says to an ACL listing when it has no authorizer (changes get another message). */
    static final String NO_AUTHORIZER = "No Authorizer is configured on the broker";

    private final AclTable acls;

    public DescribeAclsHandler(AclTable acls) {
        this.acls = acls;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_ACLS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, DescribeAclsRequestData request, RequestContext context) {
        context.requireOnCluster(AclOperation.DESCRIBE, header);
        DescribeAclsResponseData response = new DescribeAclsResponseData().setThrottleTimeMs(0);
        if (!context.authorizer().enabled()) {
            return CompletableFuture.completedFuture(response
                    .setErrorCode(Errors.SECURITY_DISABLED.code())
                    .setErrorMessage(NO_AUTHORIZER));
        }
        AclBindingFilter filter = AclTable.filter(request.resourceTypeFilter(), request.resourceNameFilter(),
                request.patternTypeFilter(), request.principalFilter(), request.hostFilter(), request.operation(),
                request.permissionType());
        response.setResources(DescribeAclsResponse.aclsResources(
                acls.matching(filter).stream().map(AclTable::binding).toList()));
        return CompletableFuture.completedFuture(response);
    }
}
