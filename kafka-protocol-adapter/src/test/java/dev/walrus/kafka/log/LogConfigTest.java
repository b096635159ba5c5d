package dev.walrus.kafka.log;

import dev.walrus.engine.FsyncSchedule;
import dev.walrus.engine.Walrus;
import dev.walrus.kafka.config.BrokerSettings;
import dev.walrus.kafka.metadata.MetadataModule;
import dev.walrus.kafka.metadata.TopicInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** How topic and broker configs become a partition's durability and limits, on the real metadata module. */
class LogConfigTest {

    @TempDir
    Path dir;
    private Walrus engine;
    private MetadataModule metadata;
    private BrokerSettings settings;

    private LogConfig configOf(Map<String, String> brokerProperties, Map<String, String> topicConfigs) {
        engine = Walrus.open(dir);
        settings = BrokerSettings.from(brokerProperties);
        metadata = MetadataModule.open(engine, settings,
                java.util.Map.of("PLAINTEXT", new dev.walrus.kafka.metadata.BrokerNode.Endpoint("localhost", 9092)),
                dev.walrus.kafka.config.BrokerLoggers.NONE);
        TopicInfo topic = metadata.registry().create("t", 1, topicConfigs, false).value();
        return LogConfig.of(topic, metadata.topics(), settings);
    }

    @AfterEach
    void close() {
        if (metadata != null) {
            metadata.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void shouldFsyncBeforeAnsweringAcksAllByDefault() {
        LogConfig config = configOf(Map.of(), Map.of());
        assertThat(config.syncBeforeAck()).isTrue();
        assertThat(config.fsyncSchedule()).isEmpty();
        assertThat(config.maxMessageBytes()).isEqualTo(1048588);
        assertThat(config.logAppendTime()).isFalse();
        assertThat(config.retentionMs()).isEqualTo(604_800_000L);
        assertThat(config.retentionBytes()).isEqualTo(-1);
        assertThat(config.timestampAfterMaxMs()).isEqualTo(3_600_000L);
    }

    @Test
    void shouldSyncEachAppendForFlushMessagesOne() {
        LogConfig config = configOf(Map.of(), Map.of("flush.messages", "1"));
        assertThat(config.syncBeforeAck()).isFalse();
        assertThat(config.fsyncSchedule()).contains(FsyncSchedule.syncEach());
    }

    @Test
    void shouldFlushOnATimerForFlushMs() {
        LogConfig config = configOf(Map.of(), Map.of("flush.ms", "250"));
        assertThat(config.syncBeforeAck()).isFalse();
        assertThat(config.fsyncSchedule()).contains(FsyncSchedule.every(Duration.ofMillis(250)));
    }

    @Test
    void shouldFlushEveryNMessagesForFlushMessagesAboveOne() {
        LogConfig config = configOf(Map.of(), Map.of("flush.messages", "1000"));
        assertThat(config.syncBeforeAck()).isFalse();
        assertThat(config.fsyncSchedule()).contains(FsyncSchedule.none());
        assertThat(config.flushEveryMessages()).isEqualTo(1000);
    }

    @Test
    void shouldFollowTheBrokersFlushIntervalWhenGiven() {
        LogConfig config = configOf(Map.of("log.flush.interval.ms", "5000"), Map.of());
        assertThat(config.syncBeforeAck()).isFalse();
        assertThat(config.fsyncSchedule()).isEqualTo(Optional.of(FsyncSchedule.every(Duration.ofSeconds(5))));
    }

    @Test
    void shouldReadTopicLimits() {
        LogConfig config = configOf(Map.of(), Map.of("max.message.bytes", "5000",
                "message.timestamp.type", "LogAppendTime", "retention.bytes", "123456"));
        assertThat(config.maxMessageBytes()).isEqualTo(5000);
        assertThat(config.logAppendTime()).isTrue();
        assertThat(config.retentionBytes()).isEqualTo(123456);
    }
}
