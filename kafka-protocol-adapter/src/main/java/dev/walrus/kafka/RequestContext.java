package dev.walrus.kafka;

import dev.walrus.kafka.security.ConnectionAuth;

import java.net.InetSocketAddress;

/**
 * What the network layer knows about the connection a request arrived on.
 *
 * @param connectionId unique per connection for the broker's lifetime (fetch sessions and logs use it)
 * @param clientAddress the peer's address
 * @param listenerName the listener the connection came in on, e.g. {@code PLAINTEXT}
 * @param auth the connection's SASL state on a SASL listener (SASL_PLAINTEXT, SASL_SSL), null on others
 */
public record RequestContext(long connectionId, InetSocketAddress clientAddress, String listenerName,
                             ConnectionAuth auth) {

    /** A connection on a listener without SASL. */
    public RequestContext(long connectionId, InetSocketAddress clientAddress, String listenerName) {
        this(connectionId, clientAddress, listenerName, null);
    }
}
