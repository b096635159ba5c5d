package dev.walrus.broker.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.walrus.broker.Broker;
import dev.walrus.broker.testing.Clients;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-cache training's workload against the real broker: every answer it checks is the expected one. */
class StartCacheTrainingTest {

    @TempDir
    Path dataDir;

    @Test
    void shouldDriveBothLivesOfTheBrokerWithoutAnErrorAnswer() {
        assertThatCode(() -> StartCacheTraining.run(dataDir)).doesNotThrowAnyException();
    }

    @Test
    void shouldLeaveTheTrainingTopicWithItsRecordsAndDeleteTheOtherOne() throws Exception {
        StartCacheTraining.run(dataDir);

        try (Broker broker = StartCacheTraining.start(dataDir); // a third life, as the training starts its two
             Admin admin = Admin.create(Clients.adminConfig(broker.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).isEqualTo(Set.of("walrus-training"));
            // 5 idempotent + 3 + 1 in the first life, 2 in the second
            TopicPartition trained = new TopicPartition("walrus-training", 0);
            assertThat(admin.listOffsets(Map.of(trained, OffsetSpec.latest())).partitionResult(trained).get().offset())
                    .isEqualTo(11);
        }
    }
}
