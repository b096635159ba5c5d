package dev.walrus.broker.net;

import dev.walrus.broker.metrics.RequestMetrics;
import dev.walrus.kafka.security.PeerIdentity;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.Principal;
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
    /** Kafka's connection limits, applied before a connection reads anything. */
    private final ConnectionAdmission admission;

    KafkaChannelInitializer(NetworkSettings settings, RequestHandler handler, RequestMetrics metrics, Connections connections) {
        this.settings = settings;
        this.handler = handler;
        this.metrics = metrics;
        this.connections = connections;
        this.admission = new ConnectionAdmission(handler, this::serve);
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
        admission.arrived(channel, listener);
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
