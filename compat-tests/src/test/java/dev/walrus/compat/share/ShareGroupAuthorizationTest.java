package dev.walrus.compat.share;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.Clients;
import dev.walrus.compat.OwnBrokerTest;
import dev.walrus.compat.SaslFixtures;
import dev.walrus.compat.TestTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.walrus.compat.share.ShareFixtures.pollCount;
import static dev.walrus.compat.share.ShareFixtures.setGroupConfig;
import static dev.walrus.compat.share.ShareFixtures.shareConsumer;
import static dev.walrus.compat.share.ShareFixtures.valuesOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A share consumer under Kafka's StandardAuthorizer (SASL/PLAIN, {@code alice} not a super user): it needs READ on
 * its topic (DESCRIBE for the metadata first) and READ on its group, with Kafka's exceptions when it lacks them.
 */
class ShareGroupAuthorizationTest extends OwnBrokerTest {

    @Test
    void shouldNeedReadOnTheGroupAndOnTheTopic() throws Exception {
        Map<String, String> settings = SaslFixtures.brokerSettings("SASL_PLAINTEXT", "PLAIN");
        settings.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        settings.put("super.users", "User:admin;User:ANONYMOUS");
        Map<String, String> admin = SaslFixtures.client("SASL_PLAINTEXT", "PLAIN", "admin", "admin-secret");
        broker = ChildBroker.forCurrentTarget("share-acl", "SASL_PLAINTEXT", settings, admin).start();
        String bootstrap = broker.bootstrapServers();
        String topic = "share-acl-" + UUID.randomUUID().toString().substring(0, 8);
        String group = "share-acl-" + UUID.randomUUID();
        try (Admin a = Clients.admin(bootstrap, admin)) {
            TestTopics.create(a, topic, 1);
            setGroupConfig(a, group, "share.auto.offset.reset", "earliest");
        }
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap, admin)) {
            producer.send(new ProducerRecord<>(topic, 0, null, "secret")).get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> alice = new HashMap<>(SaslFixtures.alice());

        // the subscribed topic's metadata comes first, then the group's heartbeat
        assertThat(failure(bootstrap, group, topic, alice)).isInstanceOf(TopicAuthorizationException.class);
        grant(bootstrap, admin, new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL));
        assertThat(failure(bootstrap, group, topic, alice)).isInstanceOf(GroupAuthorizationException.class);
        grant(bootstrap, admin, new ResourcePattern(ResourceType.GROUP, group, PatternType.LITERAL));
        try (KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group, alice)) {
            consumer.subscribe(List.of(topic));
            assertThat(valuesOf(pollCount(consumer, 1))).containsExactly("secret");
        }
    }

    /** What polling throws for alice within 30 s. */
    private static Throwable failure(String bootstrap, String group, String topic, Map<String, Object> alice) {
        try (KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, group, alice)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    consumer.poll(Duration.ofMillis(200));
                } catch (RuntimeException e) {
                    return e;
                }
            }
        }
        return null;
    }

    /** READ for alice, created as admin and waited for until listed (Kafka's broker may list it a moment later). */
    private static void grant(String bootstrap, Map<String, String> admin, ResourcePattern pattern) throws Exception {
        AclBinding binding = new AclBinding(pattern,
                new AccessControlEntry("User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW));
        try (Admin a = Clients.admin(bootstrap, admin)) {
            a.createAcls(List.of(binding)).all().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!a.describeAcls(binding.toFilter()).values().get(30, TimeUnit.SECONDS).contains(binding)) {
                assertThat(System.nanoTime()).as("ACL %s listed", binding).isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }
}
