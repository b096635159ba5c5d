package dev.walrus.compat.txn;

import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/** Numbered records: keys k0, k1, ..., values prefix0, prefix1, ..., each sent and acknowledged before the next. */
final class Numbered {

    private Numbered() {}

    static void send(Producer<String, String> producer, TopicPartition partition, String prefix, int count)
            throws Exception {
        for (int i = 0; i < count; i++) {
            producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), "k" + i, prefix + i))
                    .get(30, TimeUnit.SECONDS);
        }
    }
}
