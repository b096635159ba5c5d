package dev.walrus.compat;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka clients for tests. Producers keep Kafka's defaults (idempotent, acks=all) unless a test overrides them: the
 * defaults are what users run. Consumers are for {@code assign}: no group, no auto commit, and reading from the earliest
 * offset. Every client gets a client.id naming its role, so broker logs say who did what.
 */
public final class Clients {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private Clients() {}

    public static KafkaProducer<String, String> producer(String bootstrap) {
        return producer(bootstrap, Map.of());
    }

    public static KafkaProducer<String, String> producer(String bootstrap, Map<String, ?> overrides) {
        return new KafkaProducer<>(producerConfig(bootstrap, overrides), new StringSerializer(), new StringSerializer());
    }

    public static KafkaProducer<byte[], byte[]> bytesProducer(String bootstrap, Map<String, ?> overrides) {
        return new KafkaProducer<>(producerConfig(bootstrap, overrides), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * A transactional producer: {@code transactional.id} set (which makes it idempotent), nothing else changed. The test
     * calls {@code initTransactions()} itself, as that call is part of what transactions tests show.
     */
    public static KafkaProducer<String, String> transactionalProducer(String bootstrap, String transactionalId) {
        return transactionalProducer(bootstrap, transactionalId, Map.of());
    }

    public static KafkaProducer<String, String> transactionalProducer(String bootstrap, String transactionalId,
            Map<String, ?> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId("txn-producer"));
        config.putAll(overrides);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return producer(bootstrap, config);
    }

    public static KafkaConsumer<String, String> consumer(String bootstrap) {
        return consumer(bootstrap, Map.of());
    }

    public static KafkaConsumer<String, String> consumer(String bootstrap, Map<String, ?> overrides) {
        return new KafkaConsumer<>(consumerConfig(bootstrap, overrides), new StringDeserializer(), new StringDeserializer());
    }

    public static KafkaConsumer<byte[], byte[]> bytesConsumer(String bootstrap, Map<String, ?> overrides) {
        return new KafkaConsumer<>(consumerConfig(bootstrap, overrides), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    public static Admin admin(String bootstrap) {
        return admin(bootstrap, Map.of());
    }

    public static Admin admin(String bootstrap, Map<String, ?> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId("admin"));
        config.putAll(overrides);
        return Admin.create(config);
    }

    private static Map<String, Object> producerConfig(String bootstrap, Map<String, ?> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId("producer"));
        config.putAll(overrides);
        return config;
    }

    private static Map<String, Object> consumerConfig(String bootstrap, Map<String, ?> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId("consumer"));
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.putAll(overrides);
        return config;
    }

    private static String clientId(String role) {
        return "compat-" + role + "-" + SEQUENCE.incrementAndGet();
    }
}
