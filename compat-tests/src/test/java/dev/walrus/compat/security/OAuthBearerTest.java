package dev.walrus.compat.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.OwnBrokerTest;
import dev.walrus.compat.Clients;
import dev.walrus.compat.Records;
import dev.walrus.compat.SaslFixtures;
import dev.walrus.compat.TestTopics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/**
 * SASL/OAUTHBEARER with Kafka's unsecured tokens (its default validator, for development): the Java client's
 * unsecured login makes a token for its {@code sub}, which becomes the principal the authorizer checks; a listener
 * that requires a scope refuses a token without it with Kafka's JSON error.
 */
class OAuthBearerTest extends OwnBrokerTest {

    private static final String LOGIN = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule";

    @Test
    void shouldAuthenticateTheTokensSubjectAndAuthorizeItAsThePrincipal() throws Exception {
        Map<String, String> settings = brokerSettings("");
        settings.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        settings.put("super.users", "User:admin;User:ANONYMOUS");
        broker = ChildBroker.forCurrentTarget("oauth", "SASL_PLAINTEXT", settings, client("admin", "")).start();
        String topic;
        try (Admin admin = Clients.admin(broker.bootstrapServers(), client("admin", ""))) {
            topic = TestTopics.create(admin, TestTopics.unique("oauth"), 1);
            for (AclOperation operation : List.of(AclOperation.WRITE, AclOperation.READ)) {
                AclBinding acl = new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                        new AccessControlEntry("User:alice", "*", operation, AclPermissionType.ALLOW));
                admin.createAcls(List.of(acl)).all().get(30, TimeUnit.SECONDS);
                while (!admin.describeAcls(acl.toFilter()).values().get(30, TimeUnit.SECONDS).contains(acl)) {
                    Thread.sleep(50);   // Kafka's broker lists a new ACL a moment later
                }
            }
        }
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), client("alice", ""))) {
            producer.send(new ProducerRecord<>(topic, "k", "from-alice")).get(30, TimeUnit.SECONDS);
        }
        Map<String, String> bob = client("bob", "");
        bob.put("max.block.ms", "20000");
        bob.put("delivery.timeout.ms", "20000");
        bob.put("request.timeout.ms", "10000");
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), bob)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "k", "from-bob")).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TopicAuthorizationException.class);
        }
        Map<String, String> consumerSettings = client("alice", "");
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), consumerSettings)) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(List.of(new TopicPartition(topic, 0)));
            assertThat(Records.pollExactly(consumer, 1)).extracting(ConsumerRecord::value).containsExactly("from-alice");
        }
    }

    @Test
    void shouldRefuseATokenWithoutTheRequiredScope() throws Exception {
        broker = ChildBroker.forCurrentTarget("oauth-scope", "SASL_PLAINTEXT", brokerSettings(" unsecuredValidatorRequiredScope=\"kafka\""),
                client("admin", ",kafka")).start();
        try (Admin withScope = Clients.admin(broker.bootstrapServers(), client("alice", ",kafka,other"))) {
            assertThat(withScope.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }
        try (Admin withoutScope = Clients.admin(broker.bootstrapServers(), client("alice", ",other"))) {
            assertThatThrownBy(() -> withoutScope.describeCluster(new DescribeClusterOptions().timeoutMs(20_000)).nodes().get())
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(SaslAuthenticationException.class)
                    .hasMessage("{\"status\":\"insufficient_scope\", \"scope\":\"[kafka]\"}");
        }
    }

    /**
     * A SASL_PLAINTEXT listener enabling OAUTHBEARER (and PLAIN, which Kafka's own inter-broker connection uses), its
     * JAAS config with {@code validatorOptions} added.
     */
    private static Map<String, String> brokerSettings(String validatorOptions) {
        Map<String, String> settings = SaslFixtures.brokerSettings("SASL_PLAINTEXT", "PLAIN,OAUTHBEARER");
        settings.put("listener.name.sasl_plaintext.oauthbearer.sasl.jaas.config",
                LOGIN + " required unsecuredLoginStringClaim_sub=\"admin\"" + validatorOptions + ";");
        return settings;
    }

    /** A client logging in with an unsecured token for {@code subject}, with scopes in Kafka's list syntax. */
    private static Map<String, String> client(String subject, String scopes) {
        Map<String, String> settings = new HashMap<>(Map.of("security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "OAUTHBEARER",
                "sasl.jaas.config", LOGIN + " required unsecuredLoginStringClaim_sub=\"" + subject + "\""
                        + (scopes.isEmpty() ? "" : " unsecuredLoginListClaim_scope=\"" + scopes + "\"") + ";"));
        return settings;
    }
}
