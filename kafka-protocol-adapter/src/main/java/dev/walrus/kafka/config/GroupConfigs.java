package dev.walrus.kafka.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;

/**
 * The group config keys of Apache Kafka 4.x (KIP-848 consumer groups and KIP-1071 streams groups) that this broker
 * describes, each with the broker key that supplies its default. Share-group and dead-letter-queue keys are left out:
 * share groups are not served.
 */
public final class GroupConfigs {

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
        define("streams.task.offset.interval.ms", 60000, 1, "group.streams.task.offset.interval.ms",
                "How often the members of a streams group report their task offsets.");
    }

    private GroupConfigs() {}

    private static void define(String name, int defaultValue, int min, String brokerKey, String doc) {
        DEFINITION.define(name, Type.INT, defaultValue, atLeast(min), Importance.MEDIUM, doc);
        BROKER_SYNONYM.put(name, brokerKey);
    }

    /** The broker key whose value is this group config's default. */
    public static String brokerSynonym(String key) {
        return BROKER_SYNONYM.get(key);
    }
}
