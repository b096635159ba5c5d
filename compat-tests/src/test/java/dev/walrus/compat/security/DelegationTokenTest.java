package dev.walrus.compat.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.CompatSettings;
import dev.walrus.compat.KafkaCli;
import dev.walrus.compat.Clients;
import dev.walrus.compat.OwnBrokerTest;
import dev.walrus.compat.SaslFixtures;
import dev.walrus.compat.TestTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateDelegationTokenOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.DelegationTokenDisabledException;
import org.apache.kafka.common.errors.DelegationTokenOwnerMismatchException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.UnsupportedByAuthenticationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.token.delegation.DelegationToken;
import org.junit.jupiter.api.Test;

/**
 * Delegation tokens (KIP-48) on a SASL_PLAINTEXT listener with PLAIN and SCRAM-SHA-256 and
 * {@code delegation.token.secret.key} set: alice creates a token, a client logging in with SCRAM as the token
 * (user name its id, password its HMAC, {@code tokenauth=true}) acts as alice, cannot create tokens itself, and stops
 * authenticating once alice expires the token; a renewer's rules, describe's filter, and the token across a restart.
 */
class DelegationTokenTest extends OwnBrokerTest {

    private static final String SECRET = "walrus-compat-token-secret";

    @Test
    void shouldAuthenticateAClientWithATokenAsItsOwnerUntilTheTokenIsExpired() throws Exception {
        Map<String, String> settings = brokerSettings(true);
        settings.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        settings.put("super.users", "User:admin;User:ANONYMOUS");
        broker = ChildBroker.forCurrentTarget("tokens", "SASL_PLAINTEXT", settings, admin()).start();
        String topic;
        try (Admin admin = Clients.admin(broker.bootstrapServers(), admin())) {
            topic = TestTopics.create(admin, TestTopics.unique("tokens"), 1);
            AclBinding write = new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                    new AccessControlEntry("User:alice", "*", AclOperation.WRITE, AclPermissionType.ALLOW));
            admin.createAcls(List.of(write)).all().get(30, TimeUnit.SECONDS);
            while (!admin.describeAcls(write.toFilter()).values().get(30, TimeUnit.SECONDS).contains(write)) {
                Thread.sleep(50);   // Kafka's broker lists a new ACL a moment later
            }
        }
        DelegationToken token;
        try (Admin alice = Clients.admin(broker.bootstrapServers(), SaslFixtures.alice())) {
            token = alice.createDelegationToken(new CreateDelegationTokenOptions()
                            .renewers(List.of(new KafkaPrincipal("User", "bob"))))
                    .delegationToken().get(30, TimeUnit.SECONDS);
            assertThat(token.tokenInfo().owner()).isEqualTo(new KafkaPrincipal("User", "alice"));
            assertThat(token.tokenInfo().expiryTimestamp()).isGreaterThan(token.tokenInfo().issueTimestamp());
            assertThat(token.tokenInfo().maxTimestamp()).isGreaterThanOrEqualTo(token.tokenInfo().expiryTimestamp());
            assertThat(awaitTokens(alice, 1)).singleElement().satisfies(described -> {
                assertThat(described.tokenInfo().tokenId()).isEqualTo(token.tokenInfo().tokenId());
                assertThat(described.hmac()).isEqualTo(token.hmac());
                assertThat(described.tokenInfo().renewers()).containsExactly(new KafkaPrincipal("User", "bob"));
            });
        }

