package dev.walrus.compat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.KafkaCli;
import dev.walrus.compat.TargetBroker;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Client-metrics resources (KIP-714 telemetry subscriptions) through {@code kafka-client-metrics} and the admin
 * client: created, listed, described with Kafka's defaults, refused with Kafka's errors when malformed, and deleted.
 */
@ExtendWith(BrokerExtension.class)
class ClientMetricsCommandTest {

    @Test
    void kafkaClientMetricsShouldAlterListDescribeAndDeleteASubscription(TargetBroker broker) throws Exception {
        String name = "walrus-sub-" + System.nanoTime();
        String[] common = {"--bootstrap-server", broker.bootstrapServers()};
        CommandResult altered = run(common, "--alter", "--name", name, "--metrics",
                "org.apache.kafka.producer.,org.apache.kafka.consumer.coordinator", "--interval", "1000",
                "--match", "client_id=compat-.*");
        assertThat(altered.exitCode()).as(altered.toString()).isZero();
        assertThat(altered.stdout()).contains("Altered client metrics config for " + name + ".");

        CommandResult listed = awaitListed(common, name);
        assertThat(listed.stdoutLines()).contains(name);
        CommandResult described = run(common, "--describe", "--name", name);
        assertThat(described.exitCode()).as(described.toString()).isZero();
        assertThat(described.stdoutLines()).contains("Client metrics configs for " + name + " are:",
                "interval.ms=1000", "match=client_id=compat-.*",
                "metrics=org.apache.kafka.producer.,org.apache.kafka.consumer.coordinator");

        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.CLIENT_METRICS, name);
            assertThatThrownBy(() -> set(admin, resource, "interval.ms", "50"))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("interval must be between 100 and 3600000");
            assertThatThrownBy(() -> set(admin, resource, "match", "host=compat"))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(InvalidConfigurationException.class)
                    .hasMessage("Illegal client matching pattern: host=compat");
            assertThatThrownBy(() -> set(admin, resource, "colour", "blue"))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(InvalidRequestException.class)
                    .hasMessage("Unknown client metrics configuration: colour");
            Config fresh = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.CLIENT_METRICS,
                    "never-set-" + System.nanoTime()))).all().get(30, TimeUnit.SECONDS).values().iterator().next();
            assertThat(fresh.get("interval.ms").value()).isEqualTo("300000");
            assertThat(fresh.get("interval.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
            assertThat(fresh.get("metrics").value()).isEmpty();
        }

        CommandResult deleted = run(common, "--delete", "--name", name);
        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(deleted.stdout()).contains("Deleted client metrics config for " + name + ".");
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (listedNames(admin).contains(name) && System.nanoTime() < deadline) {
                Thread.sleep(50);   // Kafka's broker learns of the change a moment after answering
            }
            assertThat(listedNames(admin)).doesNotContain(name);
        }
    }

    private static void set(Admin admin, ConfigResource resource, String key, String value) throws Exception {
        admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(new ConfigEntry(key, value),
                AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
    }

    private static Set<String> listedNames(Admin admin) throws Exception {
        return admin.listConfigResources(Set.of(ConfigResource.Type.CLIENT_METRICS),
                        new org.apache.kafka.clients.admin.ListConfigResourcesOptions()).all().get(30, TimeUnit.SECONDS)
                .stream().map(ConfigResource::name).collect(java.util.stream.Collectors.toSet());
    }

    /** {@code --list} until it shows the subscription: Kafka's broker lists it a moment after the change. */
    private static CommandResult awaitListed(String[] common, String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        CommandResult listed = run(common, "--list");
        while (!listed.stdoutLines().contains(name) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            listed = run(common, "--list");
        }
        return listed;
    }

    private static CommandResult run(String[] common, String... args) {
        String[] all = new String[common.length + args.length];
        System.arraycopy(common, 0, all, 0, common.length);
        System.arraycopy(args, 0, all, common.length, args.length);
        return KafkaCli.run(KafkaCli.CLIENT_METRICS, all);
    }
}
