package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.authz.Acl;
import dev.walrus.kafka.authz.AclTable;
import dev.walrus.kafka.metadata.TopicRegistry;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DeleteAclsRequestData.DeleteAclsFilter;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsResponseData.DeleteAclsFilterResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.DeleteAclsResponse;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * DeleteAcls (API key 31), versions 1-3: deletes every stored ACL each filter selects and lists them per filter
 * ({@code kafka-acls --remove}, {@code Admin.deleteAcls}); answers once the deletions are durable. Needs ALTER on the
 * cluster (CLUSTER_AUTHORIZATION_FAILED for every filter otherwise). An ACL two filters select is listed under both.
 *
 * <p>Behaviour: without {@code authorizer.class.name} (Kafka's default) every filter answers SECURITY_DISABLED with
 * Kafka's message for ACL changes, as there. Kafka lists the deleted ACLs in its store's order (by random ACL id);
 * here in creation order.
 *
 * <p>Version notes:
 * <ul>
 *   <li>v1 (KIP-290): pattern type filter. v2: flexible versions. v3: the USER resource type.
 * </ul>
 */
public final class DeleteAclsHandler implements ApiHandler<DeleteAclsRequestData> {

    /** Kafka's message to an ACL creation or deletion when it has no authorizer. */
    static final String NO_AUTHORIZER = "No Authorizer is configured.";

    private final TopicRegistry registry;

    public DeleteAclsHandler(TopicRegistry registry) {
        this.registry = registry;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_ACLS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, DeleteAclsRequestData request, RequestContext context) {
        context.requireOnCluster(AclOperation.ALTER, header);
        DeleteAclsResponseData response = new DeleteAclsResponseData().setThrottleTimeMs(0);
        if (!context.authorizer().enabled()) {
            for (int i = 0; i < request.filters().size(); i++) {
                response.filterResults().add(new DeleteAclsFilterResult()
                        .setErrorCode(Errors.SECURITY_DISABLED.code())
                        .setErrorMessage(NO_AUTHORIZER));
            }
            return CompletableFuture.completedFuture(response);
        }
        Set<Acl> deleted = new LinkedHashSet<>();
        for (DeleteAclsFilter f : request.filters()) {
            AclBindingFilter filter = filter(f);
            DeleteAclsFilterResult result = new DeleteAclsFilterResult();
            if (filter.patternFilter().isUnknown()) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("Unknown patternFilter.");
            } else if (filter.entryFilter().isUnknown()) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("Unknown entryFilter.");
            } else {
                for (Acl acl : registry.acls().matching(filter)) {
                    deleted.add(acl);
                    result.matchingAcls().add(DeleteAclsResponse.matchingAcl(AclTable.binding(acl), ApiError.NONE));
                }
            }
            response.filterResults().add(result);
        }
        registry.changeAcls(List.of(), List.copyOf(deleted));
        return registry.durable().thenApply(v -> response);
    }

    private static AclBindingFilter filter(DeleteAclsFilter f) {
        return AclTable.filter(f.resourceTypeFilter(), f.resourceNameFilter(), f.patternTypeFilter(), f.principalFilter(),
                f.hostFilter(), f.operation(), f.permissionType());
    }
}
