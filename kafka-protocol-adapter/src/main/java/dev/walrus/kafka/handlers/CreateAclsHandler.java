package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.authz.Acl;
import dev.walrus.kafka.authz.AclValidation;
import dev.walrus.kafka.metadata.TopicRegistry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsRequestData.AclCreation;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.CreateAclsResponseData.AclCreationResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateAclsRequest;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * CreateAcls (API key 30), versions 1-3: stores each valid ACL in the metadata log and answers once they are durable
 * ({@code kafka-acls --add}, {@code Admin.createAcls}). Needs ALTER on the cluster (CLUSTER_AUTHORIZATION_FAILED for
 * every creation otherwise). Each creation is checked on its own with Kafka's rules and messages (INVALID_REQUEST):
 * see {@link AclValidation}. Creating an ACL that exists succeeds and stores nothing.
 *
 * <p>Behaviour: without {@code authorizer.class.name} (Kafka's default) every creation answers SECURITY_DISABLED
 * with Kafka's message, as there.
 *
 * <p>Version notes:
 * <ul>
 *   <li>v1 (KIP-290): pattern type. v2: flexible versions. v3: the USER resource type.
 * </ul>
 */
public final class CreateAclsHandler implements ApiHandler<CreateAclsRequestData> {

    private final TopicRegistry registry;

    public CreateAclsHandler(TopicRegistry registry) {
        this.registry = registry;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_ACLS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, CreateAclsRequestData request, RequestContext context) {
        context.requireOnCluster(AclOperation.ALTER, header);
        CreateAclsResponseData response = new CreateAclsResponseData().setThrottleTimeMs(0);
        if (!context.authorizer().enabled()) {
            for (int i = 0; i < request.creations().size(); i++) {
                response.results().add(new AclCreationResult()
                        .setErrorCode(Errors.SECURITY_DISABLED.code())
                        .setErrorMessage(DeleteAclsHandler.NO_AUTHORIZER));
            }
            return CompletableFuture.completedFuture(response);
        }
        List<Acl> valid = new ArrayList<>();
        for (AclCreation creation : request.creations()) {
            // kafka-clients refuses ANY and MATCH in a binding (IllegalArgumentException); Kafka's broker fails the
            // whole request with it, as the dispatcher does here
            AclBinding binding = CreateAclsRequest.aclBinding(creation);
            String problem = AclValidation.problemWithNewAcl(binding);
            AclCreationResult result = new AclCreationResult();
            if (problem != null) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(problem);
            } else {
                valid.add(Acl.of(binding));
            }
            response.results().add(result);
        }
        registry.changeAcls(valid, List.of());
        return registry.durable().thenApply(v -> response);
    }
}
