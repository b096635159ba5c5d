package dev.walrus.compat.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A consumer or streams group's own configs ({@code kafka-configs --entity-type groups}) are checked against the
 * broker's bounds, with Kafka's messages: {@code group.consumer.min/max.assignment.interval.ms},
 * {@code group.streams.min/max.heartbeat.interval.ms}, {@code group.streams.max.standby.replicas},
 * {@code group.streams.min.task.offset.interval.ms}, the registered task assignors and the rest; and the configs a
 * group is described with are Kafka 4.4's, its internal ones only once set. The shared broker of both targets lowers
 * {@code group.streams.min.heartbeat.interval.ms} to 1000; every other bound is Kafka's default.
 */
@ExtendWith(BrokerExtension.class)
class GroupConfigBoundsTest {

    @Test
    void shouldRefuseGroupConfigsOutsideTheBrokersBoundsWithKafkasMessages(TargetBroker broker) throws Exception {
        String group = TestTopics.unique("bounded-group");
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            assertRefused(admin, group, "consumer.assignment.interval.ms", "20000",
                    "consumer.assignment.interval.ms must be in the range 0 to 15000 inclusive.");
            assertRefused(admin, group, "streams.heartbeat.interval.ms", "20000",
                    "streams.heartbeat.interval.ms must be in the range 1000 to 15000 inclusive.");
            assertRefused(admin, group, "streams.session.timeout.ms", "30000",
                    "streams.session.timeout.ms must be in the range 45000 to 60000 inclusive.");
            assertRefused(admin, group, "streams.num.standby.replicas", "3",
                    "streams.num.standby.replicas must be less than or equal to 2");
            assertRefused(admin, group, "streams.assignment.interval.ms", "20000",
                    "streams.assignment.interval.ms must be in the range 0 to 15000 inclusive.");
            assertRefused(admin, group, "streams.task.offset.interval.ms", "1000",
                    "streams.task.offset.interval.ms must be greater than or equal to 15000");
            assertRefused(admin, group, "streams.num.warmup.replicas", "21",
                    "streams.num.warmup.replicas must be less than or equal to 20");
            assertRefused(admin, group, "streams.assignor.name", "fancy",
                    "streams.assignor.name 'fancy' is not a registered task assignor. Registered assignors are: [sticky].");
            assertRefused(admin, group, "streams.rack.aware.assignment.tags", "zone,zone",
                    "streams.rack.aware.assignment.tags must not contain duplicate tag keys.");

            // within the bounds: set and described as the group's own
            set(admin, group, "streams.num.standby.replicas", "2");
            set(admin, group, "streams.heartbeat.interval.ms", "2000");
            ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
            Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            assertThat(config.get("streams.num.standby.replicas").value()).isEqualTo("2");
            assertThat(config.get("streams.num.standby.replicas").source())
                    .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_GROUP_CONFIG);
            assertThat(config.get("streams.heartbeat.interval.ms").value()).isEqualTo("2000");
        }
    }

    @Test
    void shouldDescribeKafkasGroupConfigsAndItsInternalOnesOnlyOnceSet(TargetBroker broker) throws Exception {
        String group = TestTopics.unique("described-group");
        List<String> described = List.of(
                "consumer.assignment.interval.ms", "consumer.heartbeat.interval.ms", "consumer.session.timeout.ms",
                "errors.deadletterqueue.copy.record.enable", "errors.deadletterqueue.topic.name",
                "share.assignment.interval.ms", "share.auto.offset.reset", "share.delivery.count.limit",
                "share.heartbeat.interval.ms", "share.isolation.level", "share.partition.max.record.locks",
                "share.record.lock.duration.ms", "share.renew.acknowledge.enable", "share.session.timeout.ms",
                "streams.assignment.interval.ms", "streams.assignor.name", "streams.heartbeat.interval.ms",
                "streams.initial.rebalance.delay.ms", "streams.num.standby.replicas",
                "streams.rack.aware.assignment.tags", "streams.session.timeout.ms");
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            Config fresh = describe(admin, group);
            assertThat(fresh.entries()).extracting(ConfigEntry::name).containsExactlyInAnyOrderElementsOf(described);
            assertThat(fresh.get("streams.assignor.name").value()).isEqualTo("sticky");
            assertThat(fresh.get("streams.assignor.name").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
            assertThat(fresh.get("streams.rack.aware.assignment.tags").value()).isEmpty();

            // an internal one (Kafka's GroupConfig.isInternal) may be set, and is described once it is
            set(admin, group, "streams.acceptable.recovery.lag", "5000");
            set(admin, group, "streams.rack.aware.assignment.tags", "zone");
            Config set = describe(admin, group);
            assertThat(set.entries()).hasSize(described.size() + 1);
            assertThat(set.get("streams.acceptable.recovery.lag").value()).isEqualTo("5000");
            assertThat(set.get("streams.rack.aware.assignment.tags").value()).isEqualTo("zone");
            assertThat(set.get("streams.rack.aware.assignment.tags").source())
                    .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_GROUP_CONFIG);
        }
    }

    private static Config describe(Admin admin, String group) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
        return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
    }

    private static void assertRefused(Admin admin, String group, String key, String value, String message) {
        assertThatThrownBy(() -> set(admin, group, key, value)).as("%s=%s", key, value)
                .hasCauseInstanceOf(InvalidConfigurationException.class)
                .cause().hasMessage(message);
    }

    private static void set(Admin admin, String group, String key, String value) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
        admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(new ConfigEntry(key, value),
                AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
    }
}
