package dev.walrus.compat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.KafkaCli;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kafka CLI tools and options the other cli/ and groups/ tests leave out: kafka-topics filters and --alter,
 * kafka-configs --all, kafka-log-dirs, kafka-leader-election, kafka-get-offsets by name, kafka-features,
 * kafka-broker-api-versions, kafka-groups, kafka-consumer-groups --members/--state/--to-datetime.
 */
@ExtendWith(BrokerExtension.class)
class CliSweepTest {

    private static final String LOG_DIRS = "org.apache.kafka.tools.LogDirsCommand";
    private static final String LEADER_ELECTION = "org.apache.kafka.tools.LeaderElectionCommand";
    private static final String BROKER_API_VERSIONS = "org.apache.kafka.tools.BrokerApiVersionsCommand";
    private static final String FEATURES = "org.apache.kafka.tools.FeatureCommand";
    private static final String GROUPS = "org.apache.kafka.tools.GroupsCommand";
    private static final String CONSUMER_GROUPS = "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand";

    private String bootstrap;
    private int nodeId;

    @BeforeEach
    void broker(TargetBroker broker) throws Exception {
        bootstrap = broker.bootstrapServers();
        try (Admin admin = Clients.admin(bootstrap)) {
            nodeId = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).iterator().next().id();
        }
    }

    private CommandResult ok(String tool, String... args) {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", bootstrap));
        all.addAll(List.of(args));
        CommandResult result = KafkaCli.run(tool, all.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result;
    }

    // ---- kafka-topics

    @Test
    void topicsDescribeWithOverridesShouldPrintOnlyTheSummaryLineOfATopicWithOverrides() {
        String prefix = "cli-ovr-" + UUID.randomUUID().toString().substring(0, 6);
        try (Admin admin = Clients.admin(bootstrap)) {
            TestTopics.create(admin, prefix + "-with", 2, Map.of("retention.ms", "3600000"));
            TestTopics.create(admin, prefix + "-without", 1);
        }

        CommandResult result = ok(KafkaCli.TOPICS, "--describe", "--topics-with-overrides", "--topic", prefix + ".*");

        assertThat(result.stdoutLines()).as(result.toString()).noneMatch(l -> l.contains("\tPartition: "))
            .anySatisfy(l -> assertThat(l).startsWith("Topic: " + prefix + "-with\tTopicId: ")
                .contains("\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: ").contains("retention.ms=3600000"));
    }

    @Test
    void topicsDescribeUnderReplicatedAndUnavailableShouldPrintNothingOnOneNode() {
        String topic = TestTopics.createUnique(bootstrap, "cli-urp", 2);

        assertThat(ok(KafkaCli.TOPICS, "--describe", "--under-replicated-partitions", "--topic", topic).stdoutLines()).isEmpty();
        assertThat(ok(KafkaCli.TOPICS, "--describe", "--unavailable-partitions", "--topic", topic).stdoutLines()).isEmpty();
        assertThat(ok(KafkaCli.TOPICS, "--describe", "--under-min-isr-partitions", "--topic", topic).stdoutLines()).isEmpty();
    }

    @Test
    void topicsDescribeAtMinIsrShouldListEveryPartitionOfAOneReplicaTopic() {
        String topic = TestTopics.createUnique(bootstrap, "cli-at-min-isr", 2);

        CommandResult result = ok(KafkaCli.TOPICS, "--describe", "--at-min-isr-partitions", "--topic", topic);

        assertThat(result.stdoutLines()).as(result.toString()).containsExactly(
            "Topic: " + topic + "\tPartition: 0\tLeader: " + nodeId + "\tReplicas: " + nodeId + "\tIsr: " + nodeId
                + "\tElr: \tLastKnownElr:",
            "Topic: " + topic + "\tPartition: 1\tLeader: " + nodeId + "\tReplicas: " + nodeId + "\tIsr: " + nodeId
                + "\tElr: \tLastKnownElr:");
    }

    @Test
    void topicsAlterShouldAddPartitions() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "cli-alter-partitions", 1);

        ok(KafkaCli.TOPICS, "--alter", "--topic", topic, "--partitions", "3");

        try (Admin admin = Clients.admin(bootstrap)) {
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions())
                .hasSize(3);
        }
    }

    // ---- kafka-configs --all

    @Test
    void configsDescribeAllShouldPrintEveryTopicConfigWithSynonyms() {
        String topic = TestTopics.unique("cli-configs-all");
        try (Admin admin = Clients.admin(bootstrap)) {
            TestTopics.create(admin, topic, 1, Map.of("retention.ms", "3600000"));
        }

        CommandResult result = ok(KafkaCli.CONFIGS, "--describe", "--all", "--entity-type", "topics", "--entity-name", topic);

        assertThat(result.stdoutLines()).as(result.toString())
            .startsWith("All configs for topic " + topic + " are:")
            .contains("retention.ms=3600000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=3600000}",
                "cleanup.policy=delete sensitive=false synonyms={DEFAULT_CONFIG:log.cleanup.policy=delete}",
                "max.message.bytes=1048588 sensitive=false synonyms={DEFAULT_CONFIG:message.max.bytes=1048588}",
                "segment.bytes=1073741824 sensitive=false synonyms={DEFAULT_CONFIG:log.segment.bytes=1073741824}",
                "message.timestamp.type=CreateTime sensitive=false synonyms={DEFAULT_CONFIG:log.message.timestamp.type=CreateTime}",
                "unclean.leader.election.enable=false sensitive=false synonyms={DEFAULT_CONFIG:unclean.leader.election.enable=false}");
        assertThat(result.stdoutLines().stream().skip(1).map(l -> l.substring(0, l.indexOf('='))).toList())
            .as(result.toString())
            .containsExactly("cleanup.policy", "compression.gzip.level", "compression.lz4.level", "compression.type",
                "compression.zstd.level", "delete.retention.ms", "errors.deadletterqueue.group.enable",
                "file.delete.delay.ms", "flush.messages", "flush.ms", "follower.replication.throttled.replicas",
                "index.interval.bytes", "leader.replication.throttled.replicas", "local.retention.bytes",
                "local.retention.ms", "max.compaction.lag.ms", "max.decompressed.message.bytes", "max.message.bytes",
                "message.timestamp.after.max.ms", "message.timestamp.before.max.ms", "message.timestamp.type",
                "min.cleanable.dirty.ratio", "min.compaction.lag.ms", "min.insync.replicas", "preallocate",
                "remote.copy.lag.bytes", "remote.copy.lag.ms", "remote.log.copy.disable", "remote.log.delete.on.disable",
                "remote.storage.enable", "retention.bytes", "retention.ms", "segment.bytes", "segment.index.bytes",
                "segment.jitter.ms", "segment.ms", "unclean.leader.election.enable");
    }

    @Test
    void configsDescribeAllShouldShowMinInsyncReplicasAsAClusterWideDynamicDefault() {
        String topic = TestTopics.createUnique(bootstrap, "cli-configs-min-isr", 1);

        CommandResult result = ok(KafkaCli.CONFIGS, "--describe", "--all", "--entity-type", "topics", "--entity-name", topic);

        assertThat(result.stdoutLines()).as(result.toString()).contains("min.insync.replicas=1 sensitive=false "
            + "synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:min.insync.replicas=1, DEFAULT_CONFIG:min.insync.replicas=1}");
    }

    @Test
    void configsDescribeAllShouldPrintEveryBrokerConfigWithSynonyms() {
        CommandResult result = ok(KafkaCli.CONFIGS, "--describe", "--all", "--entity-type", "brokers",
            "--entity-name", String.valueOf(nodeId));

        assertThat(result.stdoutLines()).as(result.toString())
            .startsWith("All configs for broker " + nodeId + " are:")
            .contains("message.max.bytes=1048588 sensitive=false synonyms={DEFAULT_CONFIG:message.max.bytes=1048588}",
                "log.retention.hours=168 sensitive=false synonyms={DEFAULT_CONFIG:log.retention.hours=168}",
                "log.cleanup.policy=delete sensitive=false synonyms={DEFAULT_CONFIG:log.cleanup.policy=delete}",
                "log.segment.bytes=1073741824 sensitive=false synonyms={DEFAULT_CONFIG:log.segment.bytes=1073741824}");
    }

    @Test
    void configsDescribeTopicWithoutOverridesShouldPrintTheHeaderOnly() {
        String topic = TestTopics.createUnique(bootstrap, "cli-configs-none", 1);

        CommandResult result = ok(KafkaCli.CONFIGS, "--describe", "--entity-type", "topics", "--entity-name", topic);

        assertThat(result.stdoutLines()).as(result.toString())
            .containsExactly("Dynamic configs for topic " + topic + " are:");
    }

    // ---- kafka-log-dirs, kafka-leader-election

    @Test
    void logDirsShouldDescribeTheTopicsPartitionsAsJson() {
        String topic = TestTopics.createUnique(bootstrap, "cli-log-dirs", 2);

        CommandResult result = ok(LOG_DIRS, "--describe", "--topic-list", topic);

        List<String> lines = result.stdoutLines();
        assertThat(lines).as(result.toString()).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("Querying brokers for log directories information");
        assertThat(lines.get(1)).isEqualTo("Received log directory information from brokers " + nodeId);
        assertThat(lines.get(2)).startsWith("{\"brokers\":[{\"broker\":" + nodeId + ",\"logDirs\":[{\"partitions\":[")
            .contains("{\"partition\":\"" + topic + "-0\",\"size\":0,\"offsetLag\":0,\"isFuture\":false}")
            .contains("{\"partition\":\"" + topic + "-1\",\"size\":0,\"offsetLag\":0,\"isFuture\":false}")
            .contains("\"error\":null,\"logDir\":\"/")
            .endsWith("\"}]}],\"version\":1}");
    }

    @Test
    void leaderElectionShouldReportThatThePreferredLeaderIsAlreadyElected() {
        String topic = TestTopics.createUnique(bootstrap, "cli-election", 1);

        CommandResult result = ok(LEADER_ELECTION, "--election-type", "preferred", "--topic", topic, "--partition", "0");

        assertThat(result.stdoutLines()).as(result.toString())
            .containsExactly("Valid replica already elected for partitions " + topic + "-0");
    }

    @Test
    void leaderElectionForAllPartitionsShouldFindNothingToElect() {
        CommandResult result = ok(LEADER_ELECTION, "--election-type", "preferred", "--all-topic-partitions");

        assertThat(result.stdoutLines()).as(result.toString()).isEmpty();
    }

    // ---- kafka-get-offsets

    @Test
    void getOffsetsShouldAcceptNamedTimesAndPartitionFilters() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "cli-offsets-named", 3);
        long base = System.currentTimeMillis() - 60_000;
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            producer.send(new ProducerRecord<>(topic, 0, base + 1_000, null, "a")).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(topic, 0, base + 3_000, null, "b")).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(topic, 0, base + 2_000, null, "c")).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(topic, 1, base, null, "d")).get(30, TimeUnit.SECONDS);
        }

        assertThat(ok(KafkaCli.GET_OFFSETS, "--topic", topic, "--time", "latest").stdoutLines())
            .containsExactly(topic + ":0:3", topic + ":1:1", topic + ":2:0");
        assertThat(ok(KafkaCli.GET_OFFSETS, "--topic", topic, "--time", "earliest", "--partitions", "0,2").stdoutLines())
            .containsExactly(topic + ":0:0", topic + ":2:0");
        assertThat(ok(KafkaCli.GET_OFFSETS, "--topic", topic, "--time", "max-timestamp", "--partitions", "0").stdoutLines())
            .containsExactly(topic + ":0:1");
        assertThat(ok(KafkaCli.GET_OFFSETS, "--topic-partitions", topic + ":1", "--time", "earliest-local").stdoutLines())
            .containsExactly(topic + ":1:0");
        assertThat(ok(KafkaCli.GET_OFFSETS, "--topic-partitions", topic + ":0", "--time", "latest-tiered").stdoutLines())
            .as("no tiered offset: the partition is left out").isEmpty();
    }

    // ---- kafka-features, kafka-broker-api-versions, kafka-groups

    @Test
    void featuresDescribeShouldPrintTheFinalizedGroupAndTransactionVersions() {
        CommandResult result = ok(FEATURES, "describe");

        assertThat(result.stdoutLines()).as(result.toString())
            .anyMatch(l -> l.matches("Feature: group.version\\s+SupportedMinVersion: 0\\s+SupportedMaxVersion: 1"
                + "\\s+FinalizedVersionLevel: 1\\s+Epoch: \\d+"))
            .anyMatch(l -> l.matches("Feature: transaction.version\\s+SupportedMinVersion: 0\\s+SupportedMaxVersion: 2"
                + "\\s+FinalizedVersionLevel: 2\\s+Epoch: \\d+"))
            .anyMatch(l -> l.matches("Feature: metadata.version\\s+SupportedMinVersion: 3.3-IV3\\s+SupportedMaxVersion: \\S+"
                + "\\s+FinalizedVersionLevel: 4\\.\\d-IV\\d\\s+Epoch: \\d+"));
    }

    @Test
    void brokerApiVersionsShouldListTheNodeWithUsableVersionsOfTheCoreApis() {
        CommandResult result = ok(BROKER_API_VERSIONS);

        List<String> lines = result.stdoutLines();
        assertThat(lines.getFirst()).as(result.toString()).endsWith("(id: " + nodeId + " rack: null isFenced: false) -> (");
        // the usable (negotiated) version of each API a producer, consumer, admin or transactional client uses
        Map<String, Integer> usable = new java.util.LinkedHashMap<>();
        for (String line : lines) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\w+)\\(\\d+\\): .*\\[usable: (\\d+)\\],?").matcher(line);
            if (m.matches()) {
                usable.put(m.group(1), Integer.parseInt(m.group(2)));
            }
        }
        assertThat(usable).as(result.toString()).containsAllEntriesOf(Map.ofEntries(
            Map.entry("Produce", 13), Map.entry("Fetch", 18), Map.entry("ListOffsets", 11), Map.entry("Metadata", 13),
            Map.entry("OffsetCommit", 10), Map.entry("OffsetFetch", 10), Map.entry("FindCoordinator", 6),
            Map.entry("JoinGroup", 9), Map.entry("Heartbeat", 4), Map.entry("LeaveGroup", 5), Map.entry("SyncGroup", 5),
            Map.entry("DescribeGroups", 6), Map.entry("ListGroups", 5), Map.entry("ApiVersions", 5),
            Map.entry("CreateTopics", 7), Map.entry("DeleteTopics", 6), Map.entry("DeleteRecords", 2),
            Map.entry("InitProducerId", 5), Map.entry("OffsetForLeaderEpoch", 4), Map.entry("AddPartitionsToTxn", 5),
            Map.entry("AddOffsetsToTxn", 4), Map.entry("EndTxn", 5), Map.entry("TxnOffsetCommit", 6),
            Map.entry("DescribeConfigs", 4), Map.entry("IncrementalAlterConfigs", 1), Map.entry("CreatePartitions", 3),
            Map.entry("DeleteGroups", 3), Map.entry("OffsetDelete", 0), Map.entry("DescribeCluster", 2),
            Map.entry("DescribeProducers", 0), Map.entry("DescribeTransactions", 0), Map.entry("ListTransactions", 2),
            Map.entry("ConsumerGroupHeartbeat", 1), Map.entry("ConsumerGroupDescribe", 1),
            Map.entry("DescribeTopicPartitions", 0)));
    }

    @Test
    void groupsListShouldPrintEachGroupsTypeAndProtocol() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "cli-groups", 1);
        String group = "cli-groups-" + UUID.randomUUID();
        commit(group, Map.of(new TopicPartition(topic, 0), 1L));

        CommandResult result = ok(GROUPS, "--list");

        assertThat(result.stdoutLines().getFirst()).as(result.toString()).matches("GROUP\\s+TYPE\\s+PROTOCOL");
        assertThat(result.stdoutLines()).as(result.toString()).anyMatch(l -> l.matches(group + "\\s+Classic\\s*"));
        assertThat(ok(GROUPS, "--list", "--consumer").stdoutLines()).anyMatch(l -> l.startsWith(group));
        assertThat(ok(GROUPS, "--list", "--group-type", "consumer").stdoutLines()).noneMatch(l -> l.startsWith(group));
    }

    // ---- kafka-consumer-groups

    @Test
    void consumerGroupsDescribeMembersVerboseShouldShowTheMembersAssignment() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "cli-members", 2);
        String group = "cli-members-" + UUID.randomUUID();
        try (KafkaConsumer<String, String> member = activeMember(group, topic)) {
            CommandResult result = ok(CONSUMER_GROUPS, "--describe", "--group", group, "--members", "--verbose");

            List<String> lines = result.stdoutLines();
            assertThat(lines).as(result.toString()).hasSize(2);
            assertThat(lines.get(0)).as(result.toString()).matches("GROUP\\s+CONSUMER-ID\\s+HOST\\s+CLIENT-ID\\s+#PARTITIONS"
                + "\\s+CURRENT-EPOCH\\s+CURRENT-ASSIGNMENT\\s+TARGET-EPOCH\\s+TARGET-ASSIGNMENT");
            assertThat(lines.get(1)).as(result.toString()).startsWith(group + " ")
                .matches(group + "\\s+compat-consumer-\\d+-[0-9a-f-]{36}\\s+/127\\.0\\.0\\.1\\s+compat-consumer-\\d+\\s+2\\s+-\\s+"
                    + topic + ":0,1\\s+-\\s+-");
        }
    }

    @Test
    void consumerGroupsDescribeStateShouldShowTheCoordinatorAssignorAndMemberCount() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "cli-state", 1);
        String group = "cli-state-" + UUID.randomUUID();
        try (KafkaConsumer<String, String> member = activeMember(group, topic)) {
            CommandResult result = ok(CONSUMER_GROUPS, "--describe", "--group", group, "--state");

            List<String> lines = result.stdoutLines();
            assertThat(lines).as(result.toString()).hasSize(2);
            assertThat(lines.get(0)).matches("GROUP\\s+COORDINATOR \\(ID\\)\\s+ASSIGNMENT-STRATEGY\\s+STATE\\s+#MEMBERS");
            assertThat(lines.get(1)).as(result.toString())
                .matches(group + "\\s+127\\.0\\.0\\.1:\\d+\\s+\\(" + nodeId + "\\)\\s+range\\s+Stable\\s+1");
        }
    }

    @Test
    void consumerGroupsDescribeStateOfAGroupWithOnlyOffsetsShouldShowEmpty() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "cli-state-empty", 1);
        String group = "cli-state-empty-" + UUID.randomUUID();
        commit(group, Map.of(new TopicPartition(topic, 0), 1L));

        CommandResult result = KafkaCli.run(CONSUMER_GROUPS, "--bootstrap-server", bootstrap, "--describe", "--group",
            group, "--state");

        assertThat(result.stdoutLines()).as(result.toString()).anyMatch(l ->
            l.matches(group + "\\s+127\\.0\\.0\\.1:\\d+\\s+\\(" + nodeId + "\\)\\s+-\\s+Empty\\s+0"));
        assertThat(result.stderr()).contains("Consumer group '" + group + "' has no active members.");
    }

    @Test
    void consumerGroupsResetToDatetimeShouldMoveToTheFirstRecordAtOrAfterIt() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "cli-reset-datetime", 1);
        String group = "cli-reset-datetime-" + UUID.randomUUID();
        long base = (System.currentTimeMillis() / 1000) * 1000 - 3_600_000;
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, 0, base + i * 60_000L, null, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        commit(group, Map.of(new TopicPartition(topic, 0), 5L));
        String at = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS").withZone(ZoneOffset.UTC)
            .format(Instant.ofEpochMilli(base + 90_000)) + "Z";

        CommandResult dryRun = ok(CONSUMER_GROUPS, "--reset-offsets", "--group", group, "--topic", topic,
            "--to-datetime", at, "--dry-run");
        assertThat(dryRun.stdoutLines()).as(dryRun.toString()).anyMatch(l -> l.matches(group + "\\s+" + topic + "\\s+0\\s+2"));
        assertThat(committed(group)).isEqualTo(Map.of(new TopicPartition(topic, 0), 5L));

        ok(CONSUMER_GROUPS, "--reset-offsets", "--group", group, "--topic", topic, "--to-datetime", at, "--execute");
        assertThat(committed(group)).isEqualTo(Map.of(new TopicPartition(topic, 0), 2L));
    }

    @Test
    void consumerGroupsResetByDurationShouldMoveBackInTime() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "cli-reset-duration", 1);
        String group = "cli-reset-duration-" + UUID.randomUUID();
        long now = System.currentTimeMillis();
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            producer.send(new ProducerRecord<>(topic, 0, now - 7_200_000L, null, "old")).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(topic, 0, now - 600_000L, null, "recent")).get(30, TimeUnit.SECONDS);
        }
        commit(group, Map.of(new TopicPartition(topic, 0), 2L));

        ok(CONSUMER_GROUPS, "--reset-offsets", "--group", group, "--topic", topic, "--by-duration", "PT1H", "--execute");

        assertThat(committed(group)).isEqualTo(Map.of(new TopicPartition(topic, 0), 1L));
    }

    @Test
    void consumerGroupsResetToCurrentOnAllTopicsShouldKeepTheCommittedOffsets() throws Exception {
        String a = TestTopics.createUnique(bootstrap, "cli-reset-all-a", 1);
        String b = TestTopics.createUnique(bootstrap, "cli-reset-all-b", 1);
        String group = "cli-reset-all-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(a, 0, null, "a" + i));
                producer.send(new ProducerRecord<>(b, 0, null, "b" + i));
            }
            producer.flush();
        }
        commit(group, Map.of(new TopicPartition(a, 0), 1L, new TopicPartition(b, 0), 2L));

        ok(CONSUMER_GROUPS, "--reset-offsets", "--group", group, "--all-topics", "--to-latest", "--execute");

        assertThat(committed(group)).isEqualTo(Map.of(new TopicPartition(a, 0), 3L, new TopicPartition(b, 0), 3L));
    }

    @Test
    void consumerGroupsDescribeOfAnUnknownGroupShouldReportGroupIdNotFound() {
        String group = "cli-unknown-" + UUID.randomUUID();

        CommandResult result = KafkaCli.run(CONSUMER_GROUPS, "--bootstrap-server", bootstrap, "--describe", "--group", group);

        assertThat(result.stdoutLines()).as(result.toString()).containsExactly("Error: Executing consumer group command "
            + "failed due to org.apache.kafka.common.errors.GroupIdNotFoundException: Group " + group + " not found.");
    }

    @Test
    void topicsDescribeShouldPageThroughPartitionsWithASmallResponseLimit() {
        String topic = TestTopics.createUnique(bootstrap, "cli-paging", 5);

        CommandResult result = ok(KafkaCli.TOPICS, "--describe", "--topic", topic, "--partition-size-limit-per-response", "2");

        assertThat(result.stdoutLines()).as(result.toString()).hasSize(6);
        for (int p = 0; p < 5; p++) {
            assertThat(result.stdoutLines().get(1 + p)).as(result.toString())
                .startsWith("Topic: " + topic + "\tPartition: " + p + "\tLeader: " + nodeId);
        }
    }

    @Test
    void transactionsFindHangingShouldPrintOnlyTheHeaderWhenNoneHang() {
        CommandResult result = ok(KafkaCli.TRANSACTIONS, "find-hanging", "--broker-id", String.valueOf(nodeId));

        assertThat(result.stdoutLines()).as(result.toString()).containsExactly(
            "Topic\tPartition\tProducerId\tProducerEpoch\tCoordinatorEpoch\tStartOffset\tLastTimestamp\tDuration(min)");
    }

    @Test
    void consumerGroupsListByStateShouldShowAnEmptyGroup() {
        String topic = TestTopics.createUnique(bootstrap, "cli-list-state", 1);
        String group = "cli-list-state-" + UUID.randomUUID();
        commit(group, Map.of(new TopicPartition(topic, 0), 1L));

        CommandResult result = ok(CONSUMER_GROUPS, "--list", "--state", "Empty");

        assertThat(result.stdoutLines().getFirst()).as(result.toString()).matches("GROUP\\s+STATE");
        assertThat(result.stdoutLines()).as(result.toString()).anyMatch(l -> l.matches(group + "\\s+Empty"));
        assertThat(ok(CONSUMER_GROUPS, "--list", "--state", "Stable").stdoutLines()).noneMatch(l -> l.startsWith(group));
    }

    @Test
    void consumerGroupsDeleteOffsetsOfOnePartitionShouldKeepTheOthers() throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "cli-delete-partition-offsets", 2);
        String group = "cli-delete-partition-offsets-" + UUID.randomUUID();
        commit(group, Map.of(new TopicPartition(topic, 0), 1L, new TopicPartition(topic, 1), 2L));

        CommandResult result = ok(CONSUMER_GROUPS, "--delete-offsets", "--group", group, "--topic", topic + ":0");

        assertThat(result.stdoutLines()).as(result.toString()).anyMatch(l -> l.matches(topic + "\\s+0\\s+Successful"));
        assertThat(committed(group)).isEqualTo(Map.of(new TopicPartition(topic, 1), 2L));
    }

    // ---- helpers

    private void commit(String group, Map<TopicPartition, Long> offsets) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, Map.of(ConsumerConfig.GROUP_ID_CONFIG, group))) {
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            offsets.forEach((tp, o) -> commit.put(tp, new OffsetAndMetadata(o)));
            consumer.commitSync(commit);
        }
    }

    private Map<TopicPartition, Long> committed(String group) throws Exception {
        try (Admin admin = Clients.admin(bootstrap)) {
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                .forEach((tp, om) -> out.put(tp, om.offset()));
            return out;
        }
    }

    private KafkaConsumer<String, String> activeMember(String group, String topic) {
        KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, Map.of(ConsumerConfig.GROUP_ID_CONFIG, group));
        consumer.subscribe(List.of(topic));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100));
        }
        assertThat(consumer.assignment()).isNotEmpty();
        return consumer;
    }
}
