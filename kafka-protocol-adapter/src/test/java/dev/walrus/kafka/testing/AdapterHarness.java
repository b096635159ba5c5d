package dev.walrus.kafka.testing;

import dev.walrus.engine.Walrus;
import dev.walrus.kafka.KafkaAdapter;
import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.authz.Authorizer;
import dev.walrus.kafka.security.PeerIdentity;
import dev.walrus.kafka.ResponseFrame;
import dev.walrus.kafka.config.BrokerLoggers;
import dev.walrus.kafka.metadata.BrokerNode;
import dev.walrus.kafka.metadata.TopicInfo;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageSizeAccumulator;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real engine on a temp directory and the real adapter over it (metadata and group modules included), opened as
 * the broker opens it; requests are frames encoded from kafka-clients' generated message classes, exactly as a
 * client puts them on the wire, and responses are parsed back by kafka-clients. No network: the frames go straight
 * into {@link KafkaAdapter#handle}. Topics are created with CreateTopics requests, like an admin client does.
 */
public final class AdapterHarness implements AutoCloseable {

    public static final String CLIENT_ID = "harness-client";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Path dataDir;
    private final Map<String, String> brokerProperties;
    private final int advertisedPort;
    private final BrokerLoggers loggers;
    private final AtomicInteger correlation = new AtomicInteger();
    private Walrus engine;
    private KafkaAdapter adapter;
    private long connectionId = 1;
    private PeerIdentity peer = new PeerIdentity();

    public AdapterHarness(Path dataDir) {
        this(dataDir, Map.of());
    }

    public AdapterHarness(Path dataDir, Map<String, String> brokerProperties) {
        this(dataDir, brokerProperties, 9092);
    }

    public AdapterHarness(Path dataDir, Map<String, String> brokerProperties, int advertisedPort) {
        this(dataDir, brokerProperties, advertisedPort, BrokerLoggers.NONE);
    }

    /** An adapter that shows and changes {@code loggers} as this broker's BROKER_LOGGER resource. */
    public AdapterHarness(Path dataDir, Map<String, String> brokerProperties, BrokerLoggers loggers) {
        this(dataDir, brokerProperties, 9092, loggers);
    }

    private AdapterHarness(Path dataDir, Map<String, String> brokerProperties, int advertisedPort,
                           BrokerLoggers loggers) {
        this.dataDir = dataDir;
        this.brokerProperties = brokerProperties;
        this.advertisedPort = advertisedPort;
        this.loggers = loggers;
        start();
    }

    private void start() {
        engine = Walrus.open(dataDir);
        adapter = KafkaAdapter.open(engine, brokerProperties,
                Map.of("PLAINTEXT", new BrokerNode.Endpoint("127.0.0.1", advertisedPort)), loggers);
    }

    /** Closes the adapter and the engine, and opens both again on the same data directory. */
    public void restart() {
        adapter.close();
        engine.close();
        start();
    }

    public KafkaAdapter adapter() { return adapter; }

    public Walrus engine() { return engine; }

    public TopicInfo createTopic(String name, int partitions) {
        return createTopic(name, partitions, Map.of());
    }

    /** Creates a topic with a CreateTopics request, as an admin client does, and returns it with its new ID. */
    public TopicInfo createTopic(String name, int partitions, Map<String, String> configs) {
        CreateTopicsRequestData.CreatableTopic topic = new CreateTopicsRequestData.CreatableTopic()
                .setName(name).setNumPartitions(partitions).setReplicationFactor((short) 1);
        configs.forEach((k, v) -> topic.configs().add(
                new CreateTopicsRequestData.CreatableTopicConfig().setName(k).setValue(v)));
        CreateTopicsRequestData.CreatableTopicCollection topics = new CreateTopicsRequestData.CreatableTopicCollection();
        topics.add(topic);
        CreateTopicsResponse response = send(ApiKeys.CREATE_TOPICS, (short) 7,
                new CreateTopicsRequestData().setTopics(topics).setTimeoutMs(30_000));
        CreateTopicsResponseData.CreatableTopicResult result = response.data().topics().find(name);
        if (result.errorCode() != Errors.NONE.code()) {
            throw new AssertionError("could not create " + name + ": " + Errors.forCode(result.errorCode()) + " " + result.errorMessage());
        }
        return new TopicInfo(name, result.topicId(), partitions, configs);
    }

    /** Whether the broker knows a topic (a Metadata request that does not auto-create). */
    public boolean topicExists(String name) {
        MetadataResponse response = send(ApiKeys.METADATA, (short) 12, new MetadataRequestData()
                .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName(name)))
                .setAllowAutoTopicCreation(false));
        return response.data().topics().find(name).errorCode() == Errors.NONE.code();
    }

    public RequestContext context() {
        return new RequestContext(connectionId, new InetSocketAddress("127.0.0.1", 40000), "PLAINTEXT", null, peer,
                Authorizer.NONE);
    }

    /**
     * Sends the following requests as {@code User:<name>} (as an SSL client whose certificate subject is the name;
     * {@link #actAsAnonymous()} goes back). Authorization tests start the harness with {@code authorizer.class.name}.
     */
    public void actAs(String name) {
        peer = new PeerIdentity();
        peer.certificateSubject(name);
    }

    public void actAsAnonymous() {
        peer = new PeerIdentity();
    }

    /** Encodes a request frame (without the size prefix) as a client does. */
    public ByteBuffer frame(ApiKeys key, short version, ApiMessage body) {
        return frame(key, version, body, correlation.incrementAndGet());
    }

    public static ByteBuffer frame(ApiKeys key, short version, ApiMessage body, int correlationId) {
        RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(key.id).setRequestApiVersion(version)
                .setClientId(CLIENT_ID).setCorrelationId(correlationId);
        short headerVersion = key.requestHeaderVersion(version);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        MessageSizeAccumulator size = new MessageSizeAccumulator();
        header.addSize(size, cache, headerVersion);
        body.addSize(size, cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(size.totalSize());
        ByteBufferAccessor out = new ByteBufferAccessor(buffer);
        header.write(out, cache, headerVersion);
        body.write(out, cache, version);
        return buffer.flip();
    }

    /** Sends a request and waits for its response frame. */
    public ResponseFrame sendRaw(ByteBuffer frame) {
        return await(adapter.handle(context(), frame));
    }

    public CompletableFuture<ResponseFrame> sendAsync(ApiKeys key, short version, ApiMessage body) {
        return adapter.handle(context(), frame(key, version, body));
    }

    /** Sends a request and parses the response with kafka-clients at the request's version. */
    @SuppressWarnings("unchecked")
    public <R extends AbstractResponse> R send(ApiKeys key, short version, ApiMessage body) {
        int correlationId = correlation.incrementAndGet();
        ResponseFrame frame = await(adapter.handle(context(), frame(key, version, body, correlationId)));
        return (R) parse(frame, key, version, correlationId);
    }

    /** Joins the response buffers, checks the size prefix and parses header and body. */
    public static AbstractResponse parse(ResponseFrame frame, ApiKeys key, short version, int correlationId) {
        if (!(frame instanceof ResponseFrame.Send send)) {
            throw new AssertionError("expected a response, got " + frame);
        }
        ByteBuffer joined = joined(send);
        int size = joined.getInt();
        if (size != joined.remaining()) {
            throw new AssertionError("size prefix " + size + " but " + joined.remaining() + " bytes follow");
        }
        RequestHeader header = new RequestHeader(key, version, CLIENT_ID, correlationId);
        AbstractResponse response = AbstractResponse.parseResponse(joined, header);
        send.release().run();
        return response;
    }

    public static ByteBuffer joined(ResponseFrame.Send send) {
        int total = send.buffers().stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer joined = ByteBuffer.allocate(total);
        send.buffers().forEach(b -> joined.put(b.duplicate()));
        return joined.flip();
    }

    public static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("no response within " + TIMEOUT, e);
        }
    }

    @Override
    public void close() {
        adapter.close();
        engine.close();
    }
}
