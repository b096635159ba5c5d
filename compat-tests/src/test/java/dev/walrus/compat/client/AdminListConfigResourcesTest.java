package dev.walrus.compat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.KafkaCli;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListConfigResourcesOptions;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Admin listConfigResources (ListConfigResources, KIP-1142): the resources that have configs, by type: a group given
 * a group config (though no member ever joined it), every topic, this broker; and {@code kafka-configs --describe
 * --entity-type groups} without a name, which finds that group through it.
 */
@ExtendWith(BrokerExtension.class)
class AdminListConfigResourcesTest {

    @Test
    void shouldListAGroupWithConfigsTopicsAndTheBroker(TargetBroker broker) throws Exception {
        String topic = TestTopics.createUnique(broker.bootstrapServers(), "list-config-resources", 1);
        String group = "configured-group-" + System.nanoTime();
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            ConfigResource groupResource = new ConfigResource(ConfigResource.Type.GROUP, group);
            admin.incrementalAlterConfigs(Map.of(groupResource, List.of(new AlterConfigOp(
                    new ConfigEntry("consumer.session.timeout.ms", "50000"), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS);
            int node = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).iterator().next().id();

            assertThat(awaitListed(admin, Set.of(ConfigResource.Type.GROUP), groupResource)).contains(groupResource);
            assertThat(admin.listConfigResources(Set.of(ConfigResource.Type.TOPIC), new ListConfigResourcesOptions())
                    .all().get(30, TimeUnit.SECONDS)).contains(new ConfigResource(ConfigResource.Type.TOPIC, topic))
                    .allMatch(r -> r.type() == ConfigResource.Type.TOPIC);
            assertThat(admin.listConfigResources(Set.of(ConfigResource.Type.BROKER), new ListConfigResourcesOptions())
                    .all().get(30, TimeUnit.SECONDS))
                    .containsExactly(new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(node)));
            assertThat(admin.listConfigResources(Set.of(), new ListConfigResourcesOptions()).all().get(30, TimeUnit.SECONDS))
                    .contains(groupResource, new ConfigResource(ConfigResource.Type.TOPIC, topic),
                            new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(node)),
                            new ConfigResource(ConfigResource.Type.BROKER_LOGGER, Integer.toString(node)));
        }
        CommandResult described = KafkaCli.run(KafkaCli.CONFIGS, "--bootstrap-server", broker.bootstrapServers(),
                "--describe", "--entity-type", "groups");
        assertThat(described.exitCode()).as(described.toString()).isZero();
        assertThat(described.stdout()).contains("Dynamic configs for group " + group + " are:")
                .contains("consumer.session.timeout.ms=50000");
    }

    /** Kafka's broker lists a group's new configs a moment after the change is answered. */
    private static Collection<ConfigResource> awaitListed(Admin admin, Set<ConfigResource.Type> types, ConfigResource wanted)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Collection<ConfigResource> listed = admin.listConfigResources(types, new ListConfigResourcesOptions())
                .all().get(30, TimeUnit.SECONDS);
        while (!listed.contains(wanted) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            listed = admin.listConfigResources(types, new ListConfigResourcesOptions()).all().get(30, TimeUnit.SECONDS);
        }
        return listed;
    }
}
