package dev.walrus.compat.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CompatSettings;
import dev.walrus.compat.OwnBrokerTest;
import dev.walrus.compat.TestTopics;
import dev.walrus.compat.TlsFiles;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/**
 * {@code ssl.principal.mapping.rules} (KIP-371) on an SSL listener: the client certificate's subject
 * ({@code CN=walrus-client}) becomes the user name the rules give it, which is the principal ACLs name; a client whose
 * subject no rule maps cannot use the broker. Clients without a certificate are {@code User:ANONYMOUS} (the
 * administrator here); the reference broker's own certificate is {@code CN=localhost}.
 */
class SslPrincipalMappingTest extends OwnBrokerTest {

    @Test
    void shouldNameAnSslClientByTheRuleThatMatchesItsCertificateSubject() throws Exception {
        TlsFiles tls = TlsFiles.create(CompatSettings.newWorkDir("ssl-mapping"));
        Map<String, String> settings = tls.brokerSettings(false);
        settings.put("ssl.client.auth", "requested");
        settings.put("ssl.principal.mapping.rules", "RULE:^CN=(walrus-[a-z]*)$/$1@compat/U, DEFAULT");
        settings.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        settings.put("super.users", "User:ANONYMOUS;User:CN=localhost");
        Map<String, String> anonymous = ssl(tls.clientSettings(false));
        Map<String, String> certified = ssl(tls.clientSettings(true));
        broker = ChildBroker.forCurrentTarget("ssl-mapping", "SSL", settings, anonymous).start();
        String topic;
        try (Admin admin = Clients.admin(broker.bootstrapServers(), anonymous)) {
            topic = TestTopics.create(admin, TestTopics.unique("ssl-mapping"), 1);
            // the certificate's own subject is not the principal once a rule maps it
            grant(admin, topic, "User:CN=walrus-client");
        }
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), withTimeout(certified))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "k", "v")).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TopicAuthorizationException.class);
        }
        try (Admin admin = Clients.admin(broker.bootstrapServers(), anonymous)) {
            grant(admin, topic, "User:WALRUS-CLIENT@COMPAT");
        }
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), withTimeout(certified))) {
            assertThat(producer.send(new ProducerRecord<>(topic, "k", "v")).get(30, TimeUnit.SECONDS).offset()).isZero();
        }
    }

    @Test
    void shouldRefuseAClientWhoseCertificateSubjectNoRuleMaps() throws Exception {
        TlsFiles tls = TlsFiles.create(CompatSettings.newWorkDir("ssl-unmapped"));
        Map<String, String> settings = tls.brokerSettings(false);
        settings.put("ssl.client.auth", "requested");
        // the broker's own certificate still maps (Kafka's broker connects to itself over this listener)
        settings.put("ssl.principal.mapping.rules", "RULE:^CN=localhost$/broker/");
        Map<String, String> anonymous = ssl(tls.clientSettings(false));
        broker = ChildBroker.forCurrentTarget("ssl-unmapped", "SSL", settings, anonymous).start();
        try (Admin admin = Clients.admin(broker.bootstrapServers(), anonymous)) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }
        Map<String, String> certified = ssl(tls.clientSettings(true));
        try (Admin admin = Clients.admin(broker.bootstrapServers(), certified)) {
            assertThatThrownBy(() -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(8_000)).nodes().get())
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TimeoutException.class);
        }
    }

    private static void grant(Admin admin, String topic, String principal) throws Exception {
        AclBinding write = new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                new AccessControlEntry(principal, "*", AclOperation.WRITE, AclPermissionType.ALLOW));
        admin.createAcls(List.of(write)).all().get(30, TimeUnit.SECONDS);
        while (!admin.describeAcls(write.toFilter()).values().get(30, TimeUnit.SECONDS).contains(write)) {
            Thread.sleep(50);   // Kafka's broker lists a new ACL a moment later
        }
    }

    private static Map<String, String> withTimeout(Map<String, String> settings) {
        Map<String, String> copy = new HashMap<>(settings);
        copy.put("max.block.ms", "20000");
        copy.put("delivery.timeout.ms", "20000");
        copy.put("request.timeout.ms", "10000");
        return copy;
    }

    private static Map<String, String> ssl(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("security.protocol", "SSL");
        return all;
    }
}
