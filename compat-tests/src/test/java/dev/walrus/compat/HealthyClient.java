package dev.walrus.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A well-behaved KafkaProducer and KafkaConsumer that stay connected while a test abuses the broker on other
 * connections. A background thread keeps producing (acks=all) the whole time; {@link #assertRoundTrip()} proves the
 * broker still serves them: a marker record is acknowledged and read back, and every record read so far arrived
 * exactly once, in order, with no gap.
 */
public final class HealthyClient implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final TopicPartition partition;
    private final Thread background;
    private final AtomicReference<Throwable> backgroundFailure = new AtomicReference<>();
    private final AtomicLong backgroundAcked = new AtomicLong();
    private volatile boolean running = true;
    private long nextExpectedOffset;

    public HealthyClient(String bootstrap) {
        String topic = TestTopics.createUnique(bootstrap, "healthy", 1);
        partition = new TopicPartition(topic, 0);
        producer = Clients.producer(bootstrap, Map.of("linger.ms", "0"));
        consumer = Clients.consumer(bootstrap);
        consumer.assign(List.of(partition));
        background = Thread.ofPlatform().name("healthy-producer").daemon().start(this::produceUntilClosed);
    }

    /** Produces a marker and reads everything up to it; fails if the broker stopped serving this healthy client. */
    public void assertRoundTrip() throws Exception {
        assertThat(backgroundFailure.get()).as("background producer failure").isNull();
        String marker = "marker-" + System.nanoTime();
        long markerOffset = producer.send(new ProducerRecord<>(partition.topic(), 0, "marker", marker))
            .get(30, TimeUnit.SECONDS).offset();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (nextExpectedOffset <= markerOffset) {
            assertThat(System.nanoTime()).as("marker at offset %d read within 30 s", markerOffset).isLessThan(deadline);
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                assertThat(record.offset()).as("offsets arrive in order without gaps").isEqualTo(nextExpectedOffset);
                nextExpectedOffset++;
                if (record.offset() == markerOffset) {
                    assertThat(record.value()).isEqualTo(marker);
                }
            }
        }
    }

    /** Records the background thread had acknowledged so far. */
    public long backgroundAcked() {
        return backgroundAcked.get();
    }

    private void produceUntilClosed() {
        long i = 0;
        while (running) {
            try {
                producer.send(new ProducerRecord<>(partition.topic(), 0, "bg", "bg-" + i++)).get(30, TimeUnit.SECONDS);
                backgroundAcked.incrementAndGet();
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (running) {
                    backgroundFailure.compareAndSet(null, e);
                }
                return;
            }
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        background.join(TimeUnit.SECONDS.toMillis(35));
        producer.close();
        consumer.close();
        assertThat(backgroundFailure.get()).as("background producer failure").isNull();
    }
}
