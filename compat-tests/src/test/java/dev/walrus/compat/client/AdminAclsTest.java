package dev.walrus.compat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.KafkaCli;
import dev.walrus.compat.TargetBroker;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ACLs on a broker without an authorizer (Kafka's default): listing, creating and deleting each fail with
 * SecurityDisabledException and Kafka's own message, through the admin client and {@code kafka-acls}.
 */
@ExtendWith(BrokerExtension.class)
class AdminAclsTest {

    private static final AclBinding READ_FOR_ALICE = new AclBinding(
            new ResourcePattern(ResourceType.TOPIC, "acl-topic", PatternType.LITERAL),
            new AccessControlEntry("User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW));

    @Test
    void shouldRefuseEveryAclCallAsABrokerWithoutAnAuthorizer(TargetBroker broker) {
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            assertThatThrownBy(() -> admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(SecurityDisabledException.class)
                    .hasMessage("No Authorizer is configured on the broker");
            assertThatThrownBy(() -> admin.createAcls(List.of(READ_FOR_ALICE)).all().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(SecurityDisabledException.class)
                    .hasMessage("No Authorizer is configured.");
            AclBindingFilter topicFilter = new AclBindingFilter(
                    new ResourcePatternFilter(ResourceType.TOPIC, "acl-topic", PatternType.LITERAL),
                    AccessControlEntryFilter.ANY);
            assertThatThrownBy(() -> admin.deleteAcls(List.of(topicFilter)).all().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(SecurityDisabledException.class)
                    .hasMessage("No Authorizer is configured.");
        }
    }

    @Test
    void kafkaAclsShouldReportThatSecurityIsDisabled(TargetBroker broker) {
        CommandResult result = KafkaCli.run(KafkaCli.ACLS, "--bootstrap-server", broker.bootstrapServers(), "--list");

        assertThat(result.stdoutLines()).contains("Error while executing ACL command: "
                + "org.apache.kafka.common.errors.SecurityDisabledException: No Authorizer is configured on the broker");
    }
}
