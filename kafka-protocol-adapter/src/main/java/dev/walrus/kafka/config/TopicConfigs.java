package dev.walrus.kafka.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidList;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;

/**
 * The topic config keys of Apache Kafka 4.x, with their types, validators, defaults and broker synonyms (the broker
 * key that supplies a topic's value when the topic has no override, e.g. {@code retention.ms} from
 * {@code log.retention.ms}, {@code log.retention.minutes} or {@code log.retention.hours}).
 *
 * <p>Every key Kafka accepts is accepted and described; the tiered-storage and replication-throttle keys have no
 * effect on a single node without remote storage (remote.storage.enable=true is refused, as Kafka refuses it when the
 * broker has no remote log storage).
 */
public final class TopicConfigs {

    /** A broker key that supplies a topic config's value; {@code unitMs} converts hours or minutes to ms (1: as is). */
    public record BrokerSynonym(String brokerKey, long unitMs) {
        String toTopicValue(String brokerValue) {
            if (unitMs == 1 || brokerValue == null) {
                return brokerValue;
            }
            long v = Long.parseLong(brokerValue);
            return Long.toString(v < 0 ? -1 : v * unitMs);
        }
    }

    /** A described value: where it comes from. */
    public record Resolved(String value, ConfigSource source) {}

    public static final ConfigDef DEFINITION = new ConfigDef();
    private static final Map<String, List<BrokerSynonym>> SYNONYMS = new LinkedHashMap<>();

    private static final long HOUR_MS = 3_600_000L;
    private static final long MINUTE_MS = 60_000L;

