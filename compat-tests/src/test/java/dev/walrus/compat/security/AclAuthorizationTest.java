package dev.walrus.compat.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.OwnBrokerTest;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.CompatSettings;
import dev.walrus.compat.KafkaCli;
import dev.walrus.compat.Records;
import dev.walrus.compat.SaslFixtures;
import dev.walrus.compat.TestTopics;
import dev.walrus.compat.TlsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/**
 * ACLs with Kafka's StandardAuthorizer ({@code authorizer.class.name}) on a SASL/PLAIN listener: {@code admin} is a
 * super user, {@code alice} may do only what ACLs allow; on an SSL listener a client is named by its certificate. ACLs are created, listed and deleted through the admin
 * client and {@code kafka-acls}, survive a restart, and decide what alice's producer, consumer, admin client and
 * transactional producer may do, with Kafka's exceptions where they do not.
 */
class AclAuthorizationTest extends OwnBrokerTest {

    private static final String ALICE = "User:alice";

    @Test
    void shouldCreateListAndDeleteAclsAndKeepThemAcrossARestart() throws Exception {
        broker = start("acl-admin");
        AclBinding readOrders = allow(ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.READ);
        AclBinding writeLogs = allow(ResourceType.TOPIC, "logs-", PatternType.PREFIXED, AclOperation.WRITE);
        AclBinding readGroup = allow(ResourceType.GROUP, "*", PatternType.LITERAL, AclOperation.READ);
        try (Admin admin = admin()) {
            admin.createAcls(List.of(readOrders, writeLogs, readGroup)).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(List.of(readOrders)).all().get(30, TimeUnit.SECONDS);   // again: no duplicate
            assertThat(awaitAcls(admin, AclBindingFilter.ANY, 3)).containsExactlyInAnyOrder(readOrders, writeLogs, readGroup);
            // MATCH: every ACL that applies to a topic named logs-app
            AclBindingFilter applying = new AclBindingFilter(
                    new ResourcePatternFilter(ResourceType.TOPIC, "logs-app", PatternType.MATCH), AccessControlEntryFilter.ANY);
            assertThat(admin.describeAcls(applying).values().get(30, TimeUnit.SECONDS)).containsExactly(writeLogs);
        }
        try (Admin alice = Clients.admin(broker.bootstrapServers(), SaslFixtures.alice())) {
            assertThatThrownBy(() -> alice.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(ClusterAuthorizationException.class);
            assertThatThrownBy(() -> alice.createAcls(List.of(readOrders)).all().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(ClusterAuthorizationException.class);
        }

        broker.restart();
        try (Admin admin = admin()) {
            assertThat(awaitAcls(admin, AclBindingFilter.ANY, 3)).containsExactlyInAnyOrder(readOrders, writeLogs, readGroup);
            AclBindingFilter topics = new AclBindingFilter(
                    new ResourcePatternFilter(ResourceType.TOPIC, null, PatternType.ANY), AccessControlEntryFilter.ANY);
            Collection<AclBinding> deleted = admin.deleteAcls(List.of(topics)).all().get(30, TimeUnit.SECONDS);
            assertThat(deleted).containsExactlyInAnyOrder(readOrders, writeLogs);
            assertThat(awaitAcls(admin, AclBindingFilter.ANY, 1)).containsExactly(readGroup);
        }
    }

    @Test
    void shouldLetAliceProduceAndConsumeOnlyWhatAclsAllow() throws Exception {
        broker = start("acl-data");
        String topic;
        String hidden;
        try (Admin admin = admin()) {
            topic = TestTopics.create(admin, TestTopics.unique("acl-data"), 1);
            hidden = TestTopics.create(admin, TestTopics.unique("acl-hidden"), 1);
        }
        Map<String, String> alice = SaslFixtures.alice();
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), withTimeout(alice))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "k", "v")).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TopicAuthorizationException.class);
        }
        String group = "acl-group-" + System.nanoTime();
        grant(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE),
                allow(ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), alice)) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        Map<String, String> consumerSettings = new HashMap<>(alice);
        consumerSettings.put("group.id", group);
        consumerSettings.put("auto.offset.reset", "earliest");
        consumeOnceTheGroupIsGranted(consumerSettings, topic, group, "v0", "v1", "v2", "v3", "v4");
        try (Admin aliceAdmin = Clients.admin(broker.bootstrapServers(), alice)) {
            Set<String> visible = aliceAdmin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertThat(visible).contains(topic).doesNotContain(hidden);
            assertThatThrownBy(() -> aliceAdmin.describeTopics(List.of(hidden)).allTopicNames().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TopicAuthorizationException.class);
            assertThat(aliceAdmin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .values()).extracting(o -> o.offset()).containsExactly(5L);
        }
    }

    @Test
    void shouldCheckGroupPermissionsForTheConsumerProtocolAndGroupAdministration() throws Exception {
        broker = start("acl-groups");
        String topic;
        try (Admin admin = admin()) {
            topic = TestTopics.create(admin, TestTopics.unique("acl-groups"), 1);
        }
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), adminSettings())) {
            producer.send(new ProducerRecord<>(topic, "k", "v")).get(30, TimeUnit.SECONDS);
        }
        String group = "acl-kip848-" + System.nanoTime();
        String other = "acl-other-" + System.nanoTime();
        grant(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
        Map<String, String> consumerSettings = new HashMap<>(SaslFixtures.alice());
        consumerSettings.put("group.protocol", "consumer");
        consumerSettings.put("group.id", group);
        consumerSettings.put("auto.offset.reset", "earliest");
        consumeOnceTheGroupIsGranted(consumerSettings, topic, group, "v");
        Map<String, String> otherSettings = new HashMap<>(adminSettings());
        otherSettings.put("group.id", other);
        otherSettings.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), otherSettings)) {
            consumer.subscribe(List.of(topic));
            Records.pollExactly(consumer, 1);
            consumer.commitSync();
        }
        try (Admin alice = Clients.admin(broker.bootstrapServers(), SaslFixtures.alice())) {
            // READ on the group implies DESCRIBE; the other group is not listed to her
            assertThat(alice.listGroups().all().get(30, TimeUnit.SECONDS))
                    .extracting(listing -> listing.groupId()).contains(group).doesNotContain(other);
            var described = alice.describeConsumerGroups(List.of(group),
                    new org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions().includeAuthorizedOperations(true))
                    .describedGroups().get(group).get(30, TimeUnit.SECONDS);
            assertThat(described.authorizedOperations()).containsExactlyInAnyOrder(AclOperation.READ, AclOperation.DESCRIBE);
            assertThatThrownBy(() -> alice.describeConsumerGroups(List.of(other)).describedGroups().get(other)
                    .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(GroupAuthorizationException.class);
            assertThatThrownBy(() -> alice.deleteConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(GroupAuthorizationException.class);
        }
    }

    @Test
    void shouldLeaveTopicsAliceMayNotDescribeOutOfHerRegexSubscription() throws Exception {
        broker = start("acl-regex");
        String prefix = "rx" + System.nanoTime() % 100000 + "-";
        try (Admin admin = admin()) {
            TestTopics.create(admin, prefix + "open", 1);
            TestTopics.create(admin, prefix + "closed", 1);
        }
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), adminSettings())) {
            producer.send(new ProducerRecord<>(prefix + "open", "k", "open")).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(prefix + "closed", "k", "closed")).get(30, TimeUnit.SECONDS);
        }
        String group = "acl-regex-" + System.nanoTime();
        grant(allow(ResourceType.TOPIC, prefix + "open", PatternType.LITERAL, AclOperation.READ),
                allow(ResourceType.GROUP, group, PatternType.LITERAL, AclOperation.READ));
        Map<String, String> consumerSettings = new HashMap<>(SaslFixtures.alice());
        consumerSettings.put("group.protocol", "consumer");
        consumerSettings.put("group.id", group);
        consumerSettings.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), consumerSettings)) {
            consumer.subscribe(new SubscriptionPattern(prefix + ".*"));   // resolved by the broker (KIP-848)
            assertThat(Records.pollExactly(consumer, 1)).extracting(ConsumerRecord::value).containsExactly("open");
            assertThat(Records.pollFor(consumer, Duration.ofSeconds(2))).isEmpty();
            assertThat(consumer.assignment()).extracting(tp -> tp.topic()).containsExactly(prefix + "open");
        }
    }

    @Test
    void shouldApplyPrefixedAllowsAndLetADenyWin() throws Exception {
        broker = start("acl-prefixed");
        String prefix = "team" + System.nanoTime() % 100000 + "-";
        grant(allow(ResourceType.TOPIC, prefix, PatternType.PREFIXED, AclOperation.ALL),
                new AclBinding(new ResourcePattern(ResourceType.TOPIC, prefix + "secret", PatternType.LITERAL),
                        new AccessControlEntry(ALICE, "*", AclOperation.WRITE, AclPermissionType.DENY)));
        Map<String, String> alice = SaslFixtures.alice();
        try (Admin aliceAdmin = Clients.admin(broker.bootstrapServers(), alice)) {
            aliceAdmin.createTopics(List.of(new NewTopic(prefix + "a", 1, (short) 1), new NewTopic(prefix + "secret", 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> aliceAdmin.createTopics(List.of(new NewTopic("elsewhere-" + prefix, 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TopicAuthorizationException.class)
                    .hasMessage("Authorization failed.");
        }
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), withTimeout(alice))) {
            assertThat(producer.send(new ProducerRecord<>(prefix + "a", "k", "v")).get(30, TimeUnit.SECONDS).offset()).isZero();
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(prefix + "secret", "k", "v")).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void shouldRefuseATransactionalIdWithoutWriteOnIt() throws Exception {
        broker = start("acl-txn");
        String topic;
        try (Admin admin = admin()) {
            topic = TestTopics.create(admin, TestTopics.unique("acl-txn"), 1);
        }
        grant(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
        Map<String, String> alice = withTimeout(SaslFixtures.alice());
        try (KafkaProducer<String, String> producer = Clients.transactionalProducer(broker.bootstrapServers(), "tx-denied", alice)) {
            assertThatThrownBy(producer::initTransactions).isInstanceOf(TransactionalIdAuthorizationException.class);
        }
        grant(allow(ResourceType.TRANSACTIONAL_ID, "tx-", PatternType.PREFIXED, AclOperation.WRITE));
        try (KafkaProducer<String, String> producer = Clients.transactionalProducer(broker.bootstrapServers(), "tx-allowed", alice)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "v"));
            producer.commitTransaction();
        }
    }

    @Test
    void shouldNameAnSslClientByItsCertificateSubject() throws Exception {
        TlsFiles tls = TlsFiles.create(CompatSettings.newWorkDir("acl-tls"));
        Map<String, String> settings = tls.brokerSettings(false);
        settings.put("ssl.client.auth", "requested");
        settings.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        // a client without a certificate is User:ANONYMOUS: the administrator here (and Kafka's own controller
        // listener); the reference broker's own certificate is CN=localhost
        settings.put("super.users", "User:ANONYMOUS;User:CN=localhost");
        Map<String, String> anonymous = ssl(tls.clientSettings(false));
        Map<String, String> certified = ssl(tls.clientSettings(true));
        broker = ChildBroker.forCurrentTarget("acl-tls", "SSL", settings, anonymous).start();
        String topic;
        try (Admin admin = Clients.admin(broker.bootstrapServers(), anonymous)) {
            topic = TestTopics.create(admin, TestTopics.unique("acl-tls"), 1);
        }
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), withTimeout(certified))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "k", "v")).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TopicAuthorizationException.class);
        }
        try (Admin admin = Clients.admin(broker.bootstrapServers(), anonymous)) {
            AclBinding write = new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                    new AccessControlEntry("User:CN=walrus-client", "*", AclOperation.WRITE, AclPermissionType.ALLOW));
            admin.createAcls(List.of(write)).all().get(30, TimeUnit.SECONDS);
            awaitAcls(admin, write.toFilter(), 1);
        }
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), withTimeout(certified))) {
            assertThat(producer.send(new ProducerRecord<>(topic, "k", "v")).get(30, TimeUnit.SECONDS).offset()).isZero();
        }
    }

    @Test
    void kafkaAclsProducerAndConsumerShortcutsShouldLetAliceProduceAndConsume() throws Exception {
        broker = start("acl-shortcuts");
        String[] common = commandConfig("acl-shortcuts");
        String topic = TestTopics.unique("acl-shortcut");
        String group = "acl-shortcut-group-" + System.nanoTime();
        CommandResult producer = acls(common, "--add", "--allow-principal", ALICE, "--producer", "--topic", topic);
        assertThat(producer.exitCode()).as(producer.toString()).isZero();
        CommandResult consumer = acls(common, "--add", "--allow-principal", ALICE, "--consumer", "--topic", topic,
                "--group", group);
        assertThat(consumer.exitCode()).as(consumer.toString()).isZero();
        try (Admin admin = admin()) {
            // --producer: WRITE, DESCRIBE and CREATE on the topic; --consumer: READ and DESCRIBE on it, READ on the group
            AclBindingFilter topicAcls = new AclBindingFilter(
                    new ResourcePatternFilter(ResourceType.TOPIC, topic, PatternType.LITERAL), AccessControlEntryFilter.ANY);
            assertThat(awaitAcls(admin, topicAcls, 4)).extracting(b -> b.entry().operation())
                    .containsExactlyInAnyOrder(AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.CREATE, AclOperation.READ);
        }
        Map<String, String> alice = SaslFixtures.alice();
        try (Admin aliceAdmin = Clients.admin(broker.bootstrapServers(), alice)) {
            TestTopics.create(aliceAdmin, topic, 1);   // CREATE on the topic
        }
        try (KafkaProducer<String, String> aliceProducer = Clients.producer(broker.bootstrapServers(), alice)) {
            aliceProducer.send(new ProducerRecord<>(topic, "k", "shortcut")).get(30, TimeUnit.SECONDS);
        }
        Map<String, String> consumerSettings = new HashMap<>(alice);
        consumerSettings.put("group.id", group);
        consumerSettings.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> aliceConsumer = Clients.consumer(broker.bootstrapServers(), consumerSettings)) {
            aliceConsumer.subscribe(List.of(topic));
            assertThat(Records.pollExactly(aliceConsumer, 1)).extracting(ConsumerRecord::value).containsExactly("shortcut");
        }
    }

    @Test
    void kafkaAclsShouldAddListAndRemoveAcls() throws Exception {
        broker = start("acl-cli");
        String[] common = commandConfig("acl-cli");

        CommandResult added = acls(common, "--add", "--allow-principal", ALICE, "--operation", "Read", "--topic", "cli-topic");
        assertThat(added.exitCode()).as(added.toString()).isZero();
        assertThat(added.stdoutLines()).as(added.toString())
                .containsSubsequence("Adding ACLs for resource `ResourcePattern(resourceType=TOPIC, name=cli-topic, patternType=LITERAL)`:",
                        "(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)");

        CommandResult listed = acls(common, "--list", "--topic", "cli-topic");
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.stdoutLines()).as(listed.toString())
                .contains("(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)");

        CommandResult removed = acls(common, "--remove", "--force", "--allow-principal", ALICE, "--operation", "Read",
                "--topic", "cli-topic");
        assertThat(removed.exitCode()).as(removed.toString()).isZero();
        CommandResult empty = acls(common, "--list", "--topic", "cli-topic");
        assertThat(empty.stdoutLines()).as(empty.toString()).noneMatch(line -> line.contains("User:alice"));
    }

    /**
     * A consumer of {@code group} (alice may read the topic) is refused with GroupAuthorizationException; once READ on
     * the group is granted, it reads {@code values} and commits.
     */
    private void consumeOnceTheGroupIsGranted(Map<String, String> consumerSettings, String topic, String group,
                                              String... values) throws Exception {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), consumerSettings)) {
            consumer.subscribe(List.of(topic));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(20))).isInstanceOf(GroupAuthorizationException.class);
        }
        grant(allow(ResourceType.GROUP, group, PatternType.LITERAL, AclOperation.READ));
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), consumerSettings)) {
            consumer.subscribe(List.of(topic));
            assertThat(Records.pollExactly(consumer, values.length)).extracting(ConsumerRecord::value).containsExactly(values);
            consumer.commitSync();
        }
    }

    @Test
    void shouldRefuseAMalformedConfigChangeBeforeCheckingAlicesPermission() throws Exception {
        broker = start("acl-configs");
        String mine;
        String other;
        try (Admin admin = admin()) {
            mine = TestTopics.create(admin, TestTopics.unique("acl-cfg"), 1);
            other = TestTopics.create(admin, TestTopics.unique("acl-cfg"), 1);
        }
        grant(allow(ResourceType.TOPIC, mine, PatternType.LITERAL, AclOperation.DESCRIBE));
        try (Admin alice = Clients.admin(broker.bootstrapServers(), SaslFixtures.alice())) {
            org.apache.kafka.common.config.ConfigResource malformed = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, mine);
            org.apache.kafka.common.config.ConfigResource wellFormed = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, other);
            var result = alice.incrementalAlterConfigs(Map.of(
                    malformed, List.of(setRetention("1000"), setRetention("2000")),
                    wellFormed, List.of(setRetention("1000")))).values();
            // a config named twice is refused even though alice may not alter the topic at all
            assertThatThrownBy(() -> result.get(malformed).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(org.apache.kafka.common.errors.InvalidRequestException.class)
                    .hasMessage("Error due to duplicate config keys");
            assertThatThrownBy(() -> result.get(wellFormed).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TopicAuthorizationException.class);
        }
    }

    private static org.apache.kafka.clients.admin.AlterConfigOp setRetention(String value) {
        return new org.apache.kafka.clients.admin.AlterConfigOp(
                new org.apache.kafka.clients.admin.ConfigEntry("retention.ms", value),
                org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET);
    }

    private static ChildBroker start(String name) {
        Map<String, String> settings = SaslFixtures.brokerSettings("SASL_PLAINTEXT", "PLAIN");
        settings.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        // admin: the clients' administrator (and Kafka's inter-broker user); ANONYMOUS: Kafka's own controller
        // listener, PLAINTEXT in the reference broker; no client of these tests is anonymous
        settings.put("super.users", "User:admin;User:ANONYMOUS");
        return ChildBroker.forCurrentTarget(name, "SASL_PLAINTEXT", settings, adminSettings()).start();
    }

    private static Map<String, String> adminSettings() {
        return SaslFixtures.client("SASL_PLAINTEXT", "PLAIN", "admin", "admin-secret");
    }

    private Admin admin() {
        return Clients.admin(broker.bootstrapServers(), adminSettings());
    }

    private static AclBinding allow(ResourceType type, String name, PatternType pattern, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(ALICE, "*", operation, AclPermissionType.ALLOW));
    }

    /** Creates the ACLs as admin and waits until they are listed (Kafka's broker may list them a moment later). */
    private void grant(AclBinding... bindings) throws Exception {
        try (Admin admin = admin()) {
            admin.createAcls(List.of(bindings)).all().get(30, TimeUnit.SECONDS);
            for (AclBinding binding : bindings) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!admin.describeAcls(binding.toFilter()).values().get(30, TimeUnit.SECONDS).contains(binding)) {
                    assertThat(System.nanoTime()).as("ACL %s listed", binding).isLessThan(deadline);
                    Thread.sleep(50);
                }
            }
        }
    }

    /** The ACLs the filter lists once there are {@code count} of them (Kafka's broker may list a change late). */
    private static Collection<AclBinding> awaitAcls(Admin admin, AclBindingFilter filter, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Collection<AclBinding> found = admin.describeAcls(filter).values().get(30, TimeUnit.SECONDS);
        while (found.size() != count && System.nanoTime() < deadline) {
            Thread.sleep(50);
            found = admin.describeAcls(filter).values().get(30, TimeUnit.SECONDS);
        }
        return found;
    }

    /** Alice's settings with sends that give up within the test's wait (a denied producer retries nothing). */
    private static Map<String, String> withTimeout(Map<String, String> settings) {
        Map<String, String> copy = new HashMap<>(settings);
        copy.put("max.block.ms", "20000");
        copy.put("delivery.timeout.ms", "20000");
        copy.put("request.timeout.ms", "10000");
        return copy;
    }

    /** The arguments every kafka-acls run needs: the broker, and admin's client settings in a file. */
    private String[] commandConfig(String name) throws Exception {
        Path file = CompatSettings.newWorkDir(name).resolve("admin.properties");
        Files.writeString(file, adminSettings().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n")));
        return new String[] {"--bootstrap-server", broker.bootstrapServers(), "--command-config", file.toString()};
    }

    private static Map<String, String> ssl(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("security.protocol", "SSL");
        return all;
    }

    private static CommandResult acls(String[] common, String... args) {
        String[] all = new String[common.length + args.length];
        System.arraycopy(common, 0, all, 0, common.length);
        System.arraycopy(args, 0, all, common.length, args.length);
        return KafkaCli.run(KafkaCli.ACLS, all);
    }
}
