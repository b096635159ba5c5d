package dev.walrus.kafka.metadata;

import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MetadataModuleTest {

    @TempDir
    Path dir;

    private MetadataHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private TopicInfo create(String name, int partitions, Map<String, String> configs) {
        Outcome<TopicInfo> outcome = harness.registry().create(name, partitions, configs, false);
        assertThat(outcome.error()).isEqualTo(Errors.NONE);
        harness.registry().durable().join();
        return outcome.value();
    }

    @Test
    void shouldKeepTheClusterIdAcrossRestarts() {
        harness = MetadataHarness.open(dir);
        String clusterId = harness.module().clusterId();

        harness.restart();

        assertThat(clusterId).isNotBlank();
        assertThat(harness.module().clusterId()).isEqualTo(clusterId);
    }

    @Test
    void shouldGiveEachNewDataDirectoryItsOwnClusterId(@TempDir Path other) {
        harness = MetadataHarness.open(dir);
        try (MetadataHarness second = MetadataHarness.open(other)) {
            assertThat(second.module().clusterId()).isNotEqualTo(harness.module().clusterId());
        }
    }

    @Test
    void shouldKeepTopicsWithTheirIdsPartitionsAndConfigsAcrossRestarts() {
        harness = MetadataHarness.open(dir);
        TopicInfo orders = create("orders", 3, Map.of("retention.ms", "1000", "cleanup.policy", "compact"));
        TopicInfo audit = create("audit", 1, Map.of());

        harness.restart();

        assertThat(harness.registry().byName("orders")).contains(orders);
        assertThat(harness.registry().byId(audit.id())).contains(audit);
        assertThat(harness.registry().all()).containsExactly(audit, orders);
    }

    @Test
    void shouldForgetADeletedTopicAcrossRestarts() {
        harness = MetadataHarness.open(dir);
        TopicInfo orders = create("orders", 2, Map.of());
        harness.registry().delete(orders).join();

        harness.restart();

        assertThat(harness.registry().byName("orders")).isEmpty();
        assertThat(harness.registry().byId(orders.id())).isEmpty();
    }

    @Test
    void shouldGiveARecreatedTopicANewId() {
        harness = MetadataHarness.open(dir);
        TopicInfo first = create("orders", 1, Map.of());
        harness.registry().delete(first).join();
        TopicInfo second = create("orders", 1, Map.of());

        harness.restart();

        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(harness.registry().byName("orders").orElseThrow().id()).isEqualTo(second.id());
    }

    @Test
    void shouldKeepAddedPartitionsAndChangedConfigsAcrossRestarts() {
        harness = MetadataHarness.open(dir);
        create("orders", 1, Map.of());
        harness.registry().addPartitions("orders", 4, false);
        harness.registry().replaceConfigs("orders", Map.of("retention.bytes", "1024"), false);
        harness.registry().durable().join();

        harness.restart();

        TopicInfo orders = harness.registry().byName("orders").orElseThrow();
        assertThat(orders.partitions()).isEqualTo(4);
        assertThat(orders.configs()).isEqualTo(Map.of("retention.bytes", "1024"));
    }

    @Test
    void shouldDeleteEveryPartitionsEngineTopicWithItsTopic() {
        harness = MetadataHarness.open(dir);
        TopicInfo orders = create("orders", 2, Map.of());
        TopicInfo audit = create("audit", 1, Map.of());
        harness.engine().append(orders.engineTopic(0), new byte[] {1});
        harness.engine().append(orders.engineTopic(1), new byte[] {2});
        harness.engine().append(audit.engineTopic(0), new byte[] {3});

        harness.registry().delete(orders).join();

        assertThat(harness.engine().topics()).doesNotContain(orders.engineTopic(0), orders.engineTopic(1))
                .contains(audit.engineTopic(0));
    }

    @Test
    void shouldFinishADeletionThatACrashInterrupted() {
        harness = MetadataHarness.open(dir);
        TopicInfo orders = create("orders", 1, Map.of());
        harness.engine().append(orders.engineTopic(0), new byte[] {1});
        // The deletion is logged, then the broker dies before deleting the partition's data.
        new MetadataLog(harness.engine()).append(new MetadataRecord.TopicDeleted(orders.id()));
        harness.engine().flush();

        harness.restart();

        assertThat(harness.registry().byName("orders")).isEmpty();
        assertThat(harness.engine().topics()).doesNotContain(orders.engineTopic(0));
    }

    @Test
    void shouldDeletePartitionLogsNoTopicOwnsAtStart() {
        harness = MetadataHarness.open(dir);
        TopicInfo orders = create("orders", 1, Map.of());
        TopicInfo neverLogged = new TopicInfo("lost", org.apache.kafka.common.Uuid.randomUuid(), 1, Map.of());
        harness.engine().append(orders.engineTopic(0), new byte[] {1});
        harness.engine().append(orders.engineTopic(1), new byte[] {2});
        harness.engine().append(neverLogged.engineTopic(0), new byte[] {3});
        harness.engine().append("someone-elses-topic", new byte[] {4});
        harness.engine().flush();

        harness.restart();

        assertThat(harness.engine().topics()).contains(orders.engineTopic(0), "someone-elses-topic")
                .doesNotContain(orders.engineTopic(1), neverLogged.engineTopic(0));
    }

    @Test
    void shouldTellListenersOfDeletionsNewPartitionsAndConfigChanges() {
        harness = MetadataHarness.open(dir);
        TopicInfo orders = create("orders", 1, Map.of());
        List<String> heard = new ArrayList<>();
        harness.registry().addListener(new Topics.TopicsListener() {
            @Override
            public void topicDeleted(TopicInfo topic) {
                heard.add("deleted " + topic.name());
            }

            @Override
            public void partitionsAdded(TopicInfo topic, int oldCount) {
                heard.add("grew " + topic.name() + " " + oldCount + "->" + topic.partitions());
            }

            @Override
            public void configChanged(TopicInfo topic) {
                heard.add("configs " + topic.configs());
            }
        });

        harness.registry().addPartitions("orders", 3, false);
        harness.registry().replaceConfigs("orders", Map.of("flush.messages", "1"), false);
        harness.registry().delete(harness.registry().byId(orders.id()).orElseThrow()).join();

        assertThat(heard).containsExactly("grew orders 1->3", "configs {flush.messages=1}", "deleted orders");
    }

    @Test
    void shouldAutoCreateWithTheBrokersPartitionCount() {
        harness = MetadataHarness.open(dir, Map.of("num.partitions", "4"));

        TopicInfo created = harness.module().topics().getOrAutoCreate("clicks").orElseThrow();

        assertThat(created.partitions()).isEqualTo(4);
        assertThat(created.configs()).isEmpty();
        assertThat(harness.module().topics().getOrAutoCreate("clicks")).contains(created);
    }

    @Test
    void shouldNotAutoCreateWhenAutoCreationIsOff() {
        harness = MetadataHarness.open(dir, Map.of("auto.create.topics.enable", "false"));

        assertThat(harness.module().topics().getOrAutoCreate("clicks")).isEmpty();
        assertThat(harness.registry().all()).isEmpty();
    }

    @Test
    void shouldNotAutoCreateAnIllegalOrInternalName() {
        harness = MetadataHarness.open(dir);

        assertThat(harness.module().topics().getOrAutoCreate("bad name")).isEmpty();
        assertThat(harness.module().topics().getOrAutoCreate("..")).isEmpty();
        assertThat(harness.module().topics().getOrAutoCreate("__consumer_offsets")).isEmpty();
        assertThat(harness.registry().all()).isEmpty();
    }

    @Test
    void shouldRefuseANameThatCollidesOnceDotsAndUnderscoresAreUnified() {
        harness = MetadataHarness.open(dir);
        create("ct.1", 1, Map.of());

        Outcome<TopicInfo> outcome = harness.registry().create("ct_1", 1, Map.of(), false);

        assertThat(outcome.error()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
        assertThat(outcome.message()).isEqualTo("Topic 'ct_1' collides with existing topic: ct.1");
    }

    @Test
    void shouldResolveEffectiveConfigsFromOverridesThenBrokerThenDefaults() {
        harness = MetadataHarness.open(dir, Map.of("log.retention.hours", "1"));
        TopicInfo orders = create("orders", 1, Map.of("max.message.bytes", "5000"));

        assertThat(harness.module().topics().effectiveConfig(orders, "max.message.bytes")).isEqualTo("5000");
        assertThat(harness.module().topics().effectiveConfig(orders, "retention.ms")).isEqualTo("3600000");
        assertThat(harness.module().topics().effectiveConfig(orders, "cleanup.policy")).isEqualTo("delete");
    }

    @Test
    void shouldKeepItsOwnLogOutOfTheTopicList() {
        harness = MetadataHarness.open(dir);
        create("orders", 1, Map.of());

        assertThat(harness.registry().all()).extracting(TopicInfo::name).containsExactly("orders");
        assertThat(harness.engine().topics()).contains(MetadataLog.ENGINE_TOPIC);
    }
}
