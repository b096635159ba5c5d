package dev.walrus.broker.embedded;

import dev.walrus.broker.Broker;
import dev.walrus.broker.config.BrokerConfig;
import dev.walrus.broker.config.ConfigOverrides;
import dev.walrus.broker.metrics.RequestMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The broker inside a test JVM.
 *
 * <pre>{@code
 * try (EmbeddedBroker broker = EmbeddedBroker.builder().dataDir(tmp).build().start()) {
 *     props.put("bootstrap.servers", broker.bootstrapServers());
 * }
 * }</pre>
 *
 * <p>Port 0 (the default) picks a free port. The listener is {@code 127.0.0.1} unless a {@code listeners} property
 * says otherwise (its port is then replaced by {@link Builder#port}, when one is set). Without a data directory a
 * fresh temporary one is used. The same {@link Broker} as the process runs inside: same network layer, adapter and
 * engine; only the command line is missing.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final Path dataDir;
    private final int port;
    private final Map<String, String> properties;
    private Broker broker;

    private EmbeddedBroker(Builder b) {
        this.dataDir = b.dataDir != null ? b.dataDir : temporaryDataDir();
        this.port = b.port;
        this.properties = Map.copyOf(b.properties);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds, opens the engine and serves; returns this once clients can connect. */
    public synchronized EmbeddedBroker start() {
        if (broker != null) {
            throw new IllegalStateException("already started");
        }
        long begin = System.nanoTime();
        Map<String, String> given = new HashMap<>(properties);
        given.putIfAbsent(BrokerConfig.LISTENERS, "PLAINTEXT://127.0.0.1:0");
        Map<String, String> merged = ConfigOverrides.merge(Optional.empty(), given, Optional.of(dataDir),
                Optional.empty(), port != 0 || !properties.containsKey(BrokerConfig.LISTENERS) ? Optional.of(port) : Optional.empty());
        broker = Broker.start(BrokerConfig.from(merged));
        log.info("Embedded Walrus Broker started on {} in {} ms", broker.bootstrapServers(), (System.nanoTime() - begin) / 1_000_000);
        return this;
    }

    /** {@code 127.0.0.1:PORT} of the bound listener. */
    public String bootstrapServers() {
        return running().bootstrapServers();
    }

    /** {@code 127.0.0.1:PORT} of the listener of that name (a broker started with several {@code listeners}). */
    public String bootstrapServers(String listenerName) {
        return running().bootstrapServers(listenerName);
    }

    public int port() {
        return running().boundAddress().getPort();
    }

    /** Requests served per Kafka API, with latencies. */
    public RequestMetrics metrics() {
        return running().metrics();
    }

    /** The running broker, for its counters. */
    public Broker broker() {
        return running();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Graceful stop: stops accepting, finishes in-flight requests, flushes and closes the engine. */
    @Override
    public synchronized void close() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    private synchronized Broker running() {
        if (broker == null) {
            throw new IllegalStateException("the embedded broker is not running (call start())");
        }
        return broker;
    }

    private static Path temporaryDataDir() {
        try {
            return Files.createTempDirectory("walrus-embedded-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary data directory", e);
        }
    }

    public static final class Builder {
        private Path dataDir;
        private int port;
        private final Map<String, String> properties = new HashMap<>();

        private Builder() {}

        public Builder dataDir(Path dataDir) { this.dataDir = dataDir; return this; }

        public Builder port(int port) { this.port = port; return this; }

        /** Any {@code server.properties} key, e.g. {@code num.partitions}. */
        public Builder property(String key, String value) { properties.put(key, value); return this; }

        public EmbeddedBroker build() { return new EmbeddedBroker(this); }
    }
}
