package dev.walrus.compat.share;

import dev.walrus.compat.Clients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Share consumers (KIP-932), share group configs and the helpers the share group tests have in common. */
final class ShareFixtures {

    private ShareFixtures() {}

    static KafkaShareConsumer<String, String> shareConsumer(String bootstrap, String group) {
        return shareConsumer(bootstrap, group, Map.of());
    }

    static KafkaShareConsumer<String, String> shareConsumer(String bootstrap, String group, Map<String, ?> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "share-consumer-" + group);
        config.putAll(overrides);
        return new KafkaShareConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    static Map<String, Object> explicit() {
        return Map.of("share.acknowledgement.mode", "explicit");
    }

    /** Sets one group config, as Kafka's docs set {@code share.auto.offset.reset} for a share group. */
    static void setGroupConfig(Admin admin, String group, String key, String value) throws Exception {
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group),
                List.of(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET))))
                .all().get(30, TimeUnit.SECONDS);
    }

    static void fromEarliest(String bootstrap, String group) throws Exception {
        try (Admin admin = Clients.admin(bootstrap)) {
            setGroupConfig(admin, group, "share.auto.offset.reset", "earliest");
        }
    }

    static void produce(String bootstrap, String topic, String... values) {
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            for (String v : values) {
                producer.send(new ProducerRecord<>(topic, 0, null, v));
            }
            producer.flush();
        }
    }

    static String[] values(String prefix, int count) {
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
            values[i] = prefix + i;
        }
        return values;
    }

    /** Polls until {@code done} holds for everything received so far, or fails after 60 s. */
    static List<ConsumerRecord<String, String>> pollUntil(KafkaShareConsumer<String, String> consumer,
                                                          Predicate<List<ConsumerRecord<String, String>>> done) {
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.test(received)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out polling; received " + received.stream().map(ConsumerRecord::value).toList());
            }
            consumer.poll(Duration.ofMillis(200)).forEach(received::add);
        }
        return received;
    }

    static List<ConsumerRecord<String, String>> pollCount(KafkaShareConsumer<String, String> consumer, int count) {
        return pollUntil(consumer, r -> r.size() >= count);
    }

    /** Polls for a while and returns everything received in that time. */
    static List<ConsumerRecord<String, String>> pollFor(KafkaShareConsumer<String, String> consumer, Duration time) {
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        long deadline = System.nanoTime() + time.toNanos();
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(received::add);
        }
        return received;
    }

    static Map<TopicPartition, SharePartitionOffsetInfo> shareOffsets(Admin admin, String group) throws Exception {
        return admin.listShareGroupOffsets(Map.of(group, new ListShareGroupOffsetsSpec()))
                .partitionsToOffsetInfo(group).get(30, TimeUnit.SECONDS);
    }

    static List<String> valuesOf(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
