package dev.walrus.kafka.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidList;
import org.apache.kafka.common.config.ConfigDef.ValidString;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;

/**
 * The broker config keys this broker understands: Apache Kafka 4.x's names, types, validators and defaults
 * ({@code server.properties}), except where {@link #SINGLE_NODE_DEFAULTS} says a single developer node needs another
 * default. Keys Kafka has but this broker does not use are accepted by {@link BrokerSettings} and ignored.
 */
public final class BrokerConfigs {

    /**
     * Where this broker's default differs from Kafka's: key, and Kafka's own default (listed in README.md). A single
     * node cannot satisfy a replication factor of 3, a developer wants a consumer group to start at once, a
     * developer broker listens on loopback only, and the network threads follow the cores (the broker's choice).
     */
    public static final Map<String, String> SINGLE_NODE_DEFAULTS;

    /** The definitions, in a stable order (DescribeConfigs lists them in this order). */
    public static final ConfigDef DEFINITION;

    static {
        Map<String, String> kafkaDefaults = new LinkedHashMap<>();
        kafkaDefaults.put("node.id", "(none: required)");
        kafkaDefaults.put("log.dir", "/tmp/kafka-logs");
        kafkaDefaults.put("listeners", "PLAINTEXT://:9092");
        kafkaDefaults.put("num.network.threads", "3");
        kafkaDefaults.put("offsets.topic.replication.factor", "3");
        kafkaDefaults.put("transaction.state.log.replication.factor", "3");
        kafkaDefaults.put("transaction.state.log.min.isr", "2");
        kafkaDefaults.put("group.initial.rebalance.delay.ms", "3000");
        SINGLE_NODE_DEFAULTS = java.util.Collections.unmodifiableMap(kafkaDefaults);

        ConfigDef d = new ConfigDef();
        // ---- the node and its listeners
        d.define("node.id", Type.INT, 1, atLeast(0), Importance.HIGH,
                "The node ID of this broker, reported as leader, replica and controller of everything.");
        d.define("broker.rack", Type.STRING, null, Importance.MEDIUM, "Rack of the broker, reported in metadata.");
        d.define("listeners", Type.LIST, "PLAINTEXT://localhost:9092", new Listeners(false), Importance.HIGH,
                "Comma-separated listeners, NAME://host:port; an empty host binds every interface.");
        d.define("listener.security.protocol.map", Type.STRING,
                "SASL_SSL:SASL_SSL,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT", Importance.LOW,
                "The security protocol of each listener name, NAME:PROTOCOL,...");
        d.define("controller.listener.names", Type.LIST, null, Importance.HIGH,
                "Listener names of the KRaft controller; accepted from a Kafka server.properties, not used (no controller quorum).");
        d.define("advertised.listeners", Type.LIST, null, new Listeners(true), Importance.HIGH,
                "Listeners clients are told to use, if different from 'listeners'.");
        d.define("log.dirs", Type.LIST, null, new SingleDirectory(), Importance.HIGH,
                "The data directory (one: the engine keeps every partition in one write-ahead log). Overrides log.dir.");
        d.define("log.dir", Type.LIST, "walrus-data", new SingleDirectory(), Importance.HIGH,
                "The data directory, used when log.dirs is not set. Relative paths are under the working directory.");
        // ---- network
        d.define("socket.request.max.bytes", Type.INT, 104857600, atLeast(1), Importance.HIGH,
                "The largest request frame accepted; a larger one closes the connection before any allocation.");
        d.define("socket.send.buffer.bytes", Type.INT, 102400, Importance.HIGH, "SO_SNDBUF of server sockets; -1 for the OS default.");
        d.define("socket.receive.buffer.bytes", Type.INT, 102400, Importance.HIGH, "SO_RCVBUF of server sockets; -1 for the OS default.");
        d.define("socket.listen.backlog.size", Type.INT, 50, atLeast(1), Importance.MEDIUM, "The accept backlog of server sockets.");
        d.define("connections.max.idle.ms", Type.LONG, 600000L, Importance.MEDIUM, "Idle connections are closed after this long.");
        d.define("max.connections", Type.INT, Integer.MAX_VALUE, atLeast(0), Importance.MEDIUM, "The most connections the broker accepts.");
        d.define("max.connection.creation.rate", Type.INT, Integer.MAX_VALUE, atLeast(0), Importance.MEDIUM,
                "The most new connections a second the broker accepts (KIP-612); a listener's own limit may be set with"
                        + " the listener.name.NAME. prefix. A connection over it waits, unread, for the throttle time.");
        d.define("max.connections.per.ip", Type.INT, Integer.MAX_VALUE, atLeast(0), Importance.MEDIUM, "The most connections from one IP address.");
        d.define("max.connections.per.ip.overrides", Type.STRING, "", new PerIpOverrides(), Importance.MEDIUM,
                "Per-IP or per-hostname limits over max.connections.per.ip, host:count,...");
        d.define("num.network.threads", Type.INT, Runtime.getRuntime().availableProcessors(), atLeast(1), Importance.HIGH,
                "Threads that serve network I/O (default: one per core).");
        d.define("num.io.threads", Type.INT, 8, atLeast(1), Importance.HIGH, "Threads that run blocking request work.");
        d.define("queued.max.requests", Type.INT, 500, atLeast(1), Importance.HIGH, "The most requests queued before the network stops reading.");
        d.define("request.timeout.ms", Type.INT, 30000, Importance.HIGH, "How long the broker waits on its own behalf for a request.");
        // ---- topics
        d.define("num.partitions", Type.INT, 1, atLeast(1), Importance.MEDIUM, "The default number of partitions of a new topic.");
        d.define("default.replication.factor", Type.INT, 1, Importance.MEDIUM,
                "The default replication factor of a new topic; only 1 can be met by a single node.");
        d.define("auto.create.topics.enable", Type.BOOLEAN, true, Importance.HIGH,
                "Create a topic when a client asks for metadata of one that does not exist.");
        d.define("delete.topic.enable", Type.BOOLEAN, true, Importance.HIGH, "Allow topics to be deleted.");
        d.define("message.max.bytes", Type.INT, 1048588, atLeast(0), Importance.HIGH,
                "The largest record batch accepted (broker default of the topic config max.message.bytes).");
        d.define("max.decompressed.message.bytes", Type.INT, 2147483639, between(1, 2147483639), Importance.MEDIUM,
                "The largest decompressed record batch (broker default of the topic config of that name).");
        d.define("fetch.max.bytes", Type.INT, 57671680, atLeast(1024), Importance.MEDIUM, "The most bytes one fetch response returns.");
        d.define("max.incremental.fetch.session.cache.slots", Type.INT, 1000, atLeast(0), Importance.MEDIUM,
                "The most incremental fetch sessions kept.");
        d.define("max.request.partition.size.limit", Type.INT, 2000, atLeast(1), Importance.MEDIUM,
                "The most partitions one DescribeTopicPartitions response holds.");
        // ---- log (topic defaults: each is the broker synonym of a topic config)
        d.define("log.segment.bytes", Type.INT, 1073741824, atLeast(1048576), Importance.HIGH, "Default of segment.bytes.");
        d.define("log.roll.ms", Type.LONG, null, Importance.HIGH, "Default of segment.ms; if unset, log.roll.hours is used.");
        d.define("log.roll.hours", Type.INT, 168, atLeast(1), Importance.HIGH, "Default of segment.ms, in hours.");
        d.define("log.roll.jitter.ms", Type.LONG, null, Importance.HIGH, "Default of segment.jitter.ms; if unset, log.roll.jitter.hours is used.");
        d.define("log.roll.jitter.hours", Type.INT, 0, atLeast(0), Importance.HIGH, "Default of segment.jitter.ms, in hours.");
        d.define("log.retention.ms", Type.LONG, null, Importance.HIGH,
                "Default of retention.ms; if unset, log.retention.minutes, then log.retention.hours. -1: no limit.");
        d.define("log.retention.minutes", Type.INT, null, Importance.HIGH, "Default of retention.ms, in minutes.");
        d.define("log.retention.hours", Type.INT, 168, Importance.HIGH, "Default of retention.ms, in hours.");
        d.define("log.retention.bytes", Type.LONG, -1L, Importance.HIGH, "Default of retention.bytes. -1: no limit.");
        d.define("log.retention.check.interval.ms", Type.LONG, 300000L, atLeast(1), Importance.MEDIUM,
                "How often retention is applied.");
        d.define("log.flush.interval.messages", Type.LONG, Long.MAX_VALUE, atLeast(1), Importance.HIGH, "Default of flush.messages.");
        d.define("log.flush.interval.ms", Type.LONG, null, Importance.HIGH,
                "Default of flush.ms; if unset, log.flush.scheduler.interval.ms is used.");
        d.define("log.flush.scheduler.interval.ms", Type.LONG, Long.MAX_VALUE, Importance.HIGH,
                "How often the flusher checks whether a log needs a flush.");
        d.define("log.index.interval.bytes", Type.INT, 4096, atLeast(0), Importance.MEDIUM, "Default of index.interval.bytes.");
        d.define("log.index.size.max.bytes", Type.INT, 10485760, atLeast(4), Importance.MEDIUM, "Default of segment.index.bytes.");
        d.define("log.segment.delete.delay.ms", Type.LONG, 60000L, atLeast(0), Importance.HIGH, "Default of file.delete.delay.ms.");
        d.define("log.preallocate", Type.BOOLEAN, false, Importance.MEDIUM, "Default of preallocate.");
        d.define("log.message.timestamp.type", Type.STRING, "CreateTime", ValidString.in("CreateTime", "LogAppendTime"),
                Importance.MEDIUM, "Default of message.timestamp.type.");
        d.define("log.message.timestamp.before.max.ms", Type.LONG, Long.MAX_VALUE, atLeast(0), Importance.MEDIUM,
                "Default of message.timestamp.before.max.ms.");
        d.define("log.message.timestamp.after.max.ms", Type.LONG, 3600000L, atLeast(0), Importance.MEDIUM,
                "Default of message.timestamp.after.max.ms.");
        d.define("log.cleanup.policy", Type.LIST, "delete", ValidList.in("compact", "delete"), Importance.MEDIUM,
                "Default of cleanup.policy.");
        d.define("log.cleaner.enable", Type.BOOLEAN, true, Importance.MEDIUM, "Run compaction for topics with cleanup.policy=compact.");
        d.define("log.cleaner.delete.retention.ms", Type.LONG, 86400000L, atLeast(0), Importance.MEDIUM, "Default of delete.retention.ms.");
        d.define("log.cleaner.min.compaction.lag.ms", Type.LONG, 0L, atLeast(0), Importance.MEDIUM, "Default of min.compaction.lag.ms.");
        d.define("log.cleaner.max.compaction.lag.ms", Type.LONG, Long.MAX_VALUE, atLeast(1), Importance.MEDIUM,
                "Default of max.compaction.lag.ms.");
        d.define("log.cleaner.min.cleanable.ratio", Type.DOUBLE, 0.5, between(0, 1), Importance.MEDIUM,
                "Default of min.cleanable.dirty.ratio.");
        d.define("delegation.token.secret.key", Type.PASSWORD, null, Importance.MEDIUM,
                "The secret that signs delegation tokens (HmacSHA512 of their id); without it, tokens are disabled.");
        d.define("delegation.token.max.lifetime.ms", Type.LONG, 604800000L, atLeast(1), Importance.MEDIUM,
                "The longest a delegation token lives, however often it is renewed.");
        d.define("delegation.token.expiry.time.ms", Type.LONG, 86400000L, atLeast(1), Importance.MEDIUM,
                "How long a delegation token lives before it must be renewed.");
        d.define("delegation.token.expiry.check.interval.ms", Type.LONG, 3600000L, atLeast(1), Importance.LOW,
                "How often expired delegation tokens are removed.");
        // Kafka waits 15 s; a developer checking compaction should not (README, "Defaults").
        d.define("log.cleaner.backoff.ms", Type.LONG, 1000L, atLeast(0), Importance.MEDIUM,
                "How long the log cleaner sleeps when no log needs cleaning.");
        d.define("log.local.retention.ms", Type.LONG, -2L, atLeast(-2), Importance.MEDIUM, "Default of local.retention.ms (tiered storage: unused).");
        d.define("log.local.retention.bytes", Type.LONG, -2L, atLeast(-2), Importance.MEDIUM, "Default of local.retention.bytes (tiered storage: unused).");
        d.define("log.remote.copy.lag.ms", Type.LONG, 0L, atLeast(-1), Importance.MEDIUM, "Default of remote.copy.lag.ms (tiered storage: unused).");
        d.define("log.remote.copy.lag.bytes", Type.LONG, -1L, atLeast(-1), Importance.MEDIUM, "Default of remote.copy.lag.bytes (tiered storage: unused).");
        d.define("compression.type", Type.STRING, "producer",
                ValidString.in("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"), Importance.HIGH,
                "Default of the topic config compression.type; 'producer' keeps the producer's codec.");
        d.define("compression.gzip.level", Type.INT, -1, new GzipLevel(), Importance.MEDIUM, "Default of compression.gzip.level.");
        d.define("compression.lz4.level", Type.INT, 9, between(1, 17), Importance.MEDIUM, "Default of compression.lz4.level.");
        d.define("compression.zstd.level", Type.INT, 3, between(-131072, 22), Importance.MEDIUM, "Default of compression.zstd.level.");
        d.define("min.insync.replicas", Type.INT, 1, atLeast(1), Importance.HIGH, "Default of min.insync.replicas.");
        d.define("unclean.leader.election.enable", Type.BOOLEAN, false, Importance.HIGH, "Default of unclean.leader.election.enable.");
        // ---- groups and offsets
        d.define("offsets.topic.replication.factor", Type.SHORT, (short) 1, atLeast(1), Importance.HIGH,
                "Replication factor of the offsets topic (1 on a single node).");
        d.define("offsets.topic.num.partitions", Type.INT, 50, atLeast(1), Importance.HIGH,
                "Partitions of the __consumer_offsets topic, made on first use of the group coordinator.");
        d.define("offsets.topic.segment.bytes", Type.INT, 100 * 1024 * 1024, atLeast(1), Importance.HIGH,
                "segment.bytes of the __consumer_offsets topic.");
        d.define("offsets.retention.minutes", Type.INT, 10080, atLeast(1), Importance.HIGH,
                "Committed offsets of an empty group, or of a topic the group no longer reads, are kept this long.");
        d.define("offsets.retention.check.interval.ms", Type.LONG, 600000L, atLeast(1), Importance.HIGH,
                "How often expired committed offsets and empty groups without offsets are removed.");
        d.define("offsets.commit.timeout.ms", Type.INT, 5000, atLeast(1), Importance.HIGH, "How long an offset commit may wait to be durable.");
        d.define("offset.metadata.max.bytes", Type.INT, 4096, Importance.HIGH, "The largest metadata string of a committed offset.");
        d.define("group.initial.rebalance.delay.ms", Type.INT, 0, Importance.MEDIUM,
                "How long a new classic group waits for more members before its first rebalance (0 on a developer node).");
        d.define("group.min.session.timeout.ms", Type.INT, 6000, Importance.MEDIUM, "The shortest session timeout a classic member may ask for.");
        d.define("group.max.session.timeout.ms", Type.INT, 1800000, Importance.MEDIUM, "The longest session timeout a classic member may ask for.");
        d.define("group.max.size", Type.INT, Integer.MAX_VALUE, atLeast(1), Importance.MEDIUM, "The most members of one classic group.");
        d.define("group.coordinator.rebalance.protocols", Type.LIST, "classic,consumer,streams",
                ValidList.in("consumer", "classic", "share", "streams"), Importance.MEDIUM, "The group protocols served.");
        d.define("group.consumer.session.timeout.ms", Type.INT, 45000, atLeast(1), Importance.MEDIUM, "Session timeout of consumer-protocol members.");
        d.define("group.consumer.min.session.timeout.ms", Type.INT, 45000, atLeast(1), Importance.MEDIUM, "The shortest consumer-protocol session timeout.");
        d.define("group.consumer.max.session.timeout.ms", Type.INT, 60000, atLeast(1), Importance.MEDIUM, "The longest consumer-protocol session timeout.");
        d.define("group.consumer.heartbeat.interval.ms", Type.INT, 5000, atLeast(1), Importance.MEDIUM, "Heartbeat interval of consumer-protocol members.");
        d.define("group.consumer.min.heartbeat.interval.ms", Type.INT, 5000, atLeast(1), Importance.MEDIUM, "The shortest consumer-protocol heartbeat interval.");
        d.define("group.consumer.max.heartbeat.interval.ms", Type.INT, 15000, atLeast(1), Importance.MEDIUM, "The longest consumer-protocol heartbeat interval.");
        d.define("group.consumer.migration.policy", Type.STRING, "bidirectional",
                ConfigDef.CaseInsensitiveValidString.in("disabled", "upgrade", "downgrade", "bidirectional"), Importance.MEDIUM,
                "Whether live groups move between the classic and the consumer protocol (KIP-848 upgrade and downgrade).");
        d.define("group.consumer.assignment.interval.ms", Type.INT, 1000, atLeast(0), Importance.MEDIUM,
                "The interval between assignment updates of consumer-protocol groups.");
        d.define("group.streams.session.timeout.ms", Type.INT, 45000, atLeast(1), Importance.MEDIUM, "Session timeout of streams-protocol members.");
        d.define("group.streams.heartbeat.interval.ms", Type.INT, 5000, atLeast(1), Importance.MEDIUM, "Heartbeat interval of streams-protocol members.");
        d.define("group.streams.num.standby.replicas", Type.INT, 0, atLeast(0), Importance.MEDIUM, "Standby replicas per task of a streams group.");
        d.define("group.streams.initial.rebalance.delay.ms", Type.INT, 0, atLeast(0), Importance.MEDIUM,
                "How long a new streams group waits for more members before its first rebalance (0 on a developer node).");
        d.define("group.streams.assignment.interval.ms", Type.INT, 1000, atLeast(0), Importance.MEDIUM,
                "The interval between assignment updates of streams groups.");
        defineShareGroups(d);
        d.define("group.streams.max.size", Type.INT, Integer.MAX_VALUE, atLeast(1), Importance.MEDIUM,
                "The most members of one streams group.");
        d.defineInternal("group.streams.task.offset.interval.ms", Type.INT, 60000, atLeast(1), Importance.MEDIUM,
                "How often streams-protocol members report their task offsets.");
        d.defineInternal("group.streams.acceptable.recovery.lag", Type.LONG, 10000L, atLeast(0), Importance.MEDIUM,
                "The lag below which a streams-protocol member counts as caught up on a task (told to members).");
        // the bounds of the groups' own configs (kafka-configs --entity-type groups), as Kafka's GroupConfig checks them
        d.define("group.consumer.min.assignment.interval.ms", Type.INT, 0, atLeast(0), Importance.MEDIUM,
                "The shortest consumer.assignment.interval.ms a consumer group may set.");
        d.define("group.consumer.max.assignment.interval.ms", Type.INT, 15000, atLeast(0), Importance.MEDIUM,
                "The longest consumer.assignment.interval.ms a consumer group may set.");
        d.define("group.streams.min.session.timeout.ms", Type.INT, 45000, atLeast(1), Importance.MEDIUM,
                "The shortest streams.session.timeout.ms a streams group may set.");
        d.define("group.streams.max.session.timeout.ms", Type.INT, 60000, atLeast(1), Importance.MEDIUM,
                "The longest streams.session.timeout.ms a streams group may set.");
        d.define("group.streams.min.heartbeat.interval.ms", Type.INT, 5000, atLeast(1), Importance.MEDIUM,
                "The shortest streams.heartbeat.interval.ms a streams group may set.");
        d.define("group.streams.max.heartbeat.interval.ms", Type.INT, 15000, atLeast(1), Importance.MEDIUM,
                "The longest streams.heartbeat.interval.ms a streams group may set.");
        d.define("group.streams.max.standby.replicas", Type.INT, 2, atLeast(0), Importance.MEDIUM,
                "The most streams.num.standby.replicas a streams group may set.");
        d.define("group.streams.min.assignment.interval.ms", Type.INT, 0, atLeast(0), Importance.MEDIUM,
                "The shortest streams.assignment.interval.ms a streams group may set.");
        d.define("group.streams.max.assignment.interval.ms", Type.INT, 15000, atLeast(0), Importance.MEDIUM,
                "The longest streams.assignment.interval.ms a streams group may set.");
        d.defineInternal("group.streams.min.task.offset.interval.ms", Type.INT, 15000, atLeast(1), Importance.MEDIUM,
                "The shortest streams.task.offset.interval.ms a streams group may set.");
        d.defineInternal("group.streams.max.warmup.replicas", Type.INT, 20, atLeast(0), Importance.MEDIUM,
                "The most streams.num.warmup.replicas a streams group may set.");
        // accepted and described as Kafka 4.4 does; without effect here (see docs/compatibility-findings.md): streams
        // groups have no warm-up tasks and no rack-aware standby placement, and every assignment is computed at once
        d.defineInternal("group.streams.num.warmup.replicas", Type.INT, 2, atLeast(0), Importance.MEDIUM,
                "The most warm-up replicas of a streams group's tasks (Kafka's; no warm-up tasks here).");
        d.define("group.streams.rack.aware.assignment.tags", Type.LIST, "", Importance.MEDIUM,
                "Client tag keys over which standby replicas are spread (Kafka's; not applied here).");
        d.define("group.streams.assignors", Type.LIST, "sticky", Importance.MEDIUM,
                "The task assignors streams groups may name; the first is the default (only sticky here).");
        d.defineInternal("group.consumer.assignor.offload.enable", Type.BOOLEAN, true, null, Importance.LOW,
                "Whether consumer group assignments are computed off the coordinator's thread (Kafka's).");
        d.defineInternal("group.streams.assignor.offload.enable", Type.BOOLEAN, true, null, Importance.LOW,
                "Whether streams group assignments are computed off the coordinator's thread (Kafka's).");
        // ---- producers and transactions
        d.define("transaction.state.log.replication.factor", Type.SHORT, (short) 1, atLeast(1), Importance.HIGH,
                "Replication factor of the transaction state (1 on a single node).");
        d.define("transaction.state.log.min.isr", Type.INT, 1, atLeast(1), Importance.HIGH,
                "min.insync.replicas of the transaction state (1 on a single node).");
        d.define("transaction.state.log.num.partitions", Type.INT, 50, atLeast(1), Importance.HIGH, "Partitions of the transaction state.");
        d.define("transaction.max.timeout.ms", Type.INT, 900000, atLeast(1), Importance.HIGH, "The longest transaction timeout a producer may ask for.");
        d.define("transaction.abort.timed.out.transaction.cleanup.interval.ms", Type.INT, 10000, atLeast(1), Importance.LOW,
                "How often the coordinator aborts the transactions open longer than their timeout.");
        d.define("transactional.id.expiration.ms", Type.INT, 604800000, atLeast(1), Importance.HIGH,
                "An idle transactional id expires after this long.");
        d.define("producer.id.expiration.ms", Type.INT, 86400000, atLeast(1), Importance.LOW,
                "An idempotent producer's state expires this long after its last write.");
        d.defineInternal("producer.id.expiration.check.interval.ms", Type.INT, 600000, atLeast(1), Importance.LOW,
                "How often producer states past producer.id.expiration.ms are removed.");
        d.define("transaction.remove.expired.transaction.cleanup.interval.ms", Type.INT, 3600000, atLeast(1),
                Importance.LOW, "How often transactional ids idle past transactional.id.expiration.ms are removed.");
        // ---- client quotas
        d.define("quota.window.num", Type.INT, 11, atLeast(1), Importance.LOW,
                "The number of samples a client quota's rate is measured over.");
        d.define("quota.window.size.seconds", Type.INT, 1, atLeast(1), Importance.LOW,
                "The time span of each sample of a client quota's rate.");
        // ---- security
        d.define("authorizer.class.name", Type.STRING, "", new AuthorizerClass(), Importance.LOW,
                "The authorizer: empty for none (every request allowed), or "
                        + "org.apache.kafka.metadata.authorizer.StandardAuthorizer for ACLs kept in the metadata log.");
        d.defineInternal("super.users", Type.STRING, null, null, Importance.LOW,
                "Principals the authorizer allows everything, separated by semicolons, e.g. User:admin;User:ops.");
        d.defineInternal("allow.everyone.if.no.acl.found", Type.BOOLEAN, false, null, Importance.LOW,
                "Whether the authorizer allows a request on a resource no ACL covers.");
        DEFINITION = d;
    }