        // the token acts as alice: her ACL lets it write, and it may not make tokens of its own
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), tokenClient(token))) {
            assertThat(producer.send(new ProducerRecord<>(topic, "k", "with-a-token")).get(30, TimeUnit.SECONDS).offset())
                    .isZero();
        }
        try (Admin withToken = Clients.admin(broker.bootstrapServers(), tokenClient(token))) {
            assertThatThrownBy(() -> withToken.createDelegationToken().delegationToken().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(UnsupportedByAuthenticationException.class);
        }

        // bob, a renewer, may renew; a user who is neither owner nor renewer may not, nor see it
        try (Admin bob = Clients.admin(broker.bootstrapServers(), SaslFixtures.client("SASL_PLAINTEXT", "PLAIN", "bob", "bob-secret"))) {
            long renewed = bob.renewDelegationToken(token.hmac()).expiryTimestamp().get(30, TimeUnit.SECONDS);
            assertThat(renewed).isGreaterThanOrEqualTo(token.tokenInfo().expiryTimestamp());
        }
        try (Admin carol = Clients.admin(broker.bootstrapServers(), SaslFixtures.client("SASL_PLAINTEXT", "PLAIN", "carol", "carol-secret"))) {
            assertThatThrownBy(() -> carol.renewDelegationToken(token.hmac()).expiryTimestamp().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(DelegationTokenOwnerMismatchException.class);
            assertThat(carol.describeDelegationToken().delegationTokens().get(30, TimeUnit.SECONDS)).isEmpty();
        }

        try (Admin alice = Clients.admin(broker.bootstrapServers(), SaslFixtures.alice())) {
            alice.expireDelegationToken(token.hmac(), new org.apache.kafka.clients.admin.ExpireDelegationTokenOptions()
                    .expiryTimePeriodMs(-1)).expiryTimestamp().get(30, TimeUnit.SECONDS);
            assertThat(awaitTokens(alice, 0)).isEmpty();
        }
        try (Admin withToken = Clients.admin(broker.bootstrapServers(), tokenClient(token))) {
            assertThatThrownBy(() -> withToken.describeCluster(new DescribeClusterOptions().timeoutMs(20_000)).nodes().get())
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void shouldKeepATokenAcrossARestart() throws Exception {
        broker = ChildBroker.forCurrentTarget("tokens-restart", "SASL_PLAINTEXT", brokerSettings(true), admin()).start();
        DelegationToken token;
        try (Admin alice = Clients.admin(broker.bootstrapServers(), SaslFixtures.alice())) {
            token = alice.createDelegationToken().delegationToken().get(30, TimeUnit.SECONDS);
            awaitTokens(alice, 1);
        }
        broker.restart();
        try (Admin withToken = Clients.admin(broker.bootstrapServers(), tokenClient(token))) {
            assertThat(withToken.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }
        try (Admin alice = Clients.admin(broker.bootstrapServers(), SaslFixtures.alice())) {
            assertThat(awaitTokens(alice, 1)).singleElement().satisfies(described -> {
                assertThat(described.tokenInfo().tokenId()).isEqualTo(token.tokenInfo().tokenId());
                assertThat(described.tokenInfo().expiryTimestamp()).isEqualTo(token.tokenInfo().expiryTimestamp());
                assertThat(described.hmac()).isEqualTo(token.hmac());
            });
        }
    }

    @Test
    void kafkaDelegationTokensShouldCreateDescribeAndExpireAToken() throws Exception {
        broker = ChildBroker.forCurrentTarget("tokens-cli", "SASL_PLAINTEXT", brokerSettings(true), admin()).start();
        Path config = CompatSettings.newWorkDir("tokens-cli").resolve("alice.properties");
        Files.writeString(config, SaslFixtures.alice().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n")));
        String[] common = {"--bootstrap-server", broker.bootstrapServers(), "--command-config", config.toString()};
        CommandResult created = tokens(common, "--create", "--max-life-time-period", "-1",
                "--renewer-principal", "User:bob");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        DelegationToken token;
        try (Admin alice = Clients.admin(broker.bootstrapServers(), SaslFixtures.alice())) {
            token = awaitTokens(alice, 1).getFirst();
        }
        String hmac = Base64.getEncoder().encodeToString(token.hmac());
        assertThat(created.stdout()).contains(token.tokenInfo().tokenId()).contains(hmac);
        // without --owner-principal the tool sends an empty owner list, which Kafka answers with no tokens
        CommandResult currentUser = tokens(common, "--describe");
        assertThat(currentUser.exitCode()).as(currentUser.toString()).isZero();
        assertThat(currentUser.stdout()).contains("Total number of tokens : 0").doesNotContain(token.tokenInfo().tokenId());
        CommandResult described = tokens(common, "--describe", "--owner-principal", "User:alice");
        assertThat(described.exitCode()).as(described.toString()).isZero();
        assertThat(described.stdout()).contains("Total number of tokens : 1").contains(token.tokenInfo().tokenId())
                .contains("User:alice").contains("User:bob");
        CommandResult expired = tokens(common, "--expire", "--hmac", hmac, "--expiry-time-period", "-1");
        assertThat(expired.exitCode()).as(expired.toString()).isZero();
        try (Admin alice = Clients.admin(broker.bootstrapServers(), SaslFixtures.alice())) {
            assertThat(awaitTokens(alice, 0)).isEmpty();
        }
    }

    private static CommandResult tokens(String[] common, String... args) {
        String[] all = new String[common.length + args.length];
        System.arraycopy(common, 0, all, 0, common.length);
        System.arraycopy(args, 0, all, common.length, args.length);
        return KafkaCli.run(KafkaCli.DELEGATION_TOKENS, all);
    }

    @Test
    void shouldRefuseTokensWithoutASecretKey() throws Exception {
        broker = ChildBroker.forCurrentTarget("tokens-off", "SASL_PLAINTEXT", brokerSettings(false), admin()).start();
        try (Admin alice = Clients.admin(broker.bootstrapServers(), SaslFixtures.alice())) {
            assertThatThrownBy(() -> alice.createDelegationToken().delegationToken().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(DelegationTokenDisabledException.class);
            assertThatThrownBy(() -> alice.describeDelegationToken().delegationTokens().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(DelegationTokenDisabledException.class);
        }
    }

    /**
     * The tokens the client may see, once there are {@code count} of them: Kafka's broker learns of a token from its
     * controller a moment after answering, so a describe just after a change may not show it yet.
     */
    private static List<DelegationToken> awaitTokens(Admin admin, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<DelegationToken> tokens = admin.describeDelegationToken().delegationTokens().get(30, TimeUnit.SECONDS);
        while (tokens.size() != count && System.nanoTime() < deadline) {
            Thread.sleep(50);
            tokens = admin.describeDelegationToken().delegationTokens().get(30, TimeUnit.SECONDS);
        }
        return tokens;
    }

    private static Map<String, String> brokerSettings(boolean withSecret) {
        Map<String, String> settings = SaslFixtures.brokerSettings("SASL_PLAINTEXT", "PLAIN,SCRAM-SHA-256",
                "bob", "bob-secret", "carol", "carol-secret");
        if (withSecret) {
            settings.put("delegation.token.secret.key", SECRET);
        }
        return settings;
    }

    private static Map<String, String> admin() {
        return SaslFixtures.client("SASL_PLAINTEXT", "PLAIN", "admin", "admin-secret");
    }

    /** A client logging in with the token: SCRAM as its id, its HMAC in base64 the password, tokenauth=true. */
    private static Map<String, String> tokenClient(DelegationToken token) {
        Map<String, String> settings = new HashMap<>(Map.of("security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "SCRAM-SHA-256",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + token.tokenInfo().tokenId() + "\" password=\"" + Base64.getEncoder().encodeToString(token.hmac())
                        + "\" tokenauth=\"true\";"));
        settings.put("max.block.ms", "20000");
        return settings;
    }
}
