package dev.walrus.compat.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.OwnBrokerTest;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CompatSettings;
import dev.walrus.compat.Records;
import dev.walrus.compat.TestTopics;
import dev.walrus.compat.TlsFiles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An {@code SSL} listener (Kafka's {@code ssl.*} keys, a PKCS12 keystore made by keytool): the Java producer,
 * consumer and admin client work over it unchanged once they trust the broker's certificate (with their default host
 * name check); a client that does not trust it fails the handshake; with {@code ssl.client.auth=required} only a
 * client with a certificate the broker trusts gets in.
 */
class TlsListenerTest extends OwnBrokerTest {

    private static TlsFiles tls;

    @BeforeAll
    static void makeStores() {
        tls = TlsFiles.create(CompatSettings.newWorkDir("tls"));
    }

    @Test
    void shouldProduceConsumeAndAdministerOverTls() throws Exception {
        broker = ChildBroker.forCurrentTarget("tls", "SSL", tls.brokerSettings(false), ssl(tls.clientSettings(false)))
                .start();
        Map<String, String> client = broker.clientProperties();
        String topic;
        try (Admin admin = Clients.admin(broker.bootstrapServers(), client)) {
            topic = TestTopics.create(admin, TestTopics.unique("tls"), 1);
            List<Node> nodes = new ArrayList<>(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS));
            assertThat(nodes).hasSize(1);
            assertThat(nodes.getFirst().host() + ":" + nodes.getFirst().port()).isEqualTo(broker.bootstrapServers());
        }
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), client)) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            }
            producer.flush();
        }
        Map<String, String> consumerSettings = new HashMap<>(client);
        consumerSettings.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), consumerSettings)) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            List<ConsumerRecord<String, String>> records = Records.pollExactly(consumer, 100);
            for (int i = 0; i < 100; i++) {
                assertThat(records.get(i).offset()).isEqualTo(i);
                assertThat(records.get(i).key()).isEqualTo("k" + i);
                assertThat(records.get(i).value()).isEqualTo("v" + i);
            }
        }
    }

    @Test
    void shouldServeTlsFromPemStores() throws Exception {
        broker = ChildBroker.forCurrentTarget("tls-pem", "SSL",
                tls.brokerPemSettings(CompatSettings.newWorkDir("tls-pem")), ssl(tls.clientSettings(false))).start();
        try (Admin admin = Clients.admin(broker.bootstrapServers(), broker.clientProperties())) {
            List<Node> nodes = new ArrayList<>(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS));
            assertThat(nodes.getFirst().host() + ":" + nodes.getFirst().port()).isEqualTo(broker.bootstrapServers());
        }
    }

    @Test
    void shouldFailTheHandshakeOfAClientThatDoesNotTrustTheBroker() {
        broker = ChildBroker.forCurrentTarget("tls-untrusted", "SSL", tls.brokerSettings(false),
                ssl(tls.clientSettings(false))).start();
        try (Admin admin = Clients.admin(broker.bootstrapServers(), ssl(Map.of()))) {
            assertThatThrownBy(() -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(20_000)).nodes().get())
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(SslAuthenticationException.class);
        }
    }

    @Test
    void shouldLetInOnlyClientsWithATrustedCertificateWhenClientAuthIsRequired() throws Exception {
        broker = ChildBroker.forCurrentTarget("mtls", "SSL", tls.brokerSettings(true), ssl(tls.clientSettings(true)))
                .start();
        try (Admin admin = Clients.admin(broker.bootstrapServers(), broker.clientProperties())) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }
        try (Admin admin = Clients.admin(broker.bootstrapServers(), ssl(tls.clientSettings(false)))) {
            assertThatThrownBy(() -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(20_000)).nodes().get())
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(SslAuthenticationException.class);
        }
    }

    private static Map<String, String> ssl(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("security.protocol", "SSL");
        return all;
    }
}