    static {
        define("cleanup.policy", Type.LIST, "delete", ValidList.in("compact", "delete"), TopicConfig.CLEANUP_POLICY_DOC,
                syn("log.cleanup.policy"));
        define("compression.gzip.level", Type.INT, -1, new BrokerConfigs.GzipLevel(), TopicConfig.COMPRESSION_GZIP_LEVEL_DOC,
                syn("compression.gzip.level"));
        define("compression.lz4.level", Type.INT, 9, between(1, 17), TopicConfig.COMPRESSION_LZ4_LEVEL_DOC,
                syn("compression.lz4.level"));
        define("compression.type", Type.STRING, "producer",
                ValidString.in("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"), TopicConfig.COMPRESSION_TYPE_DOC,
                syn("compression.type"));
        define("compression.zstd.level", Type.INT, 3, between(-131072, 22), TopicConfig.COMPRESSION_ZSTD_LEVEL_DOC,
                syn("compression.zstd.level"));
        define("delete.retention.ms", Type.LONG, 86400000L, atLeast(0), TopicConfig.DELETE_RETENTION_MS_DOC,
                syn("log.cleaner.delete.retention.ms"));
        define("errors.deadletterqueue.group.enable", Type.BOOLEAN, false, null, TopicConfig.ERRORS_DEADLETTERQUEUE_GROUP_ENABLE_DOC);
        define("file.delete.delay.ms", Type.LONG, 60000L, atLeast(0), TopicConfig.FILE_DELETE_DELAY_MS_DOC,
                syn("log.segment.delete.delay.ms"));
        define("flush.messages", Type.LONG, Long.MAX_VALUE, atLeast(1), TopicConfig.FLUSH_MESSAGES_INTERVAL_DOC,
                syn("log.flush.interval.messages"));
        define("flush.ms", Type.LONG, Long.MAX_VALUE, atLeast(0), TopicConfig.FLUSH_MS_DOC,
                syn("log.flush.interval.ms"), syn("log.flush.scheduler.interval.ms"));
        define("follower.replication.throttled.replicas", Type.LIST, "", new ThrottledReplicas(),
                "Replicas whose replication is throttled on the follower side (no effect on a single node).");
        define("index.interval.bytes", Type.INT, 4096, atLeast(0), TopicConfig.INDEX_INTERVAL_BYTES_DOC,
                syn("log.index.interval.bytes"));
        define("leader.replication.throttled.replicas", Type.LIST, "", new ThrottledReplicas(),
                "Replicas whose replication is throttled on the leader side (no effect on a single node).");
        define("local.retention.bytes", Type.LONG, -2L, atLeast(-2), TopicConfig.LOCAL_LOG_RETENTION_BYTES_DOC,
                syn("log.local.retention.bytes"));
        define("local.retention.ms", Type.LONG, -2L, atLeast(-2), TopicConfig.LOCAL_LOG_RETENTION_MS_DOC,
                syn("log.local.retention.ms"));
        define("max.compaction.lag.ms", Type.LONG, Long.MAX_VALUE, atLeast(1), TopicConfig.MAX_COMPACTION_LAG_MS_DOC,
                syn("log.cleaner.max.compaction.lag.ms"));
        define("max.decompressed.message.bytes", Type.INT, 2147483639, between(1, 2147483639),
                TopicConfig.MAX_DECOMPRESSED_MESSAGE_BYTES_DOC, syn("max.decompressed.message.bytes"));
        define("max.message.bytes", Type.INT, 1048588, atLeast(0), TopicConfig.MAX_MESSAGE_BYTES_DOC,
                syn("message.max.bytes"));
        define("message.timestamp.after.max.ms", Type.LONG, 3600000L, atLeast(0), TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_DOC,
                syn("log.message.timestamp.after.max.ms"));
        define("message.timestamp.before.max.ms", Type.LONG, Long.MAX_VALUE, atLeast(0),
                TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_DOC, syn("log.message.timestamp.before.max.ms"));
        define("message.timestamp.type", Type.STRING, "CreateTime", ValidString.in("CreateTime", "LogAppendTime"),
                TopicConfig.MESSAGE_TIMESTAMP_TYPE_DOC, syn("log.message.timestamp.type"));
        define("min.cleanable.dirty.ratio", Type.DOUBLE, 0.5, between(0, 1), TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_DOC,
                syn("log.cleaner.min.cleanable.ratio"));
        define("min.compaction.lag.ms", Type.LONG, 0L, atLeast(0), TopicConfig.MIN_COMPACTION_LAG_MS_DOC,
                syn("log.cleaner.min.compaction.lag.ms"));
        define("min.insync.replicas", Type.INT, 1, atLeast(1), TopicConfig.MIN_IN_SYNC_REPLICAS_DOC,
                syn("min.insync.replicas"));
        define("preallocate", Type.BOOLEAN, false, null, TopicConfig.PREALLOCATE_DOC, syn("log.preallocate"));
        define("remote.copy.lag.bytes", Type.LONG, -1L, atLeast(-1), TopicConfig.REMOTE_COPY_LAG_BYTES_DOC,
                syn("log.remote.copy.lag.bytes"));
        define("remote.copy.lag.ms", Type.LONG, 0L, atLeast(-1), TopicConfig.REMOTE_COPY_LAG_MS_DOC,
                syn("log.remote.copy.lag.ms"));
        define("remote.log.copy.disable", Type.BOOLEAN, false, null, TopicConfig.REMOTE_LOG_COPY_DISABLE_DOC);
        define("remote.log.delete.on.disable", Type.BOOLEAN, false, null, TopicConfig.REMOTE_LOG_DELETE_ON_DISABLE_DOC);
        define("remote.storage.enable", Type.BOOLEAN, false, null, TopicConfig.REMOTE_LOG_STORAGE_ENABLE_DOC);
        define("retention.bytes", Type.LONG, -1L, null, TopicConfig.RETENTION_BYTES_DOC, syn("log.retention.bytes"));
        define("retention.ms", Type.LONG, 604800000L, atLeast(-1), TopicConfig.RETENTION_MS_DOC,
                syn("log.retention.ms"), new BrokerSynonym("log.retention.minutes", MINUTE_MS),
                new BrokerSynonym("log.retention.hours", HOUR_MS));
        define("segment.bytes", Type.INT, 1073741824, atLeast(1048576), TopicConfig.SEGMENT_BYTES_DOC,
                syn("log.segment.bytes"));
        define("segment.index.bytes", Type.INT, 10485760, atLeast(4), TopicConfig.SEGMENT_INDEX_BYTES_DOC,
                syn("log.index.size.max.bytes"));
        define("segment.jitter.ms", Type.LONG, 0L, atLeast(0), TopicConfig.SEGMENT_JITTER_MS_DOC,
                syn("log.roll.jitter.ms"), new BrokerSynonym("log.roll.jitter.hours", HOUR_MS));
        define("segment.ms", Type.LONG, 604800000L, atLeast(1), TopicConfig.SEGMENT_MS_DOC,
                syn("log.roll.ms"), new BrokerSynonym("log.roll.hours", HOUR_MS));
        define("unclean.leader.election.enable", Type.BOOLEAN, false, null, TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_DOC,
                syn("unclean.leader.election.enable"));
    }

    private TopicConfigs() {}

    private static BrokerSynonym syn(String brokerKey) {
        return new BrokerSynonym(brokerKey, 1);
    }

    private static void define(String name, Type type, Object defaultValue, ConfigDef.Validator validator, String doc,
                               BrokerSynonym... synonyms) {
        DEFINITION.define(name, type, defaultValue, validator, Importance.MEDIUM, doc);
        SYNONYMS.put(name, List.of(synonyms));
    }

