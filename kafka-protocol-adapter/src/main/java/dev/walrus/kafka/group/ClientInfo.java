package dev.walrus.kafka.group;

import java.net.InetSocketAddress;
import java.util.function.Predicate;

/**
 * Who sent a group request, as DescribeGroups reports it, and which topics it may see.
 *
 * @param clientId the request header's client id
 * @param clientHost {@code /ip}, as Kafka shows it
 * @param describableTopic whether the client may DESCRIBE a topic: a consumer-protocol member's regex subscription
 *        leaves out the topics it may not, as Kafka's does (every topic without an authorizer)
 */
public record ClientInfo(String clientId, String clientHost, Predicate<String> describableTopic) {

    public static ClientInfo of(String clientId, InetSocketAddress address) {
        return of(clientId, address, topic -> true);
    }

    public static ClientInfo of(String clientId, InetSocketAddress address, Predicate<String> describableTopic) {
        String host = address == null || address.getAddress() == null ? "/unknown" : "/" + address.getAddress().getHostAddress();
        return new ClientInfo(clientId == null ? "" : clientId, host, describableTopic);
    }
}
