package dev.walrus.compat.durability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.Clients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** What a producer was told (partition, offset, value) and the check that a broker still holds exactly that. */
record Acked(int partition, long offset, String value) {

    /** Every partition of {@code topic} read from offset 0 to its end offset, as (partition, offset) to value. */
    static Map<String, String> readEverything(String bootstrap, String topic, int partitions) {
        Map<String, String> stored = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap)) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> end = consumer.endOffsets(all, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (all.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime()).as("read up to the end offsets %s within 60 s", end).isLessThan(deadline);
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    stored.put(record.partition() + "@" + record.offset(), record.value());
                }
            }
        }
        return stored;
    }

    /** Every acknowledged record is stored at the offset it was acknowledged with, and no value is stored twice. */
    static void assertAllPresentOnce(List<Acked> acked, Map<String, String> stored) {
        for (Acked a : acked) {
            assertThat(stored.get(a.partition + "@" + a.offset))
                .as("acknowledged record at partition %d offset %d", a.partition, a.offset).isEqualTo(a.value);
        }
        assertThat(stored.values()).as("no record stored twice").doesNotHaveDuplicates();
    }
}
