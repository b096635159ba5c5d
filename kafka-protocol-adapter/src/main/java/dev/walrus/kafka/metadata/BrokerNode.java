package dev.walrus.kafka.metadata;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * This node as clients see it: the leader, only replica and controller of everything, reachable at one endpoint per
 * listener. Metadata, DescribeCluster and FindCoordinator answer with the endpoint of the listener the request came
 * in on, as Kafka does, so a client stays on the listener (and the security) it bootstrapped with.
 *
 * @param endpoints each listener's advertised endpoint, by listener name, the first one the default
 */
public record BrokerNode(int nodeId, Map<String, Endpoint> endpoints, String rack) {

    /** Where clients of one listener connect. */
    public record Endpoint(String host, int port) {}

    public BrokerNode {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("a node needs at least one endpoint");
        }
        endpoints = Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
    }

    /** A node with one listener, {@code PLAINTEXT}. */
    public static BrokerNode plaintext(int nodeId, String host, int port, String rack) {
        return new BrokerNode(nodeId, Map.of("PLAINTEXT", new Endpoint(host, port)), rack);
    }

    /** The endpoint of {@code listenerName}; the first listener's for a name this node does not have. */
    public Endpoint endpoint(String listenerName) {
        Endpoint endpoint = endpoints.get(listenerName);
        return endpoint != null ? endpoint : endpoints.values().iterator().next();
    }
}
