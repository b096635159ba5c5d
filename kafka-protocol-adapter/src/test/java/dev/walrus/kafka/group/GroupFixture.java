package dev.walrus.kafka.group;

import dev.walrus.engine.Walrus;
import dev.walrus.kafka.config.BrokerSettings;
import dev.walrus.kafka.handlers.ApiHandler;
import dev.walrus.kafka.testing.HandlerCalls;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The group module on a real engine in a temp directory, driven through its handlers the way the network layer
 * does: each request is encoded and decoded at the requested version first, and each response is encoded at that
 * version and decoded again, so a field a version cannot carry fails the test just as it would fail a client.
 */
public final class GroupFixture implements AutoCloseable {

    public static final String HOST = "broker.test";
    public static final int PORT = 19099;

    private final Path dataDir;
    private final Map<String, String> properties;
    private final TestTopics topics;
    private Walrus engine;
    private GroupModule module;
    private final Map<ApiKeys, ApiHandler<?>> handlers = new HashMap<>();
    private final AtomicInteger correlation = new AtomicInteger();

    private GroupFixture(Path dataDir, Map<String, String> properties, TestTopics topics) {
        this.dataDir = dataDir;
        this.properties = properties;
        this.topics = topics;
        start();
    }

    /** Test defaults: sessions may be as short as 100 ms so expiry tests run quickly. */
    public static GroupFixture open(Path dataDir, Map<String, String> overrides) {
        Map<String, String> properties = new HashMap<>();
        properties.put("node.id", "1");
        properties.put("group.min.session.timeout.ms", "100");
        properties.put("group.initial.rebalance.delay.ms", "0");
        properties.putAll(overrides);
        return new GroupFixture(dataDir, properties, new TestTopics());
    }

    public static GroupFixture open(Path dataDir) {
        return open(dataDir, Map.of());
    }

    private void start() {
        engine = Walrus.open(dataDir);
        module = GroupModule.open(engine, BrokerSettings.from(properties), topics,
                dev.walrus.kafka.metadata.BrokerNode.plaintext(BrokerSettings.from(properties).nodeId(), HOST, PORT, null));
        handlers.clear();
        module.handlers().forEach(h -> handlers.put(h.apiKey(), h));
    }

    /** Closes the module and the engine, then opens both again on the same directory (topics are kept). */
    public void restart() {
        module.close();
        engine.close();
        topics.forgetListeners();
        start();
    }

    public TestTopics topics() { return topics; }

    public Walrus engine() { return engine; }

    public GroupModule module() { return module; }

    public boolean handles(ApiKeys key) { return handlers.containsKey(key); }

    /** Sends a request at a version; the future completes with the response as a client would decode it. */
    public <R extends ApiMessage> CompletableFuture<R> send(ApiKeys key, int version, ApiMessage request) {
        ApiHandler<?> handler = handlers.get(key);
        if (handler == null) {
            throw new IllegalStateException("no handler for " + key);
        }
        return HandlerCalls.send(handler, (short) version, request, "test-client", correlation.incrementAndGet());
    }

    /** Sends and waits for the response (at most 10 s: a missing completion is a bug, not slowness). */
    public <R extends ApiMessage> R call(ApiKeys key, int version, ApiMessage request) {
        try {
            return this.<R>send(key, version, request).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no response to " + key + " v" + version, e);
        }
    }

    @Override
    public void close() {
        module.close();
        engine.close();
    }
}
