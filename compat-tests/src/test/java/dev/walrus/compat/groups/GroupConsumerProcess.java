package dev.walrus.compat.groups;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A group member in a process of its own, so a test can kill it with SIGKILL. It writes each record it read as
 * {@code partition offset value} to a file and flushes before it commits, so the file holds at least everything
 * committed.
 *
 * <p>Arguments: bootstrap group topic sessionTimeoutMs outputFile [consumer]; with {@code consumer}, the KIP-848
 * consumer protocol (the session timeout argument is then unused).
 */
public final class GroupConsumerProcess {

    private GroupConsumerProcess() {}

    public static void main(String[] args) throws IOException {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, args[1]);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "child-consumer");
        if (args.length > 5 && args[5].equals("consumer")) {
            // KIP-848: the session timeout and heartbeat interval are the group's, set on the broker
            config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        } else {
            config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, args[3]);
            config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
        }
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Path out = Path.of(args[4]);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
             BufferedWriter writer = Files.newBufferedWriter(out, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            consumer.subscribe(List.of(args[2]));
            while (true) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                if (records.isEmpty()) {
                    continue;
                }
                for (ConsumerRecord<String, String> r : records) {
                    writer.write(r.partition() + " " + r.offset() + " " + r.value());
                    writer.newLine();
                }
                writer.flush();
                try {
                    consumer.commitSync();
                } catch (org.apache.kafka.common.errors.RebalanceInProgressException
                         | org.apache.kafka.clients.consumer.CommitFailedException e) {
                    // at-least-once: the next owner reads these again
                }
            }
        }
    }
}
