package dev.walrus.broker;

import dev.walrus.broker.config.BrokerConfig;
import dev.walrus.broker.config.ConfigException;
import dev.walrus.broker.config.ListenerAddress;
import dev.walrus.broker.config.ServedListener;
import dev.walrus.broker.config.TlsConfig;
import dev.walrus.broker.logging.LogbackLoggers;
import dev.walrus.broker.metrics.RequestMetrics;
import dev.walrus.broker.net.BindFailedException;
import dev.walrus.broker.net.KafkaServer;
import dev.walrus.broker.net.Listener;
import dev.walrus.broker.net.ListenerSecurity;
import dev.walrus.broker.net.NetworkSettings;
import dev.walrus.broker.net.RequestHandler;
import dev.walrus.broker.net.TlsContexts;
import dev.walrus.engine.Walrus;
import dev.walrus.engine.WalrusConfig;
import dev.walrus.kafka.KafkaAdapter;
import dev.walrus.kafka.quota.ConnectionQuotas;
import dev.walrus.kafka.config.BrokerLoggers;
import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.metadata.BrokerNode;
import dev.walrus.kafka.security.SslPrincipalMapping;
import dev.walrus.kafka.ResponseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A running broker: the listener, the engine and the Kafka adapter, started in the order that fails fastest and
 * stopped in the order that loses nothing.
 *
 * <p>Start: check that the port is free (a port in use fails before any data is touched), then bind the listener
 * without accepting on its own thread while the engine opens on this one, open the adapter with the address clients
 * should use (known only once bound, for port 0), then accept.
 * Stop: stop accepting and reading, let requests in flight finish, close the connections, the adapter, then flush
 * and close the engine.
 */
