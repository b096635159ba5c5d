package dev.walrus.kafka.share;

import dev.walrus.engine.Walrus;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The share group log on a real engine: replay, tombstones, and compaction down to the live states. */
class ShareGroupLogTest {

    @TempDir
    Path dir;

    private static final Uuid TOPIC = Uuid.randomUuid();

    @Test
    void shouldReplayTheLastStateOfEachGroupAndPartitionAndForgetDeletedOnes() {
        SharePartitionKey kept = new SharePartitionKey("g", TOPIC, 0);
        SharePartitionKey dropped = new SharePartitionKey("g", TOPIC, 1);
        SharePartitionKey ofGoneGroup = new SharePartitionKey("gone", TOPIC, 0);
        try (Walrus engine = Walrus.open(dir)) {
            ShareGroupLog log = new ShareGroupLog(engine);
            log.saveGroup(group("g", 3));
            log.saveGroup(group("gone", 1));
            log.savePartition(new SharePartition.Snapshot(kept, 4, List.of(
                    new StateBatch(5, 6, DeliveryState.ACKNOWLEDGED, (short) 1),
                    new StateBatch(7, 7, DeliveryState.AVAILABLE, (short) 2))));
            log.savePartition(new SharePartition.Snapshot(dropped, 9, List.of()));
            log.savePartition(new SharePartition.Snapshot(ofGoneGroup, 1, List.of()));
            log.deletePartition(dropped);
            log.deleteGroup("gone");
        }
        try (Walrus engine = Walrus.open(dir)) {
            ShareGroupLog.Replayed replayed = new ShareGroupLog(engine).replay();
            assertThat(replayed.groups()).containsOnlyKeys("g");
            assertThat(replayed.groups().get("g").groupEpoch()).isEqualTo(3);
            assertThat(replayed.groups().get("g").members).containsOnlyKeys("m");
            assertThat(replayed.partitions()).containsOnlyKeys(kept);
            SharePartition restored = SharePartition.restored(kept, 4, replayed.partitions().get(kept).batches());
            // offset 4 was never recorded as in flight (a gap), 5-6 are done: the start moves to the available 7
            assertThat(restored.startOffset()).isEqualTo(7);
            assertThat(restored.lag(8)).isEqualTo(1);
        }
    }

    @Test
    void shouldCompactToTheLiveStatesAndKeepThemAcrossARestart() {
        SharePartitionKey key = new SharePartitionKey("g", TOPIC, 0);
        SharePartitionKey other = new SharePartitionKey("g", TOPIC, 1);
        try (Walrus engine = Walrus.open(dir)) {
            ShareGroupLog log = new ShareGroupLog(engine);
            SharePartitions partitions = new SharePartitions(log, null, null, null, null);
            ShareGroup g = group("g", 2);
            log.saveGroup(g);
            partitions.reset(other, 42);
            for (int i = 0; i <= 12_000; i++) {
                partitions.reset(key, i);
            }
            partitions.delete(k -> k.partition() == 1, true);
            partitions.reset(other, 43);
            long before = engine.startPosition(ShareGroupLog.TOPIC);
            ShareCoordinator coordinator = new ShareCoordinator(null, null, partitions, null, log, null, null, null, null, null, 0);
            coordinator.compactPeriodically(Map.of("g", g));
            assertThat(engine.startPosition(ShareGroupLog.TOPIC)).as("truncated").isGreaterThan(before);
            partitions.close();
        }
        try (Walrus engine = Walrus.open(dir)) {
            ShareGroupLog.Replayed replayed = new ShareGroupLog(engine).replay();
            assertThat(replayed.groups()).containsOnlyKeys("g");
            assertThat(replayed.partitions()).containsOnlyKeys(key, other);
            assertThat(replayed.partitions().get(key).startOffset()).isEqualTo(12_000);
            assertThat(replayed.partitions().get(other).startOffset()).isEqualTo(43);
        }
    }

    private static ShareGroup group(String id, int epoch) {
        ShareGroup g = new ShareGroup(id);
        g.groupEpoch = epoch;
        g.assignmentEpoch = epoch;
        ShareMember m = new ShareMember("m");
        m.memberEpoch = epoch;
        m.subscribedTopicNames = List.of("orders");
        m.assigned = Map.of(TOPIC, java.util.Set.of(0, 1));
        g.members.put("m", m);
        return g;
    }
}
