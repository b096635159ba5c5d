package dev.walrus.broker.net;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.security.ConnectionAuth;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

import java.net.InetSocketAddress;

/**
 * Who is on the other end of a channel, for the adapter ({@link #context()}) and for every log line about it.
 *
 * @param id unique for the broker's lifetime
 */
record Connection(long id, InetSocketAddress peer, String listenerName, RequestContext context) {

    static final AttributeKey<Connection> KEY = AttributeKey.valueOf("walrus.connection");

    /** A new connection on a listener; on a SASL one it starts unauthenticated. */
    static Connection of(long id, InetSocketAddress peer, String listenerName, ListenerSecurity security) {
        ConnectionAuth auth = security.protocol().startsWith("SASL_") ? new ConnectionAuth() : null;
        return new Connection(id, peer, listenerName, new RequestContext(id, peer, listenerName, auth));
    }

    static Connection of(Channel channel) {
        return channel.attr(KEY).get();
    }

    @Override
    public String toString() {
        return "connection " + id + " from " + peer;
    }
}
