package dev.walrus.broker.net;

import dev.walrus.broker.metrics.RequestMetrics;
import dev.walrus.kafka.quota.ConnectionQuotas;
import dev.walrus.kafka.security.PeerIdentity;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.security.Principal;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;

/**
 * Builds each connection's pipeline: TLS on an SSL listener, idle timer, frame decoder, request dispatcher. The
 * listener is the one whose server channel accepted the connection.
 */
final class KafkaChannelInitializer extends ChannelInitializer<SocketChannel> {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaChannelInitializer.class);

    private final NetworkSettings settings;
    private final RequestHandler handler;
    private final RequestMetrics metrics;
    private final Connections connections;

    KafkaChannelInitializer(NetworkSettings settings, RequestHandler handler, RequestMetrics metrics, Connections connections) {
        this.settings = settings;
        this.handler = handler;
        this.metrics = metrics;
        this.connections = connections;
    }

    /** Set on each bound server channel: the listener its connections came in on. */
    static final AttributeKey<Listener> LISTENER = AttributeKey.valueOf("walrus.listener");

    @Override
    protected void initChannel(SocketChannel channel) {
        Listener listener = channel.parent().attr(LISTENER).get();
        Connection connection = Connection.of(connections.nextId(), channel.remoteAddress(), listener.name(),
                listener.security());
        channel.attr(Connection.KEY).set(connection);
        connections.add(channel);
        channel.config().setAutoRead(false); // nothing is read before the connection limits let it in
        admit(channel, listener);
    }

    /**
     * Kafka's connection limits ({@link ConnectionQuotas}): an admitted connection is served and released when it
     * closes; one over its IP's maximum is closed at once, one over its IP's creation rate after the throttle time;
     * at {@code max.connections} it waits, unread, until another connection closes, as in Kafka's accept backlog.
     */
    private void admit(SocketChannel channel, Listener listener) {
        InetAddress address = channel.remoteAddress().getAddress();
        ConnectionQuotas.Admission admission;
        synchronized (waiting) {
            // decided and, at capacity, queued in one step with respect to releases: a release in between would
            // find no one waiting and leave this connection waiting for the next one
            admission = handler.admitConnection(listener.name(), address);
            if (admission instanceof ConnectionQuotas.Admission.AtCapacity) {
                waiting.add(new Waiting(channel, listener));
            }
        }
        switch (admission) {
            case ConnectionQuotas.Admission.Admitted admitted -> {
                channel.closeFuture().addListener(closed -> released(listener.name(), address));
                serve(channel, listener);
            }
            case ConnectionQuotas.Admission.Refused refused -> {
                LOG.info("Rejected connection from {}, address already has the configured maximum of {} connections.",
                        address, refused.max());
                channel.close();
            }
            case ConnectionQuotas.Admission.Throttled throttled -> {
                LOG.debug("Throttling connection from {} for {} ms (connection_creation_rate), then closing it",
                        address, throttled.closeAfterMs());
                channel.eventLoop().schedule(() -> channel.close(), throttled.closeAfterMs(), TimeUnit.MILLISECONDS);
            }
            case ConnectionQuotas.Admission.AtCapacity full ->
                LOG.debug("Holding a connection from {}: max.connections ({}) reached", address, full.max());
        }
    }

    private record Waiting(SocketChannel channel, Listener listener) {}

    /** Connections held at max.connections, oldest first; guards the admission decisions too (see {@link #admit}). */
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();

    /** An admitted connection closed: its place goes to the oldest connection still waiting, on that one's event loop. */
    private void released(String listener, InetAddress address) {
        Waiting next;
        synchronized (waiting) {
            handler.connectionReleased(listener, address);
            while ((next = waiting.poll()) != null && !next.channel().isActive()) {
                // its client gave up waiting
            }
        }
        if (next != null) {
            Waiting held = next;
            held.channel().eventLoop().execute(() -> admit(held.channel(), held.listener()));
        }
    }

    /** The pipeline of an admitted connection; it reads from now on (unless the server drains). */
    private void serve(SocketChannel channel, Listener listener) {
        Connection connection = channel.attr(Connection.KEY).get();
        ChannelPipeline pipeline = channel.pipeline();
        if (listener.security().tls() != null) {
            SslHandler tls = listener.security().tls().newHandler(channel.alloc());
            pipeline.addLast("tls", tls);
            // completes on this event loop before the first request's bytes are decoded
            tls.handshakeFuture().addListener(handshake -> {
                if (handshake.isSuccess() && !nameClient(tls.engine().getSession(), connection.context().peer(),
                        listener.security())) {
                    channel.close();
                }
            });
        }
        if (settings.idleTimeoutMs() >= 0) {
            pipeline.addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeoutMs(), TimeUnit.MILLISECONDS));
        }
        pipeline.addLast("frames", new FrameDecoder(settings.maxRequestBytes(), settings.saslMaxReceiveBytes()));
        pipeline.addLast("dispatcher", new RequestDispatcher(handler, metrics, connections,
                settings.maxInFlightPerConnection(), settings.idleTimeoutMs()));
        if (!connections.draining()) {
            channel.config().setAutoRead(true);
        }
    }

    /**
     * A client that presented a certificate is named by its subject, through the listener's
     * {@code ssl.principal.mapping.rules}, as Kafka's default principal builder names it (on SASL_SSL the SASL user is
     * the principal, so the rules do not apply there). False when no rule gives the subject a name: Kafka then fails
     * the connection's requests, here the connection is closed at once.
     */
    private static boolean nameClient(SSLSession session, PeerIdentity peer, ListenerSecurity security) {
        Principal subject;
        try {
            subject = session.getPeerPrincipal();
        } catch (SSLPeerUnverifiedException e) {
            return true;   // no client certificate (ssl.client.auth none or requested): User:ANONYMOUS, as in Kafka
        }
        if (!(subject instanceof X500Principal x500)) {
            return true;
        }
        String distinguishedName = x500.getName();
        if (security.protocol().equals("SASL_SSL")) {
            peer.certificateSubject(distinguishedName);
            return true;
        }
        Optional<String> name = security.principalMapping().nameOf(distinguishedName);
        if (name.isEmpty()) {
            LOG.warn("Closing a connection from a client whose certificate subject no ssl.principal.mapping.rules "
                    + "maps: no rules apply to {}, rules [{}]", distinguishedName, security.principalMapping());
            return false;
        }
        peer.certificateSubject(name.get());
        return true;
    }
}
