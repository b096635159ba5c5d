package dev.walrus.compat.legacy;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Runs in a child JVM whose classpath holds an old kafka-clients jar instead of 4.4 (so it uses only API the 2.x line
 * already had). Produces RECORDS records to partition 0 of TOPIC, then reads the partition from offset 0 until it
 * has EXPECTED records, printing one parseable line per step:
 * <pre>
 * version 2.8.2
 * acked 3
 * record 0 key value
 * </pre>
 * Usage: LegacyClientProbe BOOTSTRAP TOPIC RECORDS EXPECTED
 */
public final class LegacyClientProbe {

    private LegacyClientProbe() {}

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        int records = Integer.parseInt(args[2]);
        int expected = Integer.parseInt(args[3]);
        // AppInfoParser lives in org.apache.kafka.common.utils up to 3.x (it moved in 4.x, which this probe never runs)
        String version = (String) Class.forName("org.apache.kafka.common.utils.AppInfoParser")
            .getMethod("getVersion").invoke(null);
        System.out.println("version " + version);

        Properties producerProps = new Properties();
        producerProps.put("bootstrap.servers", bootstrap);
        producerProps.put("acks", "all");
        try (KafkaProducer<String, String> producer =
                 new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < records; i++) {
                long offset = producer.send(new ProducerRecord<>(topic, 0, "legacy-key-" + i, "from " + version + " #" + i))
                    .get().offset();
                System.out.println("acked " + offset);
            }
        }

        Properties consumerProps = new Properties();
        consumerProps.put("bootstrap.servers", bootstrap);
        consumerProps.put("enable.auto.commit", "false");
        consumerProps.put("auto.offset.reset", "earliest");
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer =
                 new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, 0);
            int got = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (got < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    System.out.println("record " + record.offset() + " " + record.key() + " " + record.value());
                    got++;
                }
            }
        }
        System.out.flush();
    }
}