public final class Broker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Broker.class);

    private final BrokerConfig config;
    private final KafkaServer server;
    private final Walrus engine;
    private final KafkaAdapter adapter;
    private final RequestMetrics metrics;
    private final String advertisedHost;
    private final int advertisedPort;
    private boolean closed;

    private Broker(BrokerConfig config, KafkaServer server, Walrus engine, KafkaAdapter adapter, RequestMetrics metrics,
                   String advertisedHost, int advertisedPort) {
        this.config = config;
        this.server = server;
        this.engine = engine;
        this.adapter = adapter;
        this.metrics = metrics;
        this.advertisedHost = advertisedHost;
        this.advertisedPort = advertisedPort;
    }

    /** Starts a broker; on failure everything already opened is closed again and the exception says why in one line. */
    public static Broker start(BrokerConfig config) {
        long begin = System.nanoTime();
        StartWarmUp.startInBackground();
        RequestMetrics metrics = new RequestMetrics();
        AdapterHandler handler = new AdapterHandler();
        NetworkSettings network;
        try {
            network = networkSettings(config);
        } catch (ConfigException e) {
            throw new BrokerStartException(e.getMessage(), e);
        }
        try {
            for (Listener listener : network.listeners()) {
                KafkaServer.checkBindable(listener.bindAddress());
            }
        } catch (BindFailedException e) {
            throw new BrokerStartException(e.getMessage(), e);
        }
        // Netty's start (event loops, native transport: ~50 ms of a cold JVM) and the engine's recovery do not depend
        // on each other: the listener binds on its own thread while this one opens the engine.
        BackgroundBind binding = BackgroundBind.start(network, handler, metrics);
        Walrus engine = null;
        KafkaServer server = null;
        try {
            engine = openEngine(config);
            long engineOpened = System.nanoTime();
            server = binding.await();
            Map<String, BrokerNode.Endpoint> endpoints = new LinkedHashMap<>();
            for (ServedListener listener : config.listeners()) {
                InetSocketAddress bound = server.boundAddresses().get(listener.name());
                endpoints.put(listener.name(), new BrokerNode.Endpoint(advertisedHost(listener, bound),
                        listener.advertised().map(ListenerAddress::port).filter(p -> p != 0).orElse(bound.getPort())));
            }
            String host = endpoints.values().iterator().next().host();
            int port = endpoints.values().iterator().next().port();
            KafkaAdapter adapter;
            try {
                adapter = KafkaAdapter.open(engine, config.adapterProperties(), endpoints, processLoggers());
            } catch (RuntimeException e) {
                throw new BrokerStartException("Cannot start the Kafka protocol adapter: " + e.getMessage(), e);
            }
            for (ServedListener listener : config.listeners()) {
                if (listener.securityProtocol().startsWith("SASL_")) {
                    adapter.prepareSaslListener(listener.name());
                }
            }
            handler.adapter = adapter;
            server.startAccepting();
            long adapterOpened = System.nanoTime();
            log.info("Listening on {} ({}), advertised as {}, data in {} (bind {} ms alongside engine {} ms, adapter "
                    + "{} ms)", describe(server.boundAddresses()), server.transportName(), describeEndpoints(endpoints),
                    config.dataDir(),
                    binding.millis(), millis(begin, engineOpened), millis(Math.max(engineOpened, binding.doneAt()),
                    adapterOpened));
            return new Broker(config, server, engine, adapter, metrics, host, port);
        } catch (RuntimeException e) {
            if (server == null) {
                server = binding.awaitQuietly();
            }
            if (server != null) {
                server.close(Duration.ZERO);
            }
            if (engine != null) {
                closeQuietly(engine);
            }
            throw e instanceof BrokerStartException ? e : new BrokerStartException(e.getMessage(), e);
        }
    }

    /** The listener being bound on a thread of its own; {@link #await} hands over the server or the bind failure. */
    private static final class BackgroundBind {
        private final CompletableFuture<KafkaServer> server = new CompletableFuture<>();
        private final long begin = System.nanoTime();
        private volatile long doneAt;

        static BackgroundBind start(NetworkSettings network, RequestHandler handler, RequestMetrics metrics) {
            BackgroundBind bind = new BackgroundBind();
            Thread thread = new Thread(() -> {
                KafkaServer started;
                try {
                    started = KafkaServer.start(network, handler, metrics);
                } catch (Throwable e) {
                    bind.doneAt = System.nanoTime();
                    bind.server.completeExceptionally(e);
                    return;
                }
                bind.doneAt = System.nanoTime(); // before the hand-over: the waiting thread reads it next
                bind.server.complete(started);
            }, "walrus-bind");
            thread.setDaemon(true);
            thread.start();
            return bind;
        }

        KafkaServer await() {
            try {
                return server.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof BindFailedException bindFailed) {
                    throw new BrokerStartException(bindFailed.getMessage(), bindFailed);
                }
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }

        /** The server if the bind succeeded (waiting for it to finish), else null. */
        KafkaServer awaitQuietly() {
            try {
                return server.join();
            } catch (RuntimeException e) {
                return null;
            }
        }

        long doneAt() { return doneAt; }

        long millis() { return (doneAt - begin) / 1_000_000; }
    }

    public InetSocketAddress boundAddress() {
        return server.boundAddress();
    }

    /**
     * {@code host:port} a client on this machine can bootstrap from: the first listener's bound address
     * ({@code 127.0.0.1} for a wildcard).
     */
    public String bootstrapServers() {
        return bootstrapServers(server.boundAddress());
    }

    /** As {@link #bootstrapServers()}, for the listener of that name. */
    public String bootstrapServers(String listenerName) {
        InetSocketAddress bound = server.boundAddresses().get(listenerName);
        if (bound == null) {
            throw new IllegalArgumentException("no listener named " + listenerName + "; listeners: "
                    + server.boundAddresses().keySet());
        }
        return bootstrapServers(bound);
    }

    private static String bootstrapServers(InetSocketAddress bound) {
        InetAddress address = bound.getAddress();
        String host = address == null || address.isAnyLocalAddress() ? "127.0.0.1" : address.getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort();
    }

    public String advertisedHost() { return advertisedHost; }

    public int advertisedPort() { return advertisedPort; }

    public RequestMetrics metrics() { return metrics; }

    public BrokerConfig config() { return config; }

    /** The network layer, for its counters (connections, requests in flight). */
    public KafkaServer server() { return server; }

    /** Graceful stop; nothing acknowledged is lost: the engine is flushed before it closes. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long start = System.nanoTime();
        try {
            server.close(Duration.ofMillis(config.shutdownTimeoutMs()));
        } catch (RuntimeException e) {
            log.warn("Stopping the network layer failed", e);
        }
        try {
            adapter.close();
        } catch (RuntimeException e) {
            log.warn("Closing the Kafka adapter failed", e);
        }
        try {
            engine.flush();
        } catch (RuntimeException e) {
            log.error("Flushing the engine at shutdown failed", e);
        }
        closeQuietly(engine);
        log.info("Requests served: {}", metrics.summary());
        log.info("Walrus Broker stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
    }

    // ---- start-up steps ----------------------------------------------------------------------------------------------

    private static NetworkSettings networkSettings(BrokerConfig config) {
        List<Listener> listeners = new ArrayList<>();
        for (ServedListener listener : config.listeners()) {
            if (listener.securityProtocol().startsWith("SASL_")) {
                try {
                    KafkaAdapter.checkSaslListener(listener.name(), config.adapterProperties());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(e.getMessage(), e);
                }
            }
            ListenerSecurity security = new ListenerSecurity(listener.securityProtocol(),
                    listener.tls().map(TlsContexts::server).orElse(null),
                    listener.tls().map(TlsConfig::principalMapping).orElse(SslPrincipalMapping.DEFAULT));
            listeners.add(new Listener(listener.name(), bindAddress(listener.address()), security));
        }
        return new NetworkSettings(listeners, config.socketRequestMaxBytes(), config.connectionsMaxIdleMs(),
                config.maxInFlightPerConnection(), config.socketSendBufferBytes(), config.socketReceiveBufferBytes(),
                config.listenBacklog(), config.networkThreads(), config.saslMaxReceiveBytes());
    }

    private static String describe(Map<String, InetSocketAddress> bound) {
        List<String> parts = new ArrayList<>();
        bound.forEach((name, address) -> parts.add(name + " " + describe(address)));
        return String.join(", ", parts);
    }

    private static String describeEndpoints(Map<String, BrokerNode.Endpoint> endpoints) {
        List<String> parts = new ArrayList<>();
        endpoints.forEach((name, e) -> parts.add(e.host() + ":" + e.port()));
        return String.join(", ", parts);
    }

    /** Every interface for an empty host; the loopback address for {@code localhost} (127.0.0.1, not ::1). */
    private static InetSocketAddress bindAddress(ListenerAddress listener) {
        if (listener.isWildcard()) {
            return new InetSocketAddress(listener.port());
        }
        if (listener.host().equalsIgnoreCase("localhost")) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.port());
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(listener.host()), listener.port());
        } catch (UnknownHostException e) {
            throw new BrokerStartException("Cannot listen on " + listener + ": unknown host " + listener.host(), e);
        }
    }

    /**
     * What Metadata tells clients: the host of {@code advertised.listeners} if given (the machine's name for an empty
     * one, as Kafka); else from the bound listener: the numeric loopback address for {@code localhost} (clients that
     * try ::1 first then still connect), the machine's name for a wildcard listener (as Kafka), else its host.
     */
    private static String advertisedHost(ServedListener served, InetSocketAddress bound) {
        if (served.advertised().isPresent()) {
            ListenerAddress advertised = served.advertised().get();
            return advertised.host().isEmpty() ? localHostName() : advertised.host();
        }
        ListenerAddress listener = served.address();
        if (listener.isWildcard()) {
            return localHostName();
        }
        if (listener.host().equalsIgnoreCase("localhost")) {
            return bound.getAddress().getHostAddress();
        }
        return listener.host();
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    private static Walrus openEngine(BrokerConfig config) {
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new BrokerStartException("Cannot create the data directory " + config.dataDir() + ": " + e, e);
        }
        WalrusConfig.Builder engineConfig = WalrusConfig.builder().dataDir(config.dataDir());
        // A batch of message.max.bytes must fit in one engine entry (a record batch is one entry).
        config.messageMaxBytes()
                .filter(max -> max > WalrusConfig.DEFAULT_MAX_ENTRY_SIZE - 1024)
                .ifPresent(max -> engineConfig.maxEntrySize(max + 1024));
        try {
            return Walrus.open(engineConfig.build());
        } catch (RuntimeException e) {
            throw new BrokerStartException("Cannot open the data directory " + config.dataDir() + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(Walrus engine) {
        try {
            engine.close();
        } catch (RuntimeException e) {
            log.warn("Closing the engine failed", e);
        }
    }

    private static long millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }

    private static String describe(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** The network layer's view of the adapter; set before the listener starts accepting. */
    /**
     * The loggers clients may describe and change (Kafka's BROKER_LOGGER resource): logback's, unless an application
     * that embeds the broker logs through another backend (then none, as Kafka without log4j).
     */
    private static BrokerLoggers processLoggers() {
        try {
            return LogbackLoggers.ofProcess();
        } catch (LinkageError noLogback) {
            return BrokerLoggers.NONE;
        }
    }

    private static final class AdapterHandler implements RequestHandler {
        volatile KafkaAdapter adapter;

        @Override
        public CompletableFuture<ResponseFrame> handle(RequestContext context, ByteBuffer frame) {
            return adapter.handle(context, frame);
        }

        @Override
        public void connectionClosed(long connectionId) {
            adapter.connectionClosed(connectionId);
        }

        @Override
        public ConnectionQuotas.Admission admitConnection(String listener, InetAddress address, boolean rateRecorded) {
            return adapter.connectionQuotas().admit(listener, address, rateRecorded);
        }

        @Override
        public void connectionReleased(String listener, InetAddress address) {
            adapter.connectionQuotas().released(listener, address);
        }
    }
}
