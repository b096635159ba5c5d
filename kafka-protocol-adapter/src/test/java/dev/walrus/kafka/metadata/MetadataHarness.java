package dev.walrus.kafka.metadata;

import dev.walrus.engine.Walrus;
import dev.walrus.kafka.config.BrokerSettings;
import dev.walrus.kafka.handlers.ApiHandler;
import dev.walrus.kafka.testing.HandlerCalls;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real engine on a directory with the metadata module on top, and a way to call its handlers as the network layer
 * would: requests and responses pass through their wire encoding at the version asked for, so a field a version
 * cannot carry shows up as it would on the wire.
 */
public final class MetadataHarness implements AutoCloseable {

    public static final String HOST = "broker.test";
    public static final int PORT = 19200;

    private final Path dir;
    private final Map<String, String> properties;
    private Walrus engine;
    private MetadataModule module;
    private int correlationId;

    private MetadataHarness(Path dir, Map<String, String> properties) {
        this.dir = dir;
        this.properties = Map.copyOf(properties);
        start();
    }

    public static MetadataHarness open(Path dir) {
        return new MetadataHarness(dir, Map.of());
    }

    public static MetadataHarness open(Path dir, Map<String, String> properties) {
        return new MetadataHarness(dir, properties);
    }

    private void start() {
        engine = Walrus.open(dir.resolve("data"));
        module = MetadataModule.open(engine, BrokerSettings.from(properties),
                java.util.Map.of("PLAINTEXT", new BrokerNode.Endpoint(HOST, PORT)),
                dev.walrus.kafka.config.BrokerLoggers.NONE);
    }

    /** Closes everything and opens it again on the same directory, as a broker restart does. */
    public MetadataHarness restart() {
        close();
        start();
        return this;
    }

    public MetadataModule module() {
        return module;
    }

    public TopicRegistry registry() {
        return module.registry();
    }

    public Walrus engine() {
        return engine;
    }

    /** Sends the request through its handler at {@code version} and returns the decoded response. */
    public <R extends ApiMessage> R call(ApiMessage request, short version) {
        ApiKeys key = ApiKeys.forId(request.apiKey());
        ApiHandler<?> handler = module.handlers().stream().filter(h -> h.apiKey() == key).findFirst()
                .orElseThrow(() -> new AssertionError("no handler for " + key));
        try {
            return HandlerCalls.<R>send(handler, version, request, "harness", ++correlationId).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("handler for " + key + " v" + version + " failed", e);
        }
    }

    @Override
    public void close() {
        if (module != null) {
            module.close();
            module = null;
        }
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }
}
