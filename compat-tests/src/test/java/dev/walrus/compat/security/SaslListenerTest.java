package dev.walrus.compat.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.OwnBrokerTest;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CompatSettings;
import dev.walrus.compat.RawKafkaConnection;
import dev.walrus.compat.Records;
import dev.walrus.compat.SaslFixtures;
import dev.walrus.compat.TestTopics;
import dev.walrus.compat.TlsFiles;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.DuplicateResourceException;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.UnacceptableCredentialException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.junit.jupiter.api.Test;

/**
 * SASL listeners with Kafka's keys: {@code sasl.enabled.mechanisms}, PLAIN users in the listener's JAAS config, SCRAM
 * credentials set through the admin client (AlterUserScramCredentials) and kept across a restart. Java clients
 * authenticate with PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 and then produce, consume and administer as usual; wrong
 * passwords, deleted credentials and mechanisms the listener does not enable are refused with Kafka's errors; a
 * request other than the SASL ones before authentication closes the connection. SASL_SSL combines it with TLS.
 */
class SaslListenerTest extends OwnBrokerTest {

    @Test
    void shouldServeAClientThatAuthenticatesWithPlainAndRefuseAWrongPassword() throws Exception {
        broker = start("sasl-plain", "SASL_PLAINTEXT", Map.of());
        roundTrip(broker.clientProperties());

        Map<String, String> wrong = SaslFixtures.client("SASL_PLAINTEXT", "PLAIN", "alice", "not-her-password");
        try (Admin admin = Clients.admin(broker.bootstrapServers(), wrong)) {
            assertThatThrownBy(() -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(20_000)).nodes().get())
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(SaslAuthenticationException.class)
                    .hasMessage("Authentication failed: Invalid username or password");
        }
    }

    @Test
    void shouldAuthenticateWithScramCredentialsSetThroughTheAdminClientAndKeepThemAcrossARestart() throws Exception {
        broker = start("sasl-scram", "SASL_PLAINTEXT", Map.of());
        try (Admin admin = Clients.admin(broker.bootstrapServers(), broker.clientProperties())) {
            // one change per user and request (Kafka refuses two, even for two mechanisms)
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("bob",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192), "bob-secret"))).all().get(30, TimeUnit.SECONDS);
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("bob",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "bob-secret-512"))).all().get(30, TimeUnit.SECONDS);
            UserScramCredentialsDescription bob = admin.describeUserScramCredentials(List.of("bob"))
                    .description("bob").get(30, TimeUnit.SECONDS);
            assertThat(bob.credentialInfos()).containsExactlyInAnyOrder(
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192),
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096));
        }
        Map<String, String> bob256 = SaslFixtures.client("SASL_PLAINTEXT", "SCRAM-SHA-256", "bob", "bob-secret");
        roundTrip(bob256);
        roundTrip(SaslFixtures.client("SASL_PLAINTEXT", "SCRAM-SHA-512", "bob", "bob-secret-512"));
        assertAuthenticationFails(SaslFixtures.client("SASL_PLAINTEXT", "SCRAM-SHA-256", "bob", "bob-secret-512"),
                "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256");
        assertAuthenticationFails(SaslFixtures.client("SASL_PLAINTEXT", "SCRAM-SHA-256", "nobody", "x"),
                "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256");

        broker.restart();
        roundTrip(bob256);

        try (Admin admin = Clients.admin(broker.bootstrapServers(), broker.clientProperties())) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion("bob", ScramMechanism.SCRAM_SHA_256)))
                    .all().get(30, TimeUnit.SECONDS);
            assertThat(admin.describeUserScramCredentials().all().get(30, TimeUnit.SECONDS).get("bob").credentialInfos())
                    .containsExactly(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096));
        }
        assertAuthenticationFails(bob256,
                "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256");
    }

    @Test
    void shouldRefuseBadScramCredentialChangesWithKafkasErrors() throws Exception {
        broker = start("sasl-scram-errors", "SASL_PLAINTEXT", Map.of());
        try (Admin admin = Clients.admin(broker.bootstrapServers(), broker.clientProperties())) {
            assertThatThrownBy(() -> admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("carol",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 100), "pw"))).all().get(30, TimeUnit.SECONDS))
                    .cause().isInstanceOf(UnacceptableCredentialException.class).hasMessage("Too few iterations");
            assertThatThrownBy(() -> admin.alterUserScramCredentials(List.of(
                    new UserScramCredentialUpsertion("carol", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192), "pw"),
                    new UserScramCredentialUpsertion("carol", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), "pw")))
                    .all().get(30, TimeUnit.SECONDS))
                    .cause().isInstanceOf(DuplicateResourceException.class)
                    .hasMessage("A user credential cannot be altered twice in the same request");
            assertThatThrownBy(() -> admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion("carol",
                    ScramMechanism.SCRAM_SHA_256))).all().get(30, TimeUnit.SECONDS))
                    .cause().isInstanceOf(ResourceNotFoundException.class)
                    .hasMessage("Attempt to delete a user credential that does not exist");
            assertThatThrownBy(() -> admin.describeUserScramCredentials(List.of("carol")).description("carol")
                    .get(30, TimeUnit.SECONDS))
                    .cause().isInstanceOf(ResourceNotFoundException.class);
        }
    }

    @Test
    void shouldRefuseAMechanismTheListenerDoesNotEnable() {
        broker = start("sasl-mechanisms", "SASL_PLAINTEXT", Map.of("sasl.enabled.mechanisms", "PLAIN"));
        Map<String, String> scram = SaslFixtures.client("SASL_PLAINTEXT", "SCRAM-SHA-256", "bob", "x");
        try (Admin admin = Clients.admin(broker.bootstrapServers(), scram)) {
            assertThatThrownBy(() -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(20_000)).nodes().get())
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(UnsupportedSaslMechanismException.class)
                    .hasMessageContaining("SCRAM-SHA-256").hasMessageContaining("[PLAIN]");
        }
    }

    @Test
    void shouldCloseAConnectionThatSendsAnotherRequestBeforeAuthenticating() throws Exception {
        broker = start("sasl-gate", "SASL_PLAINTEXT", Map.of());
        try (RawKafkaConnection raw = RawKafkaConnection.open(broker.bootstrapServers())) {
            raw.sendFrame(RawKafkaConnection.serialize(raw.header(ApiKeys.METADATA, (short) 12),
                    new MetadataRequestData().setTopics(null), (short) 12));
            assertThat(raw.closedByBrokerWithin(Duration.ofSeconds(10))).isTrue();
        }
        try (RawKafkaConnection raw = RawKafkaConnection.open(broker.bootstrapServers())) {
            // a token before any handshake
            raw.sendFrame(RawKafkaConnection.serialize(raw.header(ApiKeys.SASL_AUTHENTICATE, (short) 2),
                    new SaslAuthenticateRequestData().setAuthBytes(new byte[] {0, 'a', 0, 'b'}), (short) 2));
            assertThat(raw.closedByBrokerWithin(Duration.ofSeconds(10))).isTrue();
        }
        try (RawKafkaConnection raw = RawKafkaConnection.open(broker.bootstrapServers())) {
            // after the handshake only SaslAuthenticate: anything else is answered with ILLEGAL_SASL_STATE, then closed
            SaslHandshakeResponse handshake = raw.roundTrip(ApiKeys.SASL_HANDSHAKE, (short) 1,
                    new SaslHandshakeRequestData().setMechanism("PLAIN"));
            assertThat(handshake.data().errorCode()).isZero();
            ApiVersionsResponse refused = raw.roundTrip(ApiKeys.API_VERSIONS, (short) 3,
                    new ApiVersionsRequestData().setClientSoftwareName("raw").setClientSoftwareVersion("1"));
            assertThat(refused.data().errorCode()).isEqualTo(Errors.ILLEGAL_SASL_STATE.code());
            assertThat(raw.closedByBrokerWithin(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void shouldCloseAConnectionThatSendsAFrameOverSaslServerMaxReceiveSizeBeforeAuthenticating() throws Exception {
        broker = start("sasl-frame-size", "SASL_PLAINTEXT", Map.of());
        try (RawKafkaConnection raw = RawKafkaConnection.open(broker.bootstrapServers())) {
            // Kafka's default sasl.server.max.receive.size is 512 KiB; socket.request.max.bytes (100 MiB) would allow it
            raw.sendRaw(java.nio.ByteBuffer.allocate(4 + 1024).putInt(600_000).array());
            assertThat(raw.closedByBrokerWithin(Duration.ofSeconds(10))).isTrue();
        }
        roundTrip(broker.clientProperties());
    }

    @Test
    void shouldServeSaslOverTls() throws Exception {
        TlsFiles tls = TlsFiles.create(CompatSettings.newWorkDir("sasl-ssl"));
        Map<String, String> client = SaslFixtures.client("SASL_SSL", "PLAIN", "alice", "alice-secret");
        client.putAll(tls.clientSettings(false));
        broker = ChildBroker.forCurrentTarget("sasl-ssl", "SASL_SSL", brokerSettings("SASL_SSL", tls.brokerSettings(false)),
                client).start();
        roundTrip(client);
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static ChildBroker start(String name, String protocol, Map<String, String> extra) {
        return ChildBroker.forCurrentTarget(name, protocol, brokerSettings(protocol, extra),
                SaslFixtures.client(protocol, "PLAIN", "alice", "alice-secret")).start();
    }

    private static Map<String, String> brokerSettings(String protocol, Map<String, String> extra) {
        Map<String, String> settings = SaslFixtures.brokerSettings(protocol, "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512");
        settings.putAll(extra);
        return settings;
    }

    private void assertAuthenticationFails(Map<String, String> client, String message) {
        try (Admin admin = Clients.admin(broker.bootstrapServers(), client)) {
            assertThatThrownBy(() -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(20_000)).nodes().get())
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(SaslAuthenticationException.class)
                    .hasMessage(message);
        }
    }

    /** Creates a topic, produces ten records and reads them back, all as the given client. */
    private void roundTrip(Map<String, String> client) throws Exception {
        String topic;
        try (Admin admin = Clients.admin(broker.bootstrapServers(), client)) {
            topic = TestTopics.create(admin, TestTopics.unique("sasl"), 1);
        }
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), client)) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        Map<String, String> consumerSettings = new HashMap<>(client);
        consumerSettings.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), consumerSettings)) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            List<ConsumerRecord<String, String>> records = Records.pollExactly(consumer, 10);
            for (int i = 0; i < 10; i++) {
                assertThat(records.get(i).value()).isEqualTo("v" + i);
            }
        }
    }
}
