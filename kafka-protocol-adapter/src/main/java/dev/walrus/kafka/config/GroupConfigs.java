package dev.walrus.kafka.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

import org.apache.kafka.common.config.ConfigException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;

/**
 * The group config keys of Apache Kafka 4.x (KIP-848 consumer groups, KIP-932 share groups and KIP-1071 streams
 * groups) that this broker describes, each with the broker key that supplies its default (none for the share group
 * strings, whose defaults are Kafka's), and the share groups' dead-letter-queue keys (KIP-1191).
 */
public final class GroupConfigs {

    public static final String STREAMS_ACCEPTABLE_RECOVERY_LAG = "streams.acceptable.recovery.lag";
    public static final String STREAMS_RACK_AWARE_ASSIGNMENT_TAGS = "streams.rack.aware.assignment.tags";
    public static final String STREAMS_ASSIGNOR_NAME = "streams.assignor.name";
    public static final ConfigDef DEFINITION = new ConfigDef();
    private static final Map<String, String> BROKER_SYNONYM = new LinkedHashMap<>();

    static {
        define("consumer.session.timeout.ms", 45000, 1, "group.consumer.session.timeout.ms",
                "The timeout to detect client failures when using the consumer group protocol.");
        define("consumer.heartbeat.interval.ms", 5000, 1, "group.consumer.heartbeat.interval.ms",
                "The heartbeat interval given to the members of a consumer group.");
        define("consumer.assignment.interval.ms", 1000, 0, "group.consumer.assignment.interval.ms",
                "The interval between assignment updates of a consumer group.");
        define("streams.session.timeout.ms", 45000, 1, "group.streams.session.timeout.ms",
                "The timeout to detect client failures when using the streams group protocol.");
        define("streams.heartbeat.interval.ms", 5000, 1, "group.streams.heartbeat.interval.ms",
                "The heartbeat interval given to the members of a streams group.");
        define("streams.num.standby.replicas", 0, 0, "group.streams.num.standby.replicas",
                "The number of standby replicas for each task of a streams group.");
        define("streams.initial.rebalance.delay.ms", 0, 0, "group.streams.initial.rebalance.delay.ms",
                "How long a new streams group waits for more members before its first rebalance.");
        define("streams.assignment.interval.ms", 1000, 0, "group.streams.assignment.interval.ms",
                "The interval between assignment updates of a streams group.");
        defineInternal("streams.task.offset.interval.ms", 60000, 1, "group.streams.task.offset.interval.ms",
                "How often the members of a streams group report their task offsets.");
        // accepted and described as Kafka 4.4 does; without effect here (no warm-up tasks, no rack-aware standbys,
        // one assignor, assignments computed at once on the group thread)
        defineInternal("streams.num.warmup.replicas", 2, 0, "group.streams.num.warmup.replicas",
                "The maximum number of warmup task replicas of a streams group.");
        DEFINITION.defineInternal(STREAMS_ACCEPTABLE_RECOVERY_LAG, Type.LONG, 10000L, atLeast(0), Importance.MEDIUM,
                "The lag below which a streams group member counts as caught up on a task.");
        BROKER_SYNONYM.put(STREAMS_ACCEPTABLE_RECOVERY_LAG, "group.streams.acceptable.recovery.lag");
        DEFINITION.define(STREAMS_RACK_AWARE_ASSIGNMENT_TAGS, Type.LIST, "", Importance.MEDIUM,
                "Client tag keys over which a streams group's standby replicas are spread.");
        BROKER_SYNONYM.put(STREAMS_RACK_AWARE_ASSIGNMENT_TAGS, "group.streams.rack.aware.assignment.tags");
        DEFINITION.define(STREAMS_ASSIGNOR_NAME, Type.STRING, null, Importance.MEDIUM,
                "The task assignor of a streams group, by name, from the broker's group.streams.assignors (the first "
                        + "when unset).");
        BROKER_SYNONYM.put(STREAMS_ASSIGNOR_NAME, "group.streams.assignors");
        defineOffload("consumer");
        defineOffload("streams");
        defineShare();
    }

