package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.metadata.AuthorizedOperations;
import dev.walrus.kafka.metadata.BrokerNode;
import dev.walrus.kafka.metadata.TopicRegistry;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.concurrent.CompletableFuture;

/**
 * DescribeCluster (API key 60), versions 0-2: the cluster id, the controller (this node) and the brokers (this node).
 *
 * <p>Behaviour: a request for controller endpoints (endpointType 2) answers MISMATCHED_ENDPOINT_TYPE, as a Kafka
 * broker's listener does: clients reach controllers through bootstrap.controllers, for which this broker has no port.
 *
 * <p>Authorization (with an authorizer): none needed; the cluster's authorized operations are 0 without DESCRIBE on the cluster.
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: first version (KIP-700). v1: endpointType (KIP-919). v2: includeFencedBrokers and isFenced (KIP-1073);
 *       this node is never fenced.
 * </ul>
 */
public final class DescribeClusterHandler implements ApiHandler<DescribeClusterRequestData> {

    private static final byte BROKER_ENDPOINTS = 1;

    private final TopicRegistry registry;
    private final BrokerNode node;

    public DescribeClusterHandler(TopicRegistry registry, BrokerNode node) {
        this.registry = registry;
        this.node = node;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CLUSTER;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, DescribeClusterRequestData request, RequestContext context) {
        DescribeClusterResponseData response = new DescribeClusterResponseData().setEndpointType(BROKER_ENDPOINTS);
        if (request.endpointType() != BROKER_ENDPOINTS) {
            return CompletableFuture.completedFuture(response
                    .setErrorCode(Errors.MISMATCHED_ENDPOINT_TYPE.code())
                    .setErrorMessage("The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type "
                            + (request.endpointType() == 2 ? "CONTROLLER" : "UNKNOWN"))
                    .setClusterId("")
                    .setControllerId(-1));
        }
        response.setClusterId(registry.clusterId()).setControllerId(node.nodeId());
        BrokerNode.Endpoint endpoint = node.endpoint(context.listenerName());
        response.brokers().add(new DescribeClusterResponseData.DescribeClusterBroker()
                .setBrokerId(node.nodeId()).setHost(endpoint.host()).setPort(endpoint.port()).setRack(node.rack())
                .setIsFenced(false));
        if (request.includeClusterAuthorizedOperations()) {
            response.setClusterAuthorizedOperations(context.authorizedOnCluster(AclOperation.DESCRIBE)
                    ? AuthorizedOperations.cluster(context) : 0);
        }
        return CompletableFuture.completedFuture(response);
    }
}
