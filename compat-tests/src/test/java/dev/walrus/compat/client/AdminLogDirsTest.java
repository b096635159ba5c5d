package dev.walrus.compat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeReplicaLogDirsResult.ReplicaLogDirInfo;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionReplica;
import org.apache.kafka.common.errors.LogDirNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Admin describeLogDirs / describeReplicaLogDirs (DescribeLogDirs): the broker's one log directory, an absolute
 * path with its volume's space, and each partition's size in bytes, the size of the record batches it holds; and
 * alterReplicaLogDirs (AlterReplicaLogDirs) on a broker with one directory.
 */
@ExtendWith(BrokerExtension.class)
class AdminLogDirsTest {

    /** One record batch holding one record, null key, 5-byte value, no headers: 61 bytes of batch header and 12 of record. */
    private static final long ONE_SMALL_BATCH = 73;

    @Test
    void shouldDescribeTheLogDirectoryWithTheSizeOfEachPartition(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "log-dirs", 2);
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap);
             Admin admin = Clients.admin(bootstrap)) {
            producer.send(new ProducerRecord<>(topic, 0, null, "hello")).get(30, TimeUnit.SECONDS);
            int node = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).iterator().next().id();

            Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(node)).allDescriptions()
                    .get(30, TimeUnit.SECONDS).get(node);

            assertThat(dirs).hasSize(1);
            Map.Entry<String, LogDirDescription> dir = dirs.entrySet().iterator().next();
            assertThat(Path.of(dir.getKey())).isAbsolute();
            LogDirDescription description = dir.getValue();
            assertThat(description.error()).isNull();
            assertThat(description.totalBytes()).isPresent();
            assertThat(description.usableBytes()).isPresent();
            assertThat(description.totalBytes().getAsLong()).isPositive();
            assertThat(description.usableBytes().getAsLong()).isPositive()
                    .isLessThanOrEqualTo(description.totalBytes().getAsLong());
            ReplicaInfo written = description.replicaInfos().get(new TopicPartition(topic, 0));
            assertThat(written.size()).isEqualTo(ONE_SMALL_BATCH);
            assertThat(written.offsetLag()).isZero();
            assertThat(written.isFuture()).isFalse();
            assertThat(description.replicaInfos().get(new TopicPartition(topic, 1)).size()).isZero();

            ReplicaLogDirInfo replica = admin.describeReplicaLogDirs(List.of(new TopicPartitionReplica(topic, 0, node)))
                    .all().get(30, TimeUnit.SECONDS).get(new TopicPartitionReplica(topic, 0, node));
            assertThat(replica.getCurrentReplicaLogDir()).isEqualTo(dir.getKey());
            assertThat(replica.getCurrentReplicaOffsetLag()).isZero();
            assertThat(replica.getFutureReplicaLogDir()).isNull();
        }
    }

    @Test
    void shouldAcceptAMoveOnlyToTheDirectoryThePartitionIsIn(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "log-dir-move", 1);
        try (Admin admin = Clients.admin(bootstrap)) {
            int node = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).iterator().next().id();
            String dir = admin.describeLogDirs(List.of(node)).allDescriptions().get(30, TimeUnit.SECONDS).get(node)
                    .keySet().iterator().next();
            TopicPartitionReplica replica = new TopicPartitionReplica(topic, 0, node);

            admin.alterReplicaLogDirs(Map.of(replica, dir)).all().get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> admin.alterReplicaLogDirs(Map.of(replica, dir + "-elsewhere")).all()
                    .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(LogDirNotFoundException.class);
            TopicPartitionReplica unknown = new TopicPartitionReplica(topic + "-unknown", 0, node);
            assertThatThrownBy(() -> admin.alterReplicaLogDirs(Map.of(unknown, dir)).all().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(UnknownTopicOrPartitionException.class);
            assertThat(admin.describeReplicaLogDirs(List.of(replica)).all().get(30, TimeUnit.SECONDS).get(replica)
                    .getFutureReplicaLogDir()).as("no move under way").isNull();
        }
    }
}