    private BrokerConfigs() {}

    /**
     * The broker keys that set the same thing as {@code key}, in Kafka's order of precedence (the most specific
     * unit first): DescribeConfigs lists its synonyms in this order.
     */
    public static List<String> synonymNames(String key) {
        return switch (key) {
            case "log.roll.ms", "log.roll.hours" -> List.of("log.roll.ms", "log.roll.hours");
            case "log.roll.jitter.ms", "log.roll.jitter.hours" -> List.of("log.roll.jitter.ms", "log.roll.jitter.hours");
            // the scheduler interval serves as the flush interval's default
            case "log.flush.interval.ms" -> List.of("log.flush.interval.ms", "log.flush.scheduler.interval.ms");
            case "log.retention.ms", "log.retention.minutes", "log.retention.hours" ->
                    List.of("log.retention.ms", "log.retention.minutes", "log.retention.hours");
            default -> List.of(key);
        };
    }

    /** Kafka's default of a broker key as a string, or null when it has none (or the key is not defined here). */
    public static String defaultValue(String key) {
        ConfigDef.ConfigKey definition = DEFINITION.configKeys().get(key);
        return definition == null ? null : TopicConfigs.defaultString(definition);
    }

    /** An empty authorizer, or the one this broker implements. */
    /** KIP-932 share groups: the keys of Kafka 4.4's GroupCoordinatorConfig and ShareGroupConfig, with their defaults and ranges. */
    private static void defineShareGroups(ConfigDef d) {
        d.define("group.share.max.size", Type.INT, 200, between(1, 1000), Importance.MEDIUM, "The most members of one share group.");
        d.define("group.share.session.timeout.ms", Type.INT, 45000, atLeast(1), Importance.MEDIUM, "Session timeout of share group members.");
        d.define("group.share.min.session.timeout.ms", Type.INT, 45000, atLeast(1), Importance.MEDIUM, "The shortest share group session timeout.");
        d.define("group.share.max.session.timeout.ms", Type.INT, 60000, atLeast(1), Importance.MEDIUM, "The longest share group session timeout.");
        d.define("group.share.heartbeat.interval.ms", Type.INT, 5000, atLeast(1), Importance.MEDIUM, "Heartbeat interval of share group members.");
        d.define("group.share.min.heartbeat.interval.ms", Type.INT, 5000, atLeast(1), Importance.MEDIUM, "The shortest share group heartbeat interval.");
        d.define("group.share.max.heartbeat.interval.ms", Type.INT, 15000, atLeast(1), Importance.MEDIUM, "The longest share group heartbeat interval.");
        d.define("group.share.record.lock.duration.ms", Type.INT, 30000, between(1000, 3600000), Importance.MEDIUM,
                "How long a share group member holds the records it acquired before they are released.");
        d.define("group.share.min.record.lock.duration.ms", Type.INT, 15000, between(1000, 30000), Importance.MEDIUM,
                "The smallest share.record.lock.duration.ms a group may set.");
        d.define("group.share.max.record.lock.duration.ms", Type.INT, 60000, between(30000, 3600000), Importance.MEDIUM,
                "The largest share.record.lock.duration.ms a group may set.");
        d.define("group.share.delivery.count.limit", Type.INT, 5, between(2, 10), Importance.MEDIUM,
                "Delivery attempts of a share group record before it is archived.");
        d.define("group.share.min.delivery.count.limit", Type.INT, 2, between(2, 5), Importance.MEDIUM,
                "The smallest share.delivery.count.limit a group may set.");
        d.define("group.share.max.delivery.count.limit", Type.INT, 10, between(5, 25), Importance.MEDIUM,
                "The largest share.delivery.count.limit a group may set.");
        d.define("group.share.partition.max.record.locks", Type.INT, 2000, between(100, 10000), Importance.MEDIUM,
                "Records of one share partition in flight (acquired or not yet done) at most.");
        d.define("group.share.min.partition.max.record.locks", Type.INT, 100, between(100, 2000), Importance.MEDIUM,
                "The smallest share.partition.max.record.locks a group may set.");
        d.define("group.share.max.partition.max.record.locks", Type.INT, 4000, between(2000, 10000), Importance.MEDIUM,
                "The largest share.partition.max.record.locks a group may set.");
        d.define("group.share.max.share.sessions", Type.INT, 2000, atLeast(1), Importance.MEDIUM,
                "The most share sessions this broker keeps.");
        d.define("group.share.assignors", Type.LIST, "simple", Importance.MEDIUM,
                "The share group assignor (only the simple one is served).");
        d.define("group.share.assignment.interval.ms", Type.INT, 1000, atLeast(0), Importance.MEDIUM,
                "Accepted as Kafka's; a share group's assignment is computed at once here.");
        d.define("group.share.min.assignment.interval.ms", Type.INT, 0, atLeast(0), Importance.MEDIUM,
                "The smallest share.assignment.interval.ms a group may set.");
        d.define("group.share.max.assignment.interval.ms", Type.INT, 15000, atLeast(0), Importance.MEDIUM,
                "The largest share.assignment.interval.ms a group may set.");
        // KIP-1191 dead-letter queues of share groups; both dynamic (cluster-wide) as in Kafka
        d.define("errors.deadletterqueue.auto.create.topics.enable", Type.BOOLEAN, false, Importance.MEDIUM,
                "Whether a share group's missing dead-letter queue topic is created on its first write.");
        d.define("errors.deadletterqueue.topic.name.prefix", Type.STRING, "dlq.", Importance.MEDIUM,
                "The prefix a share group's dead-letter queue topic name must have (\"\" for none).");
    }