    /** KIP-932: the share group keys of Kafka 4.4's GroupConfig, with the ranges Kafka's ConfigDef gives them. */
    private static void defineShare() {
        define("share.session.timeout.ms", 45000, 1, "group.share.session.timeout.ms",
                "The timeout to detect client failures when using the share group protocol.");
        define("share.heartbeat.interval.ms", 5000, 1, "group.share.heartbeat.interval.ms",
                "The heartbeat interval given to the members of a share group.");
        define("share.record.lock.duration.ms", 30000, 1000, "group.share.record.lock.duration.ms",
                "The record acquisition lock duration in milliseconds for share groups.");
        define("share.delivery.count.limit", 5, 2, "group.share.delivery.count.limit",
                "The maximum number of delivery attempts for a record delivered to a share group.");
        define("share.partition.max.record.locks", 2000, 100, "group.share.partition.max.record.locks",
                "Share-group record lock limit per share-partition.");
        // accepted and described as Kafka 4.4 does; without effect here: a share group's assignment is computed at
        // once on the group thread, and RENEW acknowledgements are always accepted
        define("share.assignment.interval.ms", 1000, 0, "group.share.assignment.interval.ms",
                "The interval between assignment updates of a share group.");
        defineOffload("share");
        DEFINITION.define("share.renew.acknowledge.enable", Type.BOOLEAN, true, Importance.MEDIUM,
                "Whether the renew acknowledge type is enabled for the share group.");
        DEFINITION.define(SHARE_AUTO_OFFSET_RESET, Type.STRING, "latest", (name, value) -> {
            if (ShareOffsetReset.parse(String.valueOf(value)) == null) {
                throw new ConfigException(name, value, "must be earliest, latest or by_duration:<ISO8601 duration>");
            }
        }, Importance.MEDIUM, "The strategy to initialize the share-partition start offset: earliest, latest or "
                + "by_duration:<duration>.");
        DEFINITION.define(SHARE_ISOLATION_LEVEL, Type.STRING, "read_uncommitted",
                ConfigDef.ValidString.in("read_committed", "read_uncommitted"), Importance.MEDIUM,
                "Controls how to read records written transactionally: read_committed delivers only committed ones.");
        // KIP-1191 dead-letter queues of share groups (dev.walrus.kafka.share.DeadLetterQueue)
        DEFINITION.define(DLQ_TOPIC_NAME, Type.STRING, "", Importance.MEDIUM,
                "The name of the topic to be used as the dead-letter queue (DLQ) topic for this share group. If blank "
                        + "(the default), the group does not have a DLQ topic.");
        DEFINITION.define(DLQ_COPY_RECORD_ENABLE, Type.BOOLEAN, false, Importance.MEDIUM,
                "When writing onto the dead-letter queue topic, whether to copy the original record onto the DLQ "
                        + "topic, or just write a record containing the context information headers.");
    }

    /** {@code KIND.assignor.offload.enable}: an internal group config of Kafka's. */
    private static void defineOffload(String kind) {
        String name = kind + ".assignor.offload.enable";
        DEFINITION.defineInternal(name, Type.BOOLEAN, true, null, Importance.LOW,
                "Whether a " + kind + " group's assignment is computed off the group coordinator's thread.");
        BROKER_SYNONYM.put(name, "group." + name);
    }

    /**
     * Whether a group config is one of Kafka's internal ones ({@code GroupConfig.isInternal}, defined here with
     * {@code defineInternal}): set and checked like the others, but described only once a group sets it.
     */
    public static boolean isInternal(String name) {
        ConfigDef.ConfigKey key = DEFINITION.configKeys().get(name);
        return key != null && key.internalConfig;
    }

    public static final String DLQ_TOPIC_NAME = "errors.deadletterqueue.topic.name";
    public static final String DLQ_COPY_RECORD_ENABLE = "errors.deadletterqueue.copy.record.enable";

    public static final String SHARE_AUTO_OFFSET_RESET = "share.auto.offset.reset";
    public static final String SHARE_ISOLATION_LEVEL = "share.isolation.level";

