package dev.walrus.broker.embedded;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The broker inside a test JVM.
 *
 * <pre>{@code
 * try (EmbeddedBroker broker = EmbeddedBroker.builder().dataDir(tmp).build().start()) {
 *     props.put("bootstrap.servers", broker.bootstrapServers());
 * }
 * }</pre>
 *
 * <p>CONTRACT (written before the implementation). Port 0 (the default) picks a free port.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private final Map<String, String> properties;

    private EmbeddedBroker(Builder b) {
        this.dataDir = b.dataDir;
        this.port = b.port;
        this.properties = Map.copyOf(b.properties);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds, opens the engine and serves; returns this once clients can connect. */
    public EmbeddedBroker start() {
        throw new UnsupportedOperationException("broker not implemented yet");
    }

    /** {@code 127.0.0.1:PORT} of the bound listener. */
    public String bootstrapServers() {
        throw new UnsupportedOperationException();
    }

    public int port() {
        throw new UnsupportedOperationException();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Graceful stop: stops accepting, finishes in-flight requests, flushes and closes the engine. */
    @Override
    public void close() {
        throw new UnsupportedOperationException();
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
