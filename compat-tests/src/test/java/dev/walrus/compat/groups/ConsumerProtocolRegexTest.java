package dev.walrus.compat.groups;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.Records;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A regular-expression subscription resolved by the broker (KIP-848, {@code subscribe(SubscriptionPattern)} with
 * {@code group.protocol=consumer}): the group consumes the topics that match, not the others, and a matching topic
 * created while it runs joins the subscription.
 */
@ExtendWith(BrokerExtension.class)
class ConsumerProtocolRegexTest {

    @Test
    void shouldConsumeTheTopicsTheBrokerMatchesIncludingOnesCreatedLater(TargetBroker broker) throws Exception {
        String prefix = "rxsub" + System.nanoTime() % 1_000_000 + "-";
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            TestTopics.create(admin, prefix + "a", 1);
            TestTopics.create(admin, "other-" + prefix, 1);
        }
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>(prefix + "a", "k", "a")).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>("other-" + prefix, "k", "other")).get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> settings = new HashMap<>();
        settings.put("group.protocol", "consumer");
        settings.put("group.id", "rx-group-" + System.nanoTime());
        settings.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), settings)) {
            consumer.subscribe(new SubscriptionPattern(prefix + ".*"));
            assertThat(Records.pollExactly(consumer, 1)).extracting(ConsumerRecord::value).containsExactly("a");

            try (Admin admin = Clients.admin(broker.bootstrapServers());
                 KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
                TestTopics.create(admin, prefix + "b", 1);
                producer.send(new ProducerRecord<>(prefix + "b", "k", "b")).get(30, TimeUnit.SECONDS);
            }
            List<ConsumerRecord<String, String>> later = Records.pollExactly(consumer, 1, java.time.Duration.ofSeconds(60));
            assertThat(later).extracting(ConsumerRecord::value).containsExactly("b");
            assertThat(consumer.assignment()).extracting(tp -> tp.topic())
                    .containsExactlyInAnyOrder(prefix + "a", prefix + "b");
        }
    }
}
