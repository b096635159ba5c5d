package dev.walrus.compat.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.Clients;
import dev.walrus.compat.OwnBrokerTest;
import dev.walrus.compat.Records;
import dev.walrus.compat.SaslFixtures;
import dev.walrus.compat.TestTopics;
import java.time.Duration;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SASL/OAUTHBEARER with tokens signed by an identity provider (Kafka's {@code OAuthBearerValidatorCallbackHandler},
 * KIP-768): Java clients get tokens from a provider's token endpoint (client credentials) and the broker checks each
 * signature against the keys the provider publishes (JWKS), with the audience and issuer it expects. The provider is
 * {@link TestIdentityProvider}, on 127.0.0.1; both brokers must be allowed its URLs by Kafka's system property.
 */
class OAuthBearerSignedTokenTest extends OwnBrokerTest {

    private static final String ALLOWED_URLS = "org.apache.kafka.sasl.oauthbearer.allowed.urls";
    private static final String VALIDATOR = "org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler";
    private static final String INVALID_TOKEN = "{\"status\":\"invalid_token\"}";

    private TestIdentityProvider idp;
    private String previousAllowedUrls;

    @BeforeEach
    void startTheIdentityProvider() throws Exception {
        idp = new TestIdentityProvider()
                .register("alice", "alice-secret", TestIdentityProvider.AUDIENCE, false)
                .register("bob", "bob-secret", TestIdentityProvider.AUDIENCE, false)
                .register("carol", "carol-secret", "another-service", false)
                .register("mallory", "mallory-secret", TestIdentityProvider.AUDIENCE, true);
        previousAllowedUrls = System.getProperty(ALLOWED_URLS);
        System.setProperty(ALLOWED_URLS, idp.tokenUrl());   // the clients' token endpoint, as Kafka 4.x requires
    }

    @AfterEach
    void stopTheIdentityProvider() {
        if (previousAllowedUrls == null) {
            System.clearProperty(ALLOWED_URLS);
        } else {
            System.setProperty(ALLOWED_URLS, previousAllowedUrls);
        }
        idp.close();
    }

    @Test
    void shouldAuthenticateTheTokensSubjectAndAuthorizeItAsThePrincipal() throws Exception {
        Map<String, String> settings = brokerSettings();
        settings.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        settings.put("super.users", "User:admin;User:ANONYMOUS");
        startBroker("oauth-signed", settings);
        String topic;
        try (Admin admin = Clients.admin(broker.bootstrapServers(), adminSettings())) {
            topic = TestTopics.create(admin, TestTopics.unique("oauth-signed"), 1);
            for (AclOperation operation : List.of(AclOperation.WRITE, AclOperation.READ)) {
                AclBinding acl = new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                        new AccessControlEntry("User:alice", "*", operation, AclPermissionType.ALLOW));
                admin.createAcls(List.of(acl)).all().get(30, TimeUnit.SECONDS);
                while (!admin.describeAcls(acl.toFilter()).values().get(30, TimeUnit.SECONDS).contains(acl)) {
                    Thread.sleep(50);   // Kafka's broker lists a new ACL a moment later
                }
            }
        }
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(),
                idp.clientSettings("alice", "alice-secret"))) {
            producer.send(new ProducerRecord<>(topic, "k", "signed-by-the-idp")).get(30, TimeUnit.SECONDS);
        }
        Map<String, String> bob = idp.clientSettings("bob", "bob-secret");
        bob.put("max.block.ms", "20000");
        bob.put("delivery.timeout.ms", "20000");
        bob.put("request.timeout.ms", "10000");
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), bob)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "k", "from-bob")).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TopicAuthorizationException.class);
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(),
                idp.clientSettings("alice", "alice-secret"))) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(List.of(new TopicPartition(topic, 0)));
            assertThat(Records.pollExactly(consumer, 1)).extracting(ConsumerRecord::value)
                    .containsExactly("signed-by-the-idp");
        }
    }

    @Test
    void shouldRefuseATokenForAnotherAudienceAndAForgedSignature() throws Exception {
        startBroker("oauth-refused", brokerSettings());
        try (Admin alice = Clients.admin(broker.bootstrapServers(), idp.clientSettings("alice", "alice-secret"))) {
            assertThat(alice.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }
        for (String client : List.of("carol", "mallory")) {
            try (Admin refused = Clients.admin(broker.bootstrapServers(), idp.clientSettings(client, client + "-secret"))) {
                assertThatThrownBy(() -> refused.describeCluster(new DescribeClusterOptions().timeoutMs(20_000)).nodes().get())
                        .as(client).isInstanceOf(ExecutionException.class).cause()
                        .isInstanceOf(SaslAuthenticationException.class).hasMessage(INVALID_TOKEN);
            }
        }
    }

    @Test
    void shouldAcceptTokensSignedWithARotatedKeyOnceItsKeysAreFetchedAgain() throws Exception {
        startBroker("oauth-rotation", brokerSettings());
        int fetchesBefore = idp.keyFetches();
        idp.rotateKey();
        // The broker knows only the old key: it refuses the first token with the new key id and fetches the keys
        // again at once, so a later attempt (a new client, as an application would retry) authenticates.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        boolean authenticated = false;
        while (!authenticated && System.nanoTime() < deadline) {
            try (Admin alice = Clients.admin(broker.bootstrapServers(), idp.clientSettings("alice", "alice-secret"))) {
                alice.describeCluster(new DescribeClusterOptions().timeoutMs(10_000)).nodes().get();
                authenticated = true;
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(SaslAuthenticationException.class).hasMessage(INVALID_TOKEN);
                Thread.sleep(500);
            }
        }
        assertThat(authenticated).as("a token signed with the rotated key authenticates").isTrue();
        assertThat(idp.keyFetches()).as("the broker fetched the keys again").isGreaterThan(fetchesBefore);
    }

    private void startBroker(String name, Map<String, String> settings) {
        broker = ChildBroker.forCurrentTarget(name, "SASL_PLAINTEXT", settings, adminSettings())
                .withJvmOption("-D" + ALLOWED_URLS + "=" + idp.jwksUrl())
                .start();
    }

    /** A SASL_PLAINTEXT listener with PLAIN (the admin; Kafka's inter-broker connection) and OAUTHBEARER. */
    private Map<String, String> brokerSettings() {
        Map<String, String> settings = SaslFixtures.brokerSettings("SASL_PLAINTEXT", "PLAIN,OAUTHBEARER");
        settings.put("listener.name.sasl_plaintext.oauthbearer.sasl.jaas.config",
                "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
        settings.put("listener.name.sasl_plaintext.oauthbearer.sasl.server.callback.handler.class", VALIDATOR);
        settings.put("sasl.oauthbearer.jwks.endpoint.url", idp.jwksUrl());
        settings.put("sasl.oauthbearer.expected.audience", TestIdentityProvider.AUDIENCE);
        settings.put("sasl.oauthbearer.expected.issuer", idp.issuer());
        return settings;
    }

    private static Map<String, String> adminSettings() {
        return SaslFixtures.client("SASL_PLAINTEXT", "PLAIN", "admin", "admin-secret");
    }
}
