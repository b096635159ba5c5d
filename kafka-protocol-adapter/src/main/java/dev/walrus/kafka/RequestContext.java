package dev.walrus.kafka;

import java.net.InetSocketAddress;

/**
 * What the network layer knows about the connection a request arrived on.
 *
 * @param connectionId unique per connection for the broker's lifetime (fetch sessions and logs use it)
 * @param clientAddress the peer's address
 * @param listenerName the listener the connection came in on, e.g. {@code PLAINTEXT}
 */
public record RequestContext(long connectionId, InetSocketAddress clientAddress, String listenerName) {}
