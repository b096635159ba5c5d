package dev.walrus.compat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.Records;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.acl.AclOperation;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A group described with its authorized operations on a broker without an authorizer (Kafka's default): every
 * operation a group supports, for a classic group (DescribeGroups v3+) and a consumer-protocol group
 * (ConsumerGroupDescribe), as Kafka's broker answers.
 */
@ExtendWith(BrokerExtension.class)
class GroupAuthorizedOperationsTest {

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void shouldAnswerEveryGroupOperationWithoutAnAuthorizer(String protocol, TargetBroker broker) throws Exception {
        String topic = "gao-" + protocol + "-" + System.nanoTime();
        String group = "gao-group-" + protocol + "-" + System.nanoTime();
        try (Admin admin = Clients.admin(broker.bootstrapServers());
             KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
            TestTopics.create(admin, topic, 1);
            producer.send(new ProducerRecord<>(topic, "k", "v")).get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> settings = Map.of("group.protocol", protocol, "group.id", group,
                "auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), settings);
             Admin admin = Clients.admin(broker.bootstrapServers())) {
            consumer.subscribe(List.of(topic));
            Records.pollExactly(consumer, 1);

            ConsumerGroupDescription described = admin.describeConsumerGroups(List.of(group),
                            new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true))
                    .describedGroups().get(group).get(30, TimeUnit.SECONDS);
            assertThat(described.type()).isEqualTo(protocol.equals("classic") ? GroupType.CLASSIC : GroupType.CONSUMER);
            assertThat(described.authorizedOperations()).containsExactlyInAnyOrder(AclOperation.READ,
                    AclOperation.DESCRIBE, AclOperation.DELETE, AclOperation.DESCRIBE_CONFIGS,
                    AclOperation.ALTER_CONFIGS);

            ConsumerGroupDescription withoutOperations = admin.describeConsumerGroups(List.of(group))
                    .describedGroups().get(group).get(30, TimeUnit.SECONDS);
            assertThat(withoutOperations.authorizedOperations()).isNull();
        }
    }
}
