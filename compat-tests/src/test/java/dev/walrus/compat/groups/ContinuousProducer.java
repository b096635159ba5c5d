package dev.walrus.compat.groups;

import dev.walrus.compat.Clients;
import dev.walrus.compat.TestTopics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Produces to every partition of a topic in turn until stopped, with Kafka's default (idempotent, acks=all)
 * producer. Record {@code n} of partition {@code p} has the value {@code "p:n"}, so a reader can tell which record it
 * got and whether any is missing.
 */
final class ContinuousProducer implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final int partitions;
    private final long pauseNanos;
    private final Map<Integer, AtomicLong> acked = new ConcurrentHashMap<>();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    ContinuousProducer(String bootstrap, String topic, int partitions, Map<String, ?> overrides, long pauseMicros) {
        // A new topic is served a moment after CreateTopics returns (on Kafka too): start once every partition is.
        TestTopics.awaitLeaders(bootstrap, topic, partitions);
        this.producer = Clients.producer(bootstrap, overrides);
        this.topic = topic;
        this.partitions = partitions;
        this.pauseNanos = pauseMicros * 1000;
        for (int p = 0; p < partitions; p++) {
            acked.put(p, new AtomicLong());
        }
        this.thread = new Thread(this::run, "continuous-producer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    ContinuousProducer(String bootstrap, String topic, int partitions) {
        this(bootstrap, topic, partitions, Map.of(), 2_000);
    }

    private void run() {
        long[] next = new long[partitions];
        try {
            while (running) {
                for (int p = 0; p < partitions && running; p++) {
                    int partition = p;
                    producer.send(new ProducerRecord<>(topic, partition, null, partition + ":" + next[partition]++), (md, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        } else {
                            acked.get(partition).incrementAndGet();
                        }
                    });
                }
                java.util.concurrent.locks.LockSupport.parkNanos(pauseNanos);
            }
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Stops sending and waits until every record sent is acknowledged (or failed). */
    void stop() throws InterruptedException {
        running = false;
        thread.join();
        producer.flush();
    }

    long ackedTotal() {
        return acked.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Acknowledged records per partition; with an idempotent producer they are records 0..n-1 of each. */
    Map<Integer, Long> ackedPerPartition() {
        Map<Integer, Long> copy = new java.util.TreeMap<>();
        acked.forEach((p, n) -> copy.put(p, n.get()));
        return copy;
    }

    Exception failure() {
        return failure.get();
    }

    @Override
    public void close() throws InterruptedException {
        if (running) {
            stop();
        }
        producer.close();
    }
}
