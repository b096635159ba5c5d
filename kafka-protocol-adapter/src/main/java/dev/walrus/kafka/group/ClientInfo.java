package dev.walrus.kafka.group;

import java.net.InetSocketAddress;

/**
 * Who sent a group request, as DescribeGroups reports it.
 *
 * @param clientId the request header's client id
 * @param clientHost {@code /ip}, as Kafka shows it
 */
public record ClientInfo(String clientId, String clientHost) {

    public static ClientInfo of(String clientId, InetSocketAddress address) {
        String host = address == null || address.getAddress() == null ? "/unknown" : "/" + address.getAddress().getHostAddress();
        return new ClientInfo(clientId == null ? "" : clientId, host);
    }
}
