package dev.walrus.broker.net;

import dev.walrus.broker.metrics.RequestMetrics;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Netty server: binds every listener (one acceptor and one set of event loops for all), serves each connection through {@link KafkaChannelInitializer}'s pipeline,
 * and stops gracefully (stop accepting, stop reading, let in-flight requests finish for a while, close).
 */
public final class KafkaServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaServer.class);

    private final Transport transport;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final Connections connections;
    /** One bound server channel per listener, in the listeners' order. */
    private final Map<String, Channel> serverChannels;
    private boolean closed;

    private KafkaServer(Transport transport, EventLoopGroup acceptor, EventLoopGroup workers, Connections connections,
                        Map<String, Channel> serverChannels) {
        this.transport = transport;
        this.acceptor = acceptor;
        this.workers = workers;
        this.connections = connections;
        this.serverChannels = serverChannels;
    }

    /**
     * Binds without accepting yet (call {@link #startAccepting()} once the handler is ready); throws
     * {@link BindFailedException}, with nothing left running, if the address cannot be bound.
     */
    public static KafkaServer start(NetworkSettings settings, RequestHandler handler, RequestMetrics metrics) {
        return start(settings, handler, metrics, Transport.best());
    }

    static KafkaServer start(NetworkSettings settings, RequestHandler handler, RequestMetrics metrics, Transport transport) {
        EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("walrus-accept"),
                transport.ioHandlerFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(settings.ioThreads(), new DefaultThreadFactory("walrus-io"),
                transport.ioHandlerFactory());
        Connections connections = new Connections();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, settings.listenBacklog())
                .option(ChannelOption.SO_REUSEADDR, true)
                // Bound but not accepting until startAccepting(): connections wait in the backlog meanwhile.
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(new KafkaChannelInitializer(settings, handler, metrics, connections));
        if (settings.sendBufferBytes() > 0) {
            bootstrap.childOption(ChannelOption.SO_SNDBUF, settings.sendBufferBytes());
        }
        if (settings.receiveBufferBytes() > 0) {
            bootstrap.childOption(ChannelOption.SO_RCVBUF, settings.receiveBufferBytes());
        }
        Map<String, Channel> channels = new LinkedHashMap<>();
        for (Listener listener : settings.listeners()) {
            try {
                Channel channel = bootstrap.bind(listener.bindAddress()).syncUninterruptibly().channel();
                // before any accept: the server channel does not read until startAccepting()
                channel.attr(KafkaChannelInitializer.LISTENER).set(listener);
                channels.put(listener.name(), channel);
            } catch (Exception e) {
                channels.values().forEach(c -> c.close().syncUninterruptibly());
                acceptor.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
                workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
                throw new BindFailedException("Cannot listen on " + describe(listener.bindAddress()) + ": " + reason(e), e);
            }
        }
        return new KafkaServer(transport, acceptor, workers, connections, channels);
    }

    /**
     * Fails with the same {@link BindFailedException} as {@link #start} if {@code address} cannot be bound now: a quick
     * probe with the JDK's own socket (no event loops) so that a port in use is reported before anything else starts.
     * Port 0 always passes (any free port will do).
     */
    public static void checkBindable(InetSocketAddress address) {
        if (address.getPort() == 0) {
            return;
        }
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            probe.bind(address);
        } catch (IOException e) {
            throw new BindFailedException("Cannot listen on " + describe(address) + ": " + reason(e), e);
        }
    }

    /** Accepts connections from now on (those that arrived since the bind wait in the backlog). */
    public KafkaServer startAccepting() {
        serverChannels.values().forEach(c -> c.config().setAutoRead(true));
        return this;
    }

    /** The first listener's bound address. */
    public InetSocketAddress boundAddress() {
        return (InetSocketAddress) serverChannels.values().iterator().next().localAddress();
    }

    /** Each listener's bound address, by listener name, in the listeners' order. */
    public Map<String, InetSocketAddress> boundAddresses() {
        Map<String, InetSocketAddress> bound = new LinkedHashMap<>();
        serverChannels.forEach((name, channel) -> bound.put(name, (InetSocketAddress) channel.localAddress()));
        return bound;
    }

    /** {@code epoll} or {@code nio}. */
    public String transportName() {
        return transport.name();
    }

    /** Requests handed to the adapter and not yet answered, over all connections. */
    public int requestsInFlight() {
        return connections.inFlight();
    }

    /** Open client connections. */
    public int connectionCount() {
        return connections.channels().size();
    }

    /**
     * Stops accepting, stops reading from every connection, waits up to {@code grace} for the requests in flight to
     * be answered, then closes every connection and the event loops.
     */
    public synchronized void close(Duration grace) {
        if (closed) {
            return;
        }
        closed = true;
        serverChannels.values().forEach(c -> c.close().syncUninterruptibly());
        connections.startDraining();
        long deadline = System.nanoTime() + grace.toNanos();
        while (connections.inFlight() > 0 && System.nanoTime() < deadline) {
            sleepBriefly();
        }
        if (connections.inFlight() > 0) {
            log.warn("Closing {} connections with {} requests still in flight after {} ms", connections.channels().size(),
                    connections.inFlight(), grace.toMillis());
        }
        connections.channels().close().awaitUninterruptibly(grace.toMillis(), TimeUnit.MILLISECONDS);
        acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        acceptor.terminationFuture().awaitUninterruptibly(2, TimeUnit.SECONDS);
        workers.terminationFuture().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String describe(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static String reason(Throwable e) {
        String message = String.valueOf(e.getMessage());
        if (message.toLowerCase(Locale.ROOT).contains("address already in use")) {
            return "the port is already in use";
        }
        if (message.toLowerCase(Locale.ROOT).contains("cannot assign requested address")) {
            return "the address is not on this machine";
        }
        return message;
    }
}
