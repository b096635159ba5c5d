package dev.walrus.broker.net;

import java.util.List;

/**
 * The network layer's settings, already checked by the config layer.
 *
 * @param listeners what to bind, each with its name and security; at least one
 * @param maxRequestBytes the largest request frame accepted ({@code socket.request.max.bytes})
 * @param idleTimeoutMs a connection with no traffic and no request in flight for this long is closed; negative: never
 * @param maxInFlightPerConnection requests handed to the adapter and not yet answered, per connection, before reading stops
 * @param sendBufferBytes SO_SNDBUF, or -1 for the operating system's default
 * @param receiveBufferBytes SO_RCVBUF, or -1 for the operating system's default
 * @param listenBacklog the accept backlog
 * @param ioThreads event-loop threads serving connections
 * @param saslMaxReceiveBytes the largest frame from a connection on a SASL listener before it authenticated
 *        ({@code sasl.server.max.receive.size})
 */
public record NetworkSettings(List<Listener> listeners, int maxRequestBytes, long idleTimeoutMs,
                              int maxInFlightPerConnection, int sendBufferBytes, int receiveBufferBytes,
                              int listenBacklog, int ioThreads, int saslMaxReceiveBytes) {

    public NetworkSettings {
        listeners = List.copyOf(listeners);
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("no listener");
        }
    }

    /** Defaults for tests: a loopback address, Kafka's limits. */
    public static NetworkSettings loopback(int port) {
        return new NetworkSettings(List.of(Listener.plaintextLoopback(port)), 104_857_600, 600_000, 32, 102_400, 102_400,
                50, 2, 524_288);
    }

    public NetworkSettings withMaxRequestBytes(int bytes) {
        return new NetworkSettings(listeners, bytes, idleTimeoutMs, maxInFlightPerConnection, sendBufferBytes,
                receiveBufferBytes, listenBacklog, ioThreads, saslMaxReceiveBytes);
    }

    public NetworkSettings withIdleTimeoutMs(long ms) {
        return new NetworkSettings(listeners, maxRequestBytes, ms, maxInFlightPerConnection, sendBufferBytes,
                receiveBufferBytes, listenBacklog, ioThreads, saslMaxReceiveBytes);
    }

    public NetworkSettings withMaxInFlightPerConnection(int max) {
        return new NetworkSettings(listeners, maxRequestBytes, idleTimeoutMs, max, sendBufferBytes, receiveBufferBytes,
                listenBacklog, ioThreads, saslMaxReceiveBytes);
    }
}
