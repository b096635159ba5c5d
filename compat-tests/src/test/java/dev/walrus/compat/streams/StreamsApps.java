package dev.walrus.compat.streams;

import dev.walrus.compat.CompatSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.Topology;

/** Kafka Streams applications for the tests of the streams rebalance protocol (KIP-1071, {@code group.protocol=streams}). */
final class StreamsApps {

    private StreamsApps() {}

    /** A config with the streams protocol, its own state directory, and quick commits. */
    static Properties streamsProtocol(String bootstrap, String applicationId, Path stateDir, Map<String, String> extra) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, "streams");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        config.put("consumer.auto.offset.reset", "earliest");
        config.putAll(extra);
        return config;
    }

    static Path stateDir() {
        return CompatSettings.newWorkDir("streams-state");
    }

    static KafkaStreams start(Topology topology, Properties config) {
        KafkaStreams streams = new KafkaStreams(topology, config);
        streams.start();
        return streams;
    }

    /** The active task ids ("0_1", ...) this instance's threads run now. */
    static Set<String> activeTasks(KafkaStreams streams) {
        Set<String> tasks = new HashSet<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            thread.activeTasks().forEach(t -> tasks.add(t.taskId().toString()));
        }
        return tasks;
    }

    /** The standby task ids this instance's threads keep now. */
    static Set<String> standbyTasks(KafkaStreams streams) {
        Set<String> tasks = new HashSet<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            thread.standbyTasks().forEach(t -> tasks.add(t.taskId().toString()));
        }
        return tasks;
    }

    /** Polls the condition every 100 ms until it holds or the timeout passes; returns whether it held. */
    static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return condition.getAsBoolean();
    }
}
