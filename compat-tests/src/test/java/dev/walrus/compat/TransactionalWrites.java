package dev.walrus.compat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Java's transactional producer writing what a non-Java read_committed consumer must tell apart: three transactions,
 * committed, aborted, committed, of {@code perTransaction} records each (values {@code committed-i}, {@code aborted-i},
 * {@code again-i}; record i in partition {@code i % partitions}). The aborted records are flushed into the log before
 * the abort, so the reader has them to skip. In each partition every transaction ends with its marker.
 */
public final class TransactionalWrites {

    private TransactionalWrites() {}

    public static void commitAbortCommit(String bootstrap, String topic, int perTransaction, int partitions) {
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap,
                Map.of("transactional.id", TestTopics.unique(topic + "-id")))) {
            producer.initTransactions();
            for (String outcome : List.of("committed", "aborted", "again")) {
                producer.beginTransaction();
                for (int i = 0; i < perTransaction; i++) {
                    producer.send(new ProducerRecord<>(topic, i % partitions, "k" + i, outcome + "-" + i));
                }
                if (outcome.equals("aborted")) {
                    producer.flush();
                    producer.abortTransaction();
                } else {
                    producer.commitTransaction();
                }
            }
        }
    }
}
