package dev.walrus.compat.share;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.KafkaCli;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.UUID;

import static dev.walrus.compat.share.ShareFixtures.fromEarliest;
import static dev.walrus.compat.share.ShareFixtures.pollCount;
import static dev.walrus.compat.share.ShareFixtures.produce;
import static dev.walrus.compat.share.ShareFixtures.shareConsumer;
import static dev.walrus.compat.share.ShareFixtures.shareOffsets;
import static dev.walrus.compat.share.ShareFixtures.values;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka's own {@code kafka-share-groups} tool (ShareGroupCommand from kafka-tools, in a child JVM): list, describe
 * (state, members, offsets), reset offsets and delete.
 */
@ExtendWith(BrokerExtension.class)
class ShareGroupCommandTest {

    private static final String TOOL = "org.apache.kafka.tools.consumer.group.ShareGroupCommand";

    private String bootstrap;
    private String topic;
    private String group;

    @BeforeEach
    void groupWithAcknowledgedRecords(TargetBroker broker) throws Exception {
        bootstrap = broker.bootstrapServers();
        topic = TestTopics.createUnique(bootstrap, "sgc", 1);
        group = "sgc-" + UUID.randomUUID();
        fromEarliest(bootstrap, group);
        produce(bootstrap, topic, values("v-", 8));
        try (KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group)) {
            consumer.subscribe(List.of(topic));
            pollCount(consumer, 8);
            consumer.commitSync();
        }
    }

    @Test
    void shouldListDescribeResetAndDeleteAShareGroup() throws Exception {
        CommandResult list = KafkaCli.run(TOOL, "--bootstrap-server", bootstrap, "--list");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.stdoutLines()).as(list.toString()).contains(group);

        CommandResult state = KafkaCli.run(TOOL, "--bootstrap-server", bootstrap, "--describe", "--group", group, "--state");
        assertThat(state.exitCode()).as(state.toString()).isZero();
        assertThat(state.stdoutLines()).as(state.toString()).anySatisfy(line ->
                assertThat(line.split("\\s+")).contains(group, "Empty"));

        CommandResult offsets = KafkaCli.run(TOOL, "--bootstrap-server", bootstrap, "--describe", "--group", group, "--offsets");
        assertThat(offsets.exitCode()).as(offsets.toString()).isZero();
        // GROUP TOPIC PARTITION START-OFFSET LAG: every record acknowledged, no lag (the start offset Kafka shows
        // may trail the acknowledgements)
        assertThat(offsets.stdoutLines()).as(offsets.toString()).anySatisfy(line -> {
            String[] columns = line.split("\\s+");
            assertThat(columns).hasSize(5);
            assertThat(columns[0]).isEqualTo(group);
            assertThat(columns[1]).isEqualTo(topic);
            assertThat(columns[2]).isEqualTo("0");
            assertThat(columns[4]).isEqualTo("0");
        });

        CommandResult reset = KafkaCli.run(TOOL, "--bootstrap-server", bootstrap, "--reset-offsets", "--group", group,
                "--topic", topic, "--to-earliest", "--execute");
        assertThat(reset.exitCode()).as(reset.toString()).isZero();
        assertThat(reset.stdoutLines()).as(reset.toString()).anySatisfy(line ->
                assertThat(line.split("\\s+")).containsSubsequence(group, topic, "0", "0"));
        try (Admin admin = Clients.admin(bootstrap)) {
            assertThat(shareOffsets(admin, group).get(new TopicPartition(topic, 0)).startOffset()).isZero();
        }

        CommandResult delete = KafkaCli.run(TOOL, "--bootstrap-server", bootstrap, "--delete", "--group", group);
        assertThat(delete.exitCode()).as(delete.toString()).isZero();
        assertThat(delete.stdout()).as(delete.toString()).contains("Deletion of requested share groups ('" + group + "') was successful.");
        CommandResult after = KafkaCli.run(TOOL, "--bootstrap-server", bootstrap, "--list");
        assertThat(after.stdoutLines()).as(after.toString()).doesNotContain(group);
    }

    @Test
    void shouldSetAndDescribeShareGroupConfigsWithKafkaConfigs() {
        String other = "sgc-configs-" + UUID.randomUUID();
        CommandResult alter = KafkaCli.run(KafkaCli.CONFIGS, "--bootstrap-server", bootstrap, "--entity-type", "groups",
                "--entity-name", other, "--alter", "--add-config", "share.auto.offset.reset=earliest,share.delivery.count.limit=3");
        assertThat(alter.exitCode()).as(alter.toString()).isZero();
        CommandResult describe = KafkaCli.run(KafkaCli.CONFIGS, "--bootstrap-server", bootstrap, "--entity-type", "groups",
                "--entity-name", other, "--describe");
        assertThat(describe.exitCode()).as(describe.toString()).isZero();
        assertThat(describe.stdout()).as(describe.toString())
                .contains("share.auto.offset.reset=earliest").contains("share.delivery.count.limit=3");
        CommandResult refused = KafkaCli.run(KafkaCli.CONFIGS, "--bootstrap-server", bootstrap, "--entity-type", "groups",
                "--entity-name", other, "--alter", "--add-config", "share.record.lock.duration.ms=100");
        assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
        assertThat(refused.stdout() + refused.stderr()).as(refused.toString())
                .contains("Invalid value 100 for configuration share.record.lock.duration.ms: Value must be at least 1000");
    }

    @Test
    void shouldDescribeTheMembersOfAnActiveShareGroup() throws Exception {
        try (KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group)) {
            consumer.subscribe(List.of(topic));
            produce(bootstrap, topic, "more");
            pollCount(consumer, 1);
            CommandResult members = KafkaCli.run(TOOL, "--bootstrap-server", bootstrap, "--describe", "--group", group, "--members");
            assertThat(members.exitCode()).as(members.toString()).isZero();
            assertThat(members.stdoutLines()).as(members.toString()).anySatisfy(line -> {
                assertThat(line).startsWith(group);
                assertThat(line).contains("share-consumer-" + group).contains(topic + ":0");
            });
            CommandResult delete = KafkaCli.run(TOOL, "--bootstrap-server", bootstrap, "--delete", "--group", group);
            assertThat(delete.stdout()).as(delete.toString()).contains("could not be deleted");
        }
    }
}
