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
 * {@code group.streams.min.task.offset.interval.ms} and the rest. The shared broker of both targets lowers
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