    public static boolean isDefined(String key) {
        return DEFINITION.configKeys().containsKey(key);
    }

    public static List<BrokerSynonym> synonyms(String key) {
        return SYNONYMS.getOrDefault(key, List.of());
    }

    /**
     * Checks topic config overrides as Kafka's controller does: the first problem as Kafka words it (answered with
     * INVALID_CONFIG), or empty if all are acceptable.
     */
    public static Optional<String> validate(Map<String, String> overrides) {
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String name = e.getKey();
            if (e.getValue() == null) {
                return Optional.of("Null value not supported for topic configs: " + name);
            }
            ConfigDef.ConfigKey key = DEFINITION.configKeys().get(name);
            if (key == null) {
                return Optional.of("Unknown topic config name: " + name);
            }
            try {
                Object parsed = ConfigDef.parseType(name, e.getValue(), key.type);
                if (key.validator != null) {
                    key.validator.ensureValid(name, parsed);
                }
            } catch (ConfigException ex) {
                return Optional.of(ex.getMessage());
            }
        }
        if (Boolean.parseBoolean(overrides.getOrDefault("remote.storage.enable", "false").trim())) {
            return Optional.of("Tiered Storage functionality is disabled in the broker. "
                    + "Topic cannot be configured with remote log storage.");
        }
        return Optional.empty();
    }

    /**
     * The value a topic config has for a topic with these overrides on this broker, and its source. Without an
     * override the value comes from the first broker synonym that is set (dynamically or at start; the most specific
     * unit first, as Kafka's log config computes it), else from Kafka's default; the source is that of the first of
     * the synonyms DescribeConfigs lists (see {@link #brokerSynonyms}), as Kafka reports it.
     */
    public static Resolved resolve(String key, Map<String, String> overrides, BrokerSettings broker) {
        String override = overrides.get(key);
        if (override != null) {
            return new Resolved(override, ConfigSource.TOPIC_CONFIG);
        }
        List<BrokerSynonym> synonyms = synonyms(key);
        for (BrokerSynonym synonym : synonyms) {
            if (broker.isSet(synonym.brokerKey())) {
                List<DescribedConfig.Synonym> listed = brokerSynonyms(key, broker);
                ConfigSource source = listed.isEmpty() ? ConfigSource.DEFAULT_CONFIG : listed.getFirst().source();
                return new Resolved(synonym.toTopicValue(broker.get(synonym.brokerKey())), source);
            }
        }
        if (!synonyms.isEmpty()) {
            BrokerSynonym primary = synonyms.getFirst();
            String brokerDefault = broker.get(primary.brokerKey());
            if (brokerDefault != null) {
                return new Resolved(primary.toTopicValue(brokerDefault), ConfigSource.DEFAULT_CONFIG);
            }
        }
        ConfigDef.ConfigKey definition = DEFINITION.configKeys().get(key);
        if (definition == null) {
            return new Resolved(null, ConfigSource.UNKNOWN);
        }
        return new Resolved(defaultString(definition), ConfigSource.DEFAULT_CONFIG);
    }

    /**
     * The broker synonyms DescribeConfigs lists for a topic config (without the topic's own override): those of its
     * primary broker key, as {@link BrokerSettings#synonyms} orders them; none for a key without a broker synonym.
     */
    public static List<DescribedConfig.Synonym> brokerSynonyms(String key, BrokerSettings broker) {
        List<BrokerSynonym> synonyms = synonyms(key);
        if (synonyms.isEmpty()) {
            return List.of();
        }
        String primary = synonyms.getFirst().brokerKey();
        return broker.synonyms(primary, BrokerConfigs.synonymNames(primary));
    }

    static String defaultString(ConfigDef.ConfigKey key) {
        return key.hasDefault() && key.defaultValue != null ? ConfigDef.convertToString(key.defaultValue, key.type) : null;
    }

    /** Kafka's throttled-replica list: "*" or entries "partitionId:brokerId". */
    private static final class ThrottledReplicas implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            List<?> entries = (List<?>) value;
            if (entries == null || entries.isEmpty()) {
                return;
            }
            boolean wildcard = entries.size() == 1 && "*".equals(entries.getFirst().toString().trim());
            if (wildcard) {
                return;
            }
            for (Object entry : entries) {
                if (!entry.toString().trim().matches("\\d+:\\d+")) {
                    throw new ConfigException(name, value, "must be the literal '*' or a list of replicas in the "
                            + "following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...");
                }
            }
        }

        @Override
        public String toString() {
            return "[partitionId]:[brokerId],[partitionId]:[brokerId],...";
        }
    }
}
