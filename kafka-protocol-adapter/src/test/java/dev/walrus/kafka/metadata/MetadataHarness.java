package dev.walrus.kafka.metadata;

import dev.walrus.engine.Walrus;
import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.config.BrokerSettings;
import dev.walrus.kafka.handlers.ApiHandler;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.RequestHeader;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
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
        module = MetadataModule.open(engine, BrokerSettings.from(properties), HOST, PORT);
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
    @SuppressWarnings("unchecked")
    public <R extends ApiMessage> R call(ApiMessage request, short version) {
        ApiKeys key = ApiKeys.forId(request.apiKey());
        ApiHandler<ApiMessage> handler = (ApiHandler<ApiMessage>) module.handlers().stream()
                .filter(h -> h.apiKey() == key).findFirst()
                .orElseThrow(() -> new AssertionError("no handler for " + key));
        ApiMessage decodedRequest = ApiMessageType.fromApiKey(key.id).newRequest();
        decodedRequest.read(new ByteBufferAccessor(encode(request, version)), version);
        RequestHeader header = new RequestHeader(key, version, "harness", ++correlationId);
        RequestContext context = new RequestContext(1, new InetSocketAddress("127.0.0.1", 50000), "PLAINTEXT");
        ApiMessage response;
        try {
            response = handler.handle(header, decodedRequest, context).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("handler for " + key + " v" + version + " failed", e);
        }
        ByteBuffer encoded = encode(response, version);
        ApiMessage decodedResponse = ApiMessageType.fromApiKey(key.id).newResponse();
        decodedResponse.read(new ByteBufferAccessor(encoded), version);
        return (R) decodedResponse;
    }

    private static ByteBuffer encode(Message message, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ByteBuffer buffer = ByteBuffer.allocate(message.size(cache, version));
        message.write(new ByteBufferAccessor(buffer), cache, version);
        return buffer.flip();
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
