package dev.walrus.compat.nonjava;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.OwnBrokerTest;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.Commands;
import dev.walrus.compat.Records;
import dev.walrus.compat.SaslFixtures;
import dev.walrus.compat.TestTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * kafkajs's own SASL clients (pure JavaScript SCRAM and PLAIN) on a SASL_PLAINTEXT listener: it produces as a
 * SCRAM-SHA-512 user whose credential the Java admin client set, Java reads the records back as a PLAIN user, and a
 * wrong password fails kafkajs's authentication. Fails, never skips, when node or npm is missing.
 */
class KafkajsSaslTest extends OwnBrokerTest {

    @Test
    void shouldProduceAsAScramUserAndBeRefusedWithAWrongPassword() throws Exception {
        Path script = KafkajsTest.installedScript();
        Map<String, String> alice = SaslFixtures.alice();
        broker = ChildBroker.forCurrentTarget("kafkajs-sasl", "SASL_PLAINTEXT",
                SaslFixtures.brokerSettings("SASL_PLAINTEXT", "PLAIN,SCRAM-SHA-512"), alice).start();
        String topic;
        try (Admin admin = Clients.admin(broker.bootstrapServers(), alice)) {
            topic = TestTopics.create(admin, TestTopics.unique("kafkajs-sasl"), 2);
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("bob",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), "bob-secret")))
                    .all().get(30, TimeUnit.SECONDS);
        }

        CommandResult produced = node(script, Map.of("MODE", "produce", "TOPIC", topic, "COUNT", "10",
                "SASL_MECHANISM", "scram-sha-512", "SASL_USERNAME", "bob", "SASL_PASSWORD", "bob-secret"));
        assertThat(produced.exitCode()).as(produced.toString()).isZero();
        for (int i = 0; i < 10; i++) {
            assertThat(produced.stdoutLines()).as(produced.toString())
                    .contains("{\"acked\":" + i + ",\"partition\":0,\"errorCode\":0}");
        }
        Map<String, String> consumerSettings = new HashMap<>(alice);
        consumerSettings.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), consumerSettings)) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            List<ConsumerRecord<String, String>> records = Records.pollExactly(consumer, 10);
            for (int i = 0; i < 10; i++) {
                assertThat(records.get(i).key()).isEqualTo("js-key-" + i);
                assertThat(records.get(i).value()).isEqualTo("js value " + i);
            }
        }

        CommandResult refused = node(script, Map.of("MODE", "produce", "TOPIC", topic, "COUNT", "1", "RETRIES", "0",
                "SASL_MECHANISM", "scram-sha-512", "SASL_USERNAME", "bob", "SASL_PASSWORD", "not-bobs"));
        assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
        assertThat(refused.toString()).contains("SASL SCRAM SHA512 authentication failed");
    }

    private CommandResult node(Path script, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("BOOTSTRAP", broker.bootstrapServers());
        all.put("KAFKAJS_NO_PARTITIONER_WARNING", "1");
        return Commands.run(List.of("node", script.toString()), null, Duration.ofSeconds(120), all, script.getParent());
    }
}
