package dev.walrus.compat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Topic names no other test uses (one broker serves the whole run), and topic creation that waits for the answer.
 */
public final class TestTopics {

    private TestTopics() {}

    /** {@code prefix} plus a random suffix: legal in Kafka (letters, digits, '.', '_', '-'). */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a topic with replication factor 1 and waits until the broker confirms it. */
    public static String create(Admin admin, String name, int partitions) {
        return create(admin, name, partitions, Map.of());
    }

    public static String create(Admin admin, String name, int partitions, Map<String, String> configs) {
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
                .all().get(30, TimeUnit.SECONDS);
            return name;
        } catch (Exception e) {
            throw new AssertionError("could not create topic " + name, e);
        }
    }

    /**
     * Waits until every partition answers a ListOffsets (only the leader does): a topic is created before each
     * broker serves it, and raw requests, unlike Kafka's clients, do not retry NOT_LEADER_OR_FOLLOWER.
     */
    public static void awaitLeaders(String bootstrap, String topic, int partitions) {
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition(topic, p));
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap)) {
            consumer.endOffsets(all, Duration.ofSeconds(30));
        }
    }

    /** Creates a uniquely named topic. */
    public static String createUnique(String bootstrap, String prefix, int partitions) {
        return createUnique(bootstrap, prefix, partitions, Map.of());
    }

    public static String createUnique(String bootstrap, String prefix, int partitions, Map<String, String> configs) {
        try (Admin admin = Clients.admin(bootstrap)) {
            return create(admin, unique(prefix), partitions, configs);
        }
    }

    /**
     * The config of a topic whose records carry timestamps from long ago: without it, the broker's retention check
     * (every 5 minutes by default, 7 days' retention) may delete them at any moment of the test, on either broker.
     */
    public static final Map<String, String> KEPT_FOREVER = Map.of("retention.ms", "-1");
}
