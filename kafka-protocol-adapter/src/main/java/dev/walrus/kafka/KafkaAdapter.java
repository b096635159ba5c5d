package dev.walrus.kafka;

import dev.walrus.engine.Walrus;
import dev.walrus.kafka.authz.Authorizer;
import dev.walrus.kafka.config.BrokerLoggers;
import dev.walrus.kafka.config.BrokerSettings;
import dev.walrus.kafka.fetch.FetchParking;
import dev.walrus.kafka.fetch.FetchSessionCache;
import dev.walrus.kafka.group.GroupModule;
import dev.walrus.kafka.group.offsets.OffsetsTopic;
import dev.walrus.kafka.group.streams.StreamsInternalTopics;
import dev.walrus.kafka.handlers.AlterClientQuotasHandler;
import dev.walrus.kafka.handlers.AlterReplicaLogDirsHandler;
import dev.walrus.kafka.handlers.AlterUserScramCredentialsHandler;
import dev.walrus.kafka.handlers.ApiHandler;
import dev.walrus.kafka.handlers.ApiHandlers;
import dev.walrus.kafka.handlers.ApiVersionsHandler;
import dev.walrus.kafka.handlers.CreateAclsHandler;
import dev.walrus.kafka.handlers.CreateDelegationTokenHandler;
import dev.walrus.kafka.handlers.DeleteAclsHandler;
import dev.walrus.kafka.handlers.DeleteRecordsHandler;
import dev.walrus.kafka.handlers.DescribeAclsHandler;
import dev.walrus.kafka.handlers.DescribeClientQuotasHandler;
import dev.walrus.kafka.handlers.DescribeDelegationTokenHandler;
import dev.walrus.kafka.handlers.DescribeLogDirsHandler;
import dev.walrus.kafka.handlers.DescribeProducersHandler;
import dev.walrus.kafka.handlers.DescribeUserScramCredentialsHandler;
import dev.walrus.kafka.handlers.ExpireDelegationTokenHandler;
import dev.walrus.kafka.handlers.FetchHandler;
import dev.walrus.kafka.handlers.InitProducerIdHandler;
import dev.walrus.kafka.handlers.ListConfigResourcesHandler;
import dev.walrus.kafka.handlers.ListOffsetsHandler;
import dev.walrus.kafka.handlers.OffsetForLeaderEpochHandler;
import dev.walrus.kafka.handlers.ProduceHandler;
import dev.walrus.kafka.handlers.RenewDelegationTokenHandler;
import dev.walrus.kafka.handlers.SaslAuthenticateHandler;
import dev.walrus.kafka.handlers.SaslHandshakeHandler;
import dev.walrus.kafka.handlers.WriteTxnMarkersHandler;
import dev.walrus.kafka.log.PartitionLogs;
import dev.walrus.kafka.metadata.BrokerNode;
import dev.walrus.kafka.metadata.DelegationTokenIssuer;
import dev.walrus.kafka.metadata.DelegationTokenSweeper;
import dev.walrus.kafka.metadata.MetadataModule;
import dev.walrus.kafka.metadata.TopicRegistry;
import dev.walrus.kafka.metadata.Topics;
import dev.walrus.kafka.producer.ProducerIdAllocator;
import dev.walrus.kafka.quota.ByteRateThrottle;
import dev.walrus.kafka.quota.ConnectionQuotas;
import dev.walrus.kafka.quota.RequestTimeThrottle;
import dev.walrus.kafka.security.SaslAuthenticator;
import dev.walrus.kafka.security.SaslSettings;
import dev.walrus.kafka.share.ShareModule;
import dev.walrus.kafka.txn.TransactionModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The whole Kafka protocol side of the broker: decodes a request frame, runs its handler on the engine and returns
 * the encoded response.
 *
 * <p>The broker opens the engine, then the adapter with the broker's Kafka-style properties ({@code server.properties}
 * keys, already validated by the broker's config layer: {@code node.id}, {@code num.partitions},
 * {@code auto.create.topics.enable}, {@code message.max.bytes}, ...) and the address clients should use to reach
 * this node. The adapter wires the metadata module, the group module, the transaction module and the data path
 * (produce, fetch, list offsets, producer ids) into one {@link ApiHandlers} table, from which ApiVersions is answered.
 *
 * <p>Threading: {@link #handle} is called on a network event-loop thread and never blocks; handlers that wait
 * (fsync, long polls) complete the future later from another thread.
 */
public final class KafkaAdapter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaAdapter.class);

    private final RequestDispatcher dispatcher;
    private final ApiHandlers handlers;
    private final FetchParking parking;
    private final PartitionLogs logs;
    private final ShareModule shares;
    private final List<AutoCloseable> modules;
    private final SaslAuthenticator sasl;
    private final ConnectionQuotas connectionQuotas;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private KafkaAdapter(Walrus engine, BrokerSettings settings, MetadataModule metadata,
                         Collection<ApiHandler<?>> moduleHandlers, GroupModule groups, List<AutoCloseable> modules,
                         SaslAuthenticator sasl, Authorizer authorizer, ByteRateThrottle throttle) {
        TopicRegistry registry = metadata.registry();
        Topics topics = registry;
        this.parking = new FetchParking(engine);
        this.logs = new PartitionLogs(engine, topics, settings);
        // After the logs forget a deleted topic, its parked fetches re-read and answer the topic's error.
        topics.addListener(topic -> {
            for (int p = 0; p < topic.partitions(); p++) {
                parking.topicDeleted(topic.engineTopic(p));
            }
        });
        logs.openAll();
        // Commits are recorded in __consumer_offsets from now on; fetches parked on it read each record at once.
        groups.startOffsetsTopic(logs, parking::appended);
        logs.startRetention(retentionCheckIntervalMs(settings));
        if (settings.getBoolean("log.cleaner.enable")) {
            logs.startCleaner(settings.getLong("log.cleaner.backoff.ms"));
        }
        logs.startProducerExpiry(settings.getLong("producer.id.expiration.check.interval.ms"),
                () -> settings.getLong("producer.id.expiration.ms"));
        ProducerIdAllocator producerIds = ProducerIdAllocator.open(engine);
        TransactionModule transactions = TransactionModule.open(engine, settings, topics, logs, parking,
                groups.coordinator(), producerIds, () -> registry.features().level("transaction.version"));
        this.shares = ShareModule.open(engine, metadata.registry(), topics, logs, parking, groups.coordinator(),
                throttle, metadata.node().nodeId());
        List<AutoCloseable> all = new ArrayList<>();
        all.add(transactions); // first: ending a transaction commits group offsets
        all.add(shares);
        all.addAll(modules);
        all.add(sasl);
        this.modules = all;
        this.sasl = sasl;
        this.connectionQuotas = new ConnectionQuotas(settings, registry.clientQuotas());
        this.handlers = new ApiHandlers();
        RequestTimeThrottle requestQuota = new RequestTimeThrottle(registry.clientQuotas(),
                settings.getInt("quota.window.num"), 1000L * settings.getInt("quota.window.size.seconds"));
        handlers.register(new ApiVersionsHandler(handlers, registry.features(), registry::metadataEndOffset))
                .register(new ProduceHandler(engine, topics, logs, parking, transactions.coordinator(), throttle))
                .register(new FetchHandler(topics, logs, new FetchSessionCache(FetchSessionCache.DEFAULT_MAX_SESSIONS), parking,
                        throttle, requestQuota))
                .register(new ListOffsetsHandler(topics, logs))
                .register(new DeleteRecordsHandler(topics, logs))
                .register(new OffsetForLeaderEpochHandler(topics, logs))
                .register(new DescribeLogDirsHandler(topics, logs, engine.dataDir()))
                .register(new AlterReplicaLogDirsHandler(topics, engine.dataDir()))
                .register(new ListConfigResourcesHandler(topics, metadata.node().nodeId(), registry::groupsWithConfigs,
                        registry::clientMetricsResources))
                .register(new DescribeProducersHandler(topics, logs))
                .register(new WriteTxnMarkersHandler(topics, logs, parking))
                .register(new InitProducerIdHandler(producerIds, transactions.coordinator()));
        moduleHandlers.forEach(handlers::register);
        transactions.handlers().forEach(handlers::register);
        shares.handlers().forEach(handlers::register);
        this.dispatcher = new RequestDispatcher(handlers, sasl, authorizer, requestQuota);
    }

    /**
     * @param engine the open engine; the adapter does not close it
     * @param brokerProperties Kafka broker config keys and values
     * @param advertisedHost host clients should connect to (Metadata, FindCoordinator)
     * @param advertisedPort port clients should connect to
     */
    public static KafkaAdapter open(Walrus engine, Map<String, String> brokerProperties, String advertisedHost, int advertisedPort) {
        return open(engine, brokerProperties, Map.of("PLAINTEXT", new BrokerNode.Endpoint(advertisedHost, advertisedPort)));
    }

    /**
     * @param engine the open engine; the adapter does not close it
     * @param brokerProperties Kafka broker config keys and values
     * @param endpoints where clients of each listener should connect (Metadata, FindCoordinator), by listener name;
     *        the first is the default
     */
    public static KafkaAdapter open(Walrus engine, Map<String, String> brokerProperties,
                                    Map<String, BrokerNode.Endpoint> endpoints) {
        return open(engine, brokerProperties, endpoints, BrokerLoggers.NONE);
    }

    /**
     * @param engine the open engine; the adapter does not close it
     * @param brokerProperties Kafka broker config keys and values
     * @param endpoints where clients of each listener should connect (Metadata, FindCoordinator), by listener name;
     *        the first is the default
     * @param loggers the process's loggers, which clients describe and change as Kafka's BROKER_LOGGER resource
     *        ({@link BrokerLoggers#NONE}: none listed, none changed)
     */
    public static KafkaAdapter open(Walrus engine, Map<String, String> brokerProperties,
                                    Map<String, BrokerNode.Endpoint> endpoints, BrokerLoggers loggers) {
        BrokerSettings settings = BrokerSettings.from(brokerProperties);
        MetadataModule metadata = MetadataModule.open(engine, settings, endpoints, loggers);
        GroupModule groups = GroupModule.open(engine, settings, metadata.topics(), metadata.node(),
                StreamsInternalTopics.creator(metadata.registry()), new OffsetsTopic(metadata.registry(), settings));
        groups.coordinator().useGroupConfigs(metadata.registry()::groupConfigs);
        List<ApiHandler<?>> moduleHandlers = new ArrayList<>(metadata.handlers());
        moduleHandlers.addAll(groups.handlers());
        SaslAuthenticator sasl = new SaslAuthenticator(brokerProperties, metadata.registry().scramCredentials(),
                metadata.registry().delegationTokens());
        DelegationTokenIssuer tokenIssuer = new DelegationTokenIssuer(metadata.registry(), settings);
        moduleHandlers.addAll(List.of(new SaslHandshakeHandler(sasl), new SaslAuthenticateHandler(sasl),
                new CreateDelegationTokenHandler(tokenIssuer, metadata.registry()),
                new RenewDelegationTokenHandler(tokenIssuer, metadata.registry()),
                new ExpireDelegationTokenHandler(tokenIssuer, metadata.registry()),
                new DescribeDelegationTokenHandler(metadata.registry().delegationTokens()),
                new AlterUserScramCredentialsHandler(metadata.registry()),
                new DescribeUserScramCredentialsHandler(metadata.registry().scramCredentials()),
                new DescribeAclsHandler(metadata.registry().acls()),
                new CreateAclsHandler(metadata.registry()),
                new DeleteAclsHandler(metadata.registry()),
                new DescribeClientQuotasHandler(metadata.registry().clientQuotas()),
                new AlterClientQuotasHandler(metadata.registry())));
        Authorizer authorizer = Authorizer.from(brokerProperties, metadata.registry().acls());
        ByteRateThrottle throttle = new ByteRateThrottle(metadata.registry().clientQuotas(),
                settings.getInt("quota.window.num"), 1000L * settings.getInt("quota.window.size.seconds"));
        DelegationTokenSweeper tokenSweeper = DelegationTokenSweeper.start(tokenIssuer,
                settings.getLong("delegation.token.expiry.check.interval.ms"));
        return new KafkaAdapter(engine, settings, metadata, moduleHandlers, groups,
                List.of(groups, metadata, tokenSweeper), sasl, authorizer, throttle);
    }

    /**
     * Checks the SASL settings of a SASL listener before the broker serves it: the mechanisms this broker offers, and
     * PLAIN's users.
     *
     * @throws IllegalArgumentException saying what to set
     */
    public static void checkSaslListener(String listenerName, Map<String, String> brokerProperties) {
        SaslSettings.of(listenerName, brokerProperties);
    }

    /**
     * Makes a SASL listener ready to serve before the broker accepts its connections: with OAUTHBEARER and signed
     * tokens, fetches the identity provider's keys (waiting for the first fetch, bounded by its retry settings).
     */
    public void prepareSaslListener(String listenerName) {
        sasl.prepare(listenerName);
    }

    /**
     * Handles one request frame (without the 4-byte size prefix; the buffer is only valid during this call, so
     * handlers copy what they keep, e.g. produced record batches are appended before returning or copied).
     */
    public CompletableFuture<ResponseFrame> handle(RequestContext context, ByteBuffer frame) {
        return dispatcher.dispatch(context, frame);
    }

    /** Kafka's limits on new connections (max.connections, max.connections.per.ip, connection_creation_rate). */
    public ConnectionQuotas connectionQuotas() {
        return connectionQuotas;
    }

    /** The table of handled APIs (ApiVersions answers from it). */
    public ApiHandlers handlers() {
        return handlers;
    }

    /** Called by the network layer when a connection closes (drops its fetch sessions, parked fetches, ...). */
    public void connectionClosed(long connectionId) {
        parking.connectionClosed(connectionId);
        shares.connectionClosed(connectionId);
    }

    private static long retentionCheckIntervalMs(BrokerSettings settings) {
        String value = settings.get("log.retention.check.interval.ms");
        return value == null ? 300_000L : Long.parseLong(value);
    }

    /** Answers parked fetches, stops the adapter's threads and closes the modules; the engine stays open. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        logs.close();
        parking.close();
        for (AutoCloseable module : modules) {
            try {
                module.close();
            } catch (Exception e) {
                log.warn("Closing {} failed", module.getClass().getSimpleName(), e);
            }
        }
    }
}
