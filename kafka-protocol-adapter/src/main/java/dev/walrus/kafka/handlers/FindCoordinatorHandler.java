package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.metadata.BrokerNode;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest.CoordinatorType;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * FindCoordinator (API key 10), versions 0-6.
 *
 * <p>Behaviour: a single node coordinates every group and every transactional id, so every valid key gets this
 * node. Share-group keys (key type 2) are refused with INVALID_REQUEST: share groups are not served.
 *
 * <p>A group key, as in Kafka, makes the {@code __consumer_offsets} topic if it does not exist yet (Kafka answers
 * COORDINATOR_NOT_AVAILABLE while its controller creates it; here the answer waits until the creation is durable,
 * and is COORDINATOR_NOT_AVAILABLE only if it fails).
 *
 * <p>Authorizes DESCRIBE on the GROUP (group keys) or TRANSACTIONAL_ID (transaction keys) before anything else, per
 * key (v4+, no message) or for the whole response (v0-3, with the default message), as Kafka.
 *
 * <p>Version notes: v0 one group key; v1 adds the key type (KIP-98, transactions) and an error message; v2 same;
 * v3 flexible; v4 many keys in one request (KIP-699); v5 same (transaction v2 errors); v6 share keys (KIP-932, not
 * served).
 */
public final class FindCoordinatorHandler implements ApiHandler<FindCoordinatorRequestData> {

    private static final Logger LOG = LoggerFactory.getLogger(FindCoordinatorHandler.class);

    private final BrokerNode node;
    /** Makes the group coordinator's topic ({@code __consumer_offsets}) exist; completes once it durably does. */
    private final Supplier<CompletableFuture<Void>> groupCoordinatorReady;

    public FindCoordinatorHandler(BrokerNode node) {
        this(node, () -> CompletableFuture.completedFuture(null));
    }

    public FindCoordinatorHandler(BrokerNode node, Supplier<CompletableFuture<Void>> groupCoordinatorReady) {
        this.node = node;
        this.groupCoordinatorReady = groupCoordinatorReady;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FIND_COORDINATOR;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, FindCoordinatorRequestData request, RequestContext context) {
        short version = header.apiVersion();
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        int nodeId = node.nodeId();
        String host = node.endpoint(context.listenerName()).host();
        int port = node.endpoint(context.listenerName()).port();
        if (version >= 4) {
            for (String key : request.coordinatorKeys()) {
                Errors error = check(request.keyType(), key, context);
                boolean denied = error == Errors.GROUP_AUTHORIZATION_FAILED
                        || error == Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
                response.coordinators().add(new FindCoordinatorResponseData.Coordinator()
                        .setKey(key)
                        .setErrorCode(error.code())
                        .setErrorMessage(error == Errors.NONE || denied ? null : error.message())
                        .setNodeId(error == Errors.NONE ? nodeId : -1)
                        .setHost(error == Errors.NONE ? host : "")
                        .setPort(error == Errors.NONE ? port : -1));
            }
            boolean groupFound = request.keyType() == CoordinatorType.GROUP.id()
                    && response.coordinators().stream().anyMatch(c -> c.errorCode() == Errors.NONE.code());
            return groupFound ? afterGroupCoordinatorReady(response, r -> r.coordinators().forEach(c -> {
                if (c.errorCode() == Errors.NONE.code()) {
                    notAvailable(c);
                }
            })) : CompletableFuture.completedFuture(response);
        }
        Errors error = check(request.keyType(), request.key(), context);
        response.setErrorCode(error.code())
                .setErrorMessage(error == Errors.NONE ? null : error.message())
                .setNodeId(error == Errors.NONE ? nodeId : -1)
                .setHost(error == Errors.NONE ? host : "")
                .setPort(error == Errors.NONE ? port : -1);
        if (error == Errors.NONE && request.keyType() == CoordinatorType.GROUP.id()) {
            return afterGroupCoordinatorReady(response, r -> r.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())
                    .setErrorMessage(Errors.COORDINATOR_NOT_AVAILABLE.message()).setNodeId(-1).setHost("").setPort(-1));
        }
        return CompletableFuture.completedFuture(response);
    }

    /** The response once the offsets topic exists; {@code unavailable} marks the found group keys if it cannot. */
    private CompletableFuture<ApiMessage> afterGroupCoordinatorReady(FindCoordinatorResponseData response,
                                                                     Consumer<FindCoordinatorResponseData> unavailable) {
        CompletableFuture<Void> ready;
        try {
            ready = groupCoordinatorReady.get();
        } catch (RuntimeException e) {
            ready = CompletableFuture.failedFuture(e);
        }
        return ready.handle((v, failure) -> {
            if (failure != null) {
                LOG.warn("the group coordinator's topic could not be created; FindCoordinator answers "
                        + "COORDINATOR_NOT_AVAILABLE", failure);
                unavailable.accept(response);
            }
            return response;
        });
    }

    private static void notAvailable(FindCoordinatorResponseData.Coordinator c) {
        c.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()).setErrorMessage(Errors.COORDINATOR_NOT_AVAILABLE.message())
                .setNodeId(-1).setHost("").setPort(-1);
    }

    private static Errors check(byte keyType, String key, RequestContext context) {
        if (keyType == CoordinatorType.GROUP.id()) {
            if (key != null && !context.authorized(AclOperation.DESCRIBE, ResourceType.GROUP, key)) {
                return Errors.GROUP_AUTHORIZATION_FAILED;
            }
            return key == null || key.isEmpty() ? Errors.INVALID_REQUEST : Errors.NONE;
        }
        if (keyType == CoordinatorType.TRANSACTION.id()) {
            if (key != null && !context.authorized(AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, key)) {
                return Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
            }
            return key == null || key.isEmpty() ? Errors.INVALID_REQUEST : Errors.NONE;
        }
        return Errors.INVALID_REQUEST;
    }
}
