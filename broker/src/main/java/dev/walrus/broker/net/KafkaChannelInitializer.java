package dev.walrus.broker.net;

import dev.walrus.broker.metrics.RequestMetrics;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;

import java.util.concurrent.TimeUnit;

/**
 * Builds each connection's pipeline: TLS on an SSL listener, idle timer, frame decoder, request dispatcher. The
 * listener is the one whose server channel accepted the connection.
 */
final class KafkaChannelInitializer extends ChannelInitializer<SocketChannel> {

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
        channel.attr(Connection.KEY).set(Connection.of(connections.nextId(), channel.remoteAddress(), listener.name(),
                listener.security()));
        connections.add(channel);
        if (connections.draining()) {
            channel.config().setAutoRead(false);
        }
        ChannelPipeline pipeline = channel.pipeline();
        if (listener.security().tls() != null) {
            pipeline.addLast("tls", listener.security().tls().newHandler(channel.alloc()));
        }
        if (settings.idleTimeoutMs() >= 0) {
            pipeline.addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeoutMs(), TimeUnit.MILLISECONDS));
        }
        pipeline.addLast("frames", new FrameDecoder(settings.maxRequestBytes(), settings.saslMaxReceiveBytes()));
        pipeline.addLast("dispatcher", new RequestDispatcher(handler, metrics, connections,
                settings.maxInFlightPerConnection(), settings.idleTimeoutMs()));
    }
}