    /**
     * Checks a group's full set of overrides as Kafka's GroupConfig.validate does: every name known, every value
     * parsable and within its ConfigDef range, then within the broker's bounds ({@code group.consumer.min.*} and
     * {@code group.consumer.max.*}, the same of share and streams groups), and each kind's session timeout longer than
     * its heartbeat interval.
     *
     * @return null when valid, else Kafka's message
     */
    public static String validate(Map<String, String> overrides, BrokerSettings broker) {
        for (String name : overrides.keySet()) {
            if (!DEFINITION.names().contains(name)) {
                return "Unknown group config name: " + name;
            }
        }
        Map<String, Object> parsed;
        try {
            parsed = DEFINITION.parse(overrides);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        Object tags = parsed.get(STREAMS_RACK_AWARE_ASSIGNMENT_TAGS);
        if (overrides.containsKey(STREAMS_RACK_AWARE_ASSIGNMENT_TAGS) && tags instanceof List<?> list
                && new java.util.HashSet<>(list).size() != list.size()) {
            return STREAMS_RACK_AWARE_ASSIGNMENT_TAGS + " must not contain duplicate tag keys.";
        }
        // in Kafka's order (GroupConfig.validateValues), so that the first problem named is the one Kafka names
        String[][] ranged = {
                {"consumer.heartbeat.interval.ms", "group.consumer.min.heartbeat.interval.ms", "group.consumer.max.heartbeat.interval.ms"},
                {"consumer.session.timeout.ms", "group.consumer.min.session.timeout.ms", "group.consumer.max.session.timeout.ms"},
                {"consumer.assignment.interval.ms", "group.consumer.min.assignment.interval.ms", "group.consumer.max.assignment.interval.ms"},
                {"share.heartbeat.interval.ms", "group.share.min.heartbeat.interval.ms", "group.share.max.heartbeat.interval.ms"},
                {"share.session.timeout.ms", "group.share.min.session.timeout.ms", "group.share.max.session.timeout.ms"},
                {"share.record.lock.duration.ms", "group.share.min.record.lock.duration.ms", "group.share.max.record.lock.duration.ms"},
                {"share.delivery.count.limit", "group.share.min.delivery.count.limit", "group.share.max.delivery.count.limit"},
                {"share.partition.max.record.locks", "group.share.min.partition.max.record.locks", "group.share.max.partition.max.record.locks"},
                {"share.assignment.interval.ms", "group.share.min.assignment.interval.ms", "group.share.max.assignment.interval.ms"},
                {"streams.heartbeat.interval.ms", "group.streams.min.heartbeat.interval.ms", "group.streams.max.heartbeat.interval.ms"},
                {"streams.session.timeout.ms", "group.streams.min.session.timeout.ms", "group.streams.max.session.timeout.ms"},
                {"streams.num.standby.replicas", null, "group.streams.max.standby.replicas"},
                {"streams.assignment.interval.ms", "group.streams.min.assignment.interval.ms", "group.streams.max.assignment.interval.ms"},
                {"streams.task.offset.interval.ms", "group.streams.min.task.offset.interval.ms", null},
                {"streams.num.warmup.replicas", null, "group.streams.max.warmup.replicas"},
        };
        for (String[] b : ranged) {
            if (!overrides.containsKey(b[0])) {
                continue;
            }
            int value = (Integer) parsed.get(b[0]);
            Integer min = b[1] == null ? null : broker.getInt(b[1]);
            Integer max = b[2] == null ? null : broker.getInt(b[2]);
            if (min != null && max != null && (value < min || value > max)) {
                return b[0] + " must be in the range " + min + " to " + max + " inclusive.";
            }
            if (min == null && max != null && value > max) {
                return b[0] + " must be less than or equal to " + max;
            }
            if (max == null && min != null && value < min) {
                return b[0] + " must be greater than or equal to " + min;
            }
        }
        String assignor = overrides.get(STREAMS_ASSIGNOR_NAME);
        if (assignor != null) {
            List<String> registered = assignors(broker);
            if (!registered.contains(assignor)) {
                return STREAMS_ASSIGNOR_NAME + " '" + assignor + "' is not a registered task assignor. Registered "
                        + "assignors are: " + registered + ".";
            }
        }
        for (String kind : List.of("consumer", "share", "streams")) {
            String session = kind + ".session.timeout.ms";
            String heartbeat = kind + ".heartbeat.interval.ms";
            if (!overrides.containsKey(session) && !overrides.containsKey(heartbeat)) {
                continue;
            }
            int sessionMs = overrides.containsKey(session) ? (Integer) parsed.get(session)
                    : broker.getInt(BROKER_SYNONYM.get(session));
            int heartbeatMs = overrides.containsKey(heartbeat) ? (Integer) parsed.get(heartbeat)
                    : broker.getInt(BROKER_SYNONYM.get(heartbeat));
            if (sessionMs <= heartbeatMs) {
                return session + " must be greater than " + heartbeat;
            }
        }
        // KIP-1191: names starting with "__" are Kafka's internal topics
        Object dlq = parsed.get(DLQ_TOPIC_NAME);
        if (dlq instanceof String name && name.startsWith("__")) {
            return DLQ_TOPIC_NAME + ": DLQ topic name must not start with '__'";
        }
        return null;
    }

    private GroupConfigs() {}

    /** The task assignors the broker registers ({@code group.streams.assignors}), by name. */
    public static List<String> assignors(BrokerSettings broker) {
        return java.util.Arrays.stream(broker.get("group.streams.assignors").split(","))
                .map(String::trim).filter(n -> !n.isEmpty()).toList();
    }

    private static void define(String name, int defaultValue, int min, String brokerKey, String doc) {
        DEFINITION.define(name, Type.INT, defaultValue, atLeast(min), Importance.MEDIUM, doc);
        BROKER_SYNONYM.put(name, brokerKey);
    }

    private static void defineInternal(String name, int defaultValue, int min, String brokerKey, String doc) {
        DEFINITION.defineInternal(name, Type.INT, defaultValue, atLeast(min), Importance.MEDIUM, doc);
        BROKER_SYNONYM.put(name, brokerKey);
    }

    /** The broker key whose value is this group config's default; null when the default is Kafka's own. */
    public static String brokerSynonym(String key) {
        return BROKER_SYNONYM.get(key);
    }

    /**
     * A group's effective value of {@code key}: its override, else the broker synonym's value, else the default.
     */
    public static String effective(String key, Map<String, String> overrides, BrokerSettings broker) {
        String value = overrides.get(key);
        if (value != null) {
            return value;
        }
        String brokerKey = BROKER_SYNONYM.get(key);
        if (brokerKey != null && broker.get(brokerKey) != null) {
            return broker.get(brokerKey);
        }
        Object fallback = DEFINITION.configKeys().get(key).defaultValue;
        return fallback == null ? null : String.valueOf(fallback);
    }
}
