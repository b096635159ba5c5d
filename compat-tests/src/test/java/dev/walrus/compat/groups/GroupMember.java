package dev.walrus.compat.groups;

import dev.walrus.compat.Clients;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One group member: a KafkaConsumer subscribed on its own thread, committing synchronously after each batch it
 * processed (at-least-once), recording what it read into a {@link ConsumedLog}. {@link #close()} closes the consumer,
 * which leaves the group.
 */
final class GroupMember implements AutoCloseable {

    private final String name;
    private final ConsumedLog log;
    private final Map<String, Object> config = new HashMap<>();
    private final String topic;
    private final Map<Integer, Integer> stints = new ConcurrentHashMap<>();
    private final AtomicInteger revocations = new AtomicInteger();
    private final AtomicInteger assignments = new AtomicInteger();
    private final AtomicInteger failedCommits = new AtomicInteger();
    private volatile String lastCommitFailure;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Set<TopicPartition> assignment = Set.of();
    private volatile boolean running = true;
    private final Thread thread;

    GroupMember(String name, String bootstrap, String group, String topic, Map<String, ?> overrides, ConsumedLog log) {
        this.name = name;
        this.log = log;
        this.topic = topic;
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
        config.putAll(overrides);
        this.thread = new Thread(this::run, "member-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        try (KafkaConsumer<String, String> consumer = Clients.consumer((String) config.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG), config)) {
            consumer.subscribe(Set.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    if (!partitions.isEmpty()) {
                        revocations.incrementAndGet();
                    }
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (!partitions.isEmpty()) {
                        assignments.incrementAndGet();
                    }
                    partitions.forEach(tp -> stints.merge(tp.partition(), 1, Integer::sum));
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    onPartitionsRevoked(partitions);
                }
            });
            while (running) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                // Published before the records are logged: whoever sees them consumed sees the assignment they came from.
                assignment = Set.copyOf(consumer.assignment());
                for (ConsumerRecord<String, String> r : records) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    log.add(name, tp, stints.getOrDefault(r.partition(), 0), r.offset(), r.value());
                }
                if (!records.isEmpty()) {
                    commit(consumer);
                }
                assignment = Set.copyOf(consumer.assignment());
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    /**
     * A commit can fail while the group rebalances (the member must rejoin first); like any at-least-once consumer
     * we go on, and the records since the last commit come again to whoever owns the partition next.
     */
    private void commit(KafkaConsumer<String, String> consumer) {
        try {
            consumer.commitSync();
        } catch (RebalanceInProgressException | CommitFailedException e) {
            failedCommits.incrementAndGet();
            lastCommitFailure = e.toString();
        }
    }

    int failedCommits() {
        return failedCommits.get();
    }

    String lastCommitFailure() {
        return lastCommitFailure;
    }

    String name() {
        return name;
    }

    Set<TopicPartition> assignment() {
        return assignment;
    }

    int revocations() {
        return revocations.get();
    }

    int assignmentsReceived() {
        return assignments.get();
    }

    Throwable failure() {
        return failure.get();
    }

    /** Stops polling and closes the consumer: it leaves the group (a static classic member does not). */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(60_000);
    }
}
