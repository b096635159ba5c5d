package dev.walrus.compat.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CompatSettings;
import dev.walrus.compat.Dirs;
import dev.walrus.compat.Records;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Kafka Streams 4.4, a stateless topology (read, map, write): it joins its group and transforms every record. */
@ExtendWith(BrokerExtension.class)
class StatelessStreamsTest {

    @Test
    void shouldTransformEveryInputRecordToTheOutputTopic(TargetBroker broker) throws Exception {
        String input;
        String output;
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            input = TestTopics.create(admin, TestTopics.unique("streams-in"), 2);
            output = TestTopics.create(admin, TestTopics.unique("streams-out"), 1);
        }
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(input, 0, "k" + i, "value " + i)).get(30, TimeUnit.SECONDS);
            }
        }

        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
            .mapValues(value -> value.toUpperCase())
            .to(output, Produced.with(Serdes.String(), Serdes.String()));
        Path stateDir = CompatSettings.newWorkDir("streams-state");
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, TestTopics.unique("compat-streams"));
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        config.put("consumer.auto.offset.reset", "earliest");
        try (KafkaStreams streams = new KafkaStreams(builder.build(), config);
             KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers())) {
            streams.start();
            consumer.assign(List.of(new TopicPartition(output, 0)));
            List<ConsumerRecord<String, String>> got = Records.pollExactly(consumer, 100, Duration.ofSeconds(90));
            for (int i = 0; i < 100; i++) {
                assertThat(got.get(i).key()).isEqualTo("k" + i);
                assertThat(got.get(i).value()).isEqualTo("VALUE " + i);
            }
            streams.close(Duration.ofSeconds(30));
        } finally {
            Dirs.deleteRecursively(stateDir);
        }
    }
}
