package dev.walrus.broker.net;

import java.net.InetSocketAddress;

/**
 * The network layer's settings, already checked by the config layer.
 *
 * @param bindAddress where to listen; port 0 picks a free port
 * @param listenerName the listener's name, e.g. {@code PLAINTEXT}, handed to the adapter with each request
 * @param maxRequestBytes the largest request frame accepted ({@code socket.request.max.bytes})
 * @param idleTimeoutMs a connection with no traffic and no request in flight for this long is closed; negative: never
 * @param maxInFlightPerConnection requests handed to the adapter and not yet answered, per connection, before reading stops
 * @param sendBufferBytes SO_SNDBUF, or -1 for the operating system's default
 * @param receiveBufferBytes SO_RCVBUF, or -1 for the operating system's default
 * @param listenBacklog the accept backlog
 * @param ioThreads event-loop threads serving connections
 * @param security what the listener's security protocol asks of each connection
 */
public record NetworkSettings(InetSocketAddress bindAddress, String listenerName, int maxRequestBytes,
                              long idleTimeoutMs, int maxInFlightPerConnection, int sendBufferBytes,
                              int receiveBufferBytes, int listenBacklog, int ioThreads, ListenerSecurity security) {

    /** Defaults for tests: a loopback address, Kafka's limits. */
    public static NetworkSettings loopback(int port) {
        return new NetworkSettings(new InetSocketAddress("127.0.0.1", port), "PLAINTEXT", 104_857_600,
                600_000, 32, 102_400, 102_400, 50, 2, ListenerSecurity.PLAINTEXT);
    }

    public NetworkSettings withSecurity(ListenerSecurity newSecurity) {
        return new NetworkSettings(bindAddress, listenerName, maxRequestBytes, idleTimeoutMs, maxInFlightPerConnection,
                sendBufferBytes, receiveBufferBytes, listenBacklog, ioThreads, newSecurity);
    }

    public NetworkSettings withMaxRequestBytes(int bytes) {
        return new NetworkSettings(bindAddress, listenerName, bytes, idleTimeoutMs, maxInFlightPerConnection,
                sendBufferBytes, receiveBufferBytes, listenBacklog, ioThreads, security);
    }

    public NetworkSettings withIdleTimeoutMs(long ms) {
        return new NetworkSettings(bindAddress, listenerName, maxRequestBytes, ms, maxInFlightPerConnection,
                sendBufferBytes, receiveBufferBytes, listenBacklog, ioThreads, security);
    }

    public NetworkSettings withMaxInFlightPerConnection(int max) {
        return new NetworkSettings(bindAddress, listenerName, maxRequestBytes, idleTimeoutMs, max,
                sendBufferBytes, receiveBufferBytes, listenBacklog, ioThreads, security);
    }
}