    private static final class AuthorizerClass implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                dev.walrus.kafka.authz.Authorizer.checkClassName(value == null ? "" : value.toString().trim());
            } catch (IllegalArgumentException e) {
                throw new org.apache.kafka.common.config.ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "empty or " + dev.walrus.kafka.authz.Authorizer.STANDARD_AUTHORIZER;
        }
    }

    /** Kafka's listener syntax, NAME://host:port, with unique names. */
    private record Listeners(boolean advertised) implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            java.util.Set<String> names = new java.util.HashSet<>();
            for (Object o : (java.util.List<?>) value) {
                String listener = o.toString();
                ListenerAddress address;
                try {
                    address = ListenerAddress.parse(listener);
                } catch (IllegalArgumentException e) {
                    throw new org.apache.kafka.common.config.ConfigException(name, asGiven(value), e.getMessage());
                }
                if (!names.add(address.name())) {
                    throw new org.apache.kafka.common.config.ConfigException(name, asGiven(value),
                            "Each listener must have a different name; " + address.name() + " appears twice");
                }
                if (advertised && "0.0.0.0".equals(address.host())) {
                    throw new org.apache.kafka.common.config.ConfigException(name, asGiven(value),
                            "advertised.listeners cannot use the nonroutable meta-address 0.0.0.0");
                }
            }
        }

        @Override
        public String toString() {
            return "NAME://host:port,...";
        }
    }

    /** The engine keeps every partition in one directory. */
    /** {@code host:count,...}: each host resolves, each count is a number. */
    private record PerIpOverrides() implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String problem = dev.walrus.kafka.quota.ConnectionQuotas.checkOverrides(value == null ? "" : value.toString());
            if (problem != null) {
                throw new org.apache.kafka.common.config.ConfigException(name, value, problem);
            }
        }
    }

    private record SingleDirectory() implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value != null && ((java.util.List<?>) value).size() != 1) {
                throw new org.apache.kafka.common.config.ConfigException(name, asGiven(value),
                        "Walrus keeps every partition in one directory; give exactly one");
            }
        }

        @Override
        public String toString() {
            return "one directory";
        }
    }

    /** A list value as the user wrote it, for error messages. */
    private static String asGiven(Object value) {
        return value instanceof java.util.List<?> list
                ? String.join(",", list.stream().map(Object::toString).toList()) : String.valueOf(value);
    }

    /** Kafka's gzip levels: 1..9, or -1 for the codec's default. */
    static final class GzipLevel implements ConfigDef.Validator {
        private final Range range = between(1, 9);

        @Override
        public void ensureValid(String name, Object value) {
            if (value instanceof Integer level && level == -1) {
                return;
            }
            range.ensureValid(name, value);
        }

        @Override
        public String toString() {
            return range + " or -1";
        }
    }
}
