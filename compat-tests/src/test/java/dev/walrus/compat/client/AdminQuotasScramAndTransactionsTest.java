package dev.walrus.compat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.KafkaCli;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.errors.DuplicateResourceException;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Describing what has never been set: client quotas, SCRAM credentials and a transactional id answer as on a Kafka
 * where none exist, through the admin client and {@code kafka-configs} / {@code kafka-transactions}.
 */
@ExtendWith(BrokerExtension.class)
class AdminQuotasScramAndTransactionsTest {

    private TargetBroker broker;
    private Admin admin;

    @BeforeEach
    void openAdmin(TargetBroker broker) {
        this.broker = broker;
        admin = Clients.admin(broker.bootstrapServers());
    }

    @AfterEach
    void closeAdmin() {
        admin.close();
    }

    @Test
    void noClientQuotaShouldBeSet() throws Exception {
        assertThat(admin.describeClientQuotas(ClientQuotaFilter.all()).entities().get(30, TimeUnit.SECONDS)).isEmpty();
        assertThat(admin.describeClientQuotas(ClientQuotaFilter.contains(List.of(
                ClientQuotaFilterComponent.ofEntity("user", "alice")))).entities().get(30, TimeUnit.SECONDS)).isEmpty();
        assertThatThrownBy(() -> admin.describeClientQuotas(ClientQuotaFilter.contains(List.of(
                ClientQuotaFilterComponent.ofEntity("nonsense", "x")))).entities().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(UnsupportedVersionException.class)
                .hasMessage("Unsupported entity type nonsense");
    }

    @Test
    void noUserShouldHaveScramCredentials() throws Exception {
        assertThat(admin.describeUserScramCredentials().all().get(30, TimeUnit.SECONDS)).isEmpty();
        assertThat(admin.describeUserScramCredentials(List.of("alice")).all().get(30, TimeUnit.SECONDS).get("alice")
                .credentialInfos()).isEmpty();
        assertThatThrownBy(() -> admin.describeUserScramCredentials(List.of("bob", "bob")).all().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(DuplicateResourceException.class)
                .hasMessage("Cannot describe SCRAM credentials for the same user twice in a single request: bob");
    }

    @Test
    void kafkaConfigsShouldDescribeNoUserSettings() {
        CommandResult result = KafkaCli.run(KafkaCli.CONFIGS, "--bootstrap-server", broker.bootstrapServers(),
                "--describe", "--entity-type", "users");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdoutLines()).as(result.toString()).isEmpty();
    }

    @Test
    void aTransactionalIdNeverUsedShouldBeUnknown() throws Exception {
        // the run's broker also serves the transactions tests (compat/txn/), so other ids may be listed
        String neverUsed = TestTopics.unique("tx-never-used");
        assertThat(admin.listTransactions().all().get(30, TimeUnit.SECONDS))
                .extracting(TransactionListing::transactionalId).doesNotContain(neverUsed);
        assertThatThrownBy(() -> admin.describeTransactions(List.of(neverUsed)).all().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(TransactionalIdNotFoundException.class);

        CommandResult listed = KafkaCli.run(KafkaCli.TRANSACTIONS, "--bootstrap-server", broker.bootstrapServers(), "list");
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.stdoutLines()).as(listed.toString())
                .first().satisfies(header -> assertThat(header).startsWith("TransactionalId"));
        assertThat(listed.stdoutLines()).as(listed.toString()).noneSatisfy(line -> assertThat(line).contains(neverUsed));
    }
}
