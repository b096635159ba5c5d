package dev.walrus.compat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.ChildBroker;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.KafkaCli;
import dev.walrus.compat.OwnBrokerTest;
import dev.walrus.compat.TestTopics;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code kafka-features} changing a finalized feature (UpdateFeatures) on a one-node cluster of its own:
 * {@code transaction.version} downgraded to 1 (a 4.4 producer then runs transaction version 1: its epoch stays after a
 * commit), kept across a restart, upgraded back to 2 (the epoch bumps again); dry runs change nothing; the refusals
 * print Kafka's messages.
 */
class FeatureUpdatesTest extends OwnBrokerTest {

    private static final String FEATURES = "org.apache.kafka.tools.FeatureCommand";

    @Test
    void shouldDowngradeTheTransactionVersionDurablyAndUpgradeItAgain() throws Exception {
        broker = ChildBroker.forCurrentTarget("features").start();
        String bootstrap = broker.bootstrapServers();

        assertThat(features("downgrade", "--feature", "transaction.version=1", "--dry-run").stdoutLines())
            .containsExactly("transaction.version can be downgraded to 1.");
        assertThat(transactionVersionLine()).contains("FinalizedVersionLevel: 2 ");
        assertThat(features("downgrade", "--feature", "transaction.version=1").stdoutLines())
            .containsExactly("transaction.version was downgraded to 1.");
        assertThat(transactionVersionLine()).contains("FinalizedVersionLevel: 1 ");
        assertThat(epochBumpOfACommit(bootstrap, "tv1")).as("transaction version 1: one epoch for many transactions")
            .isZero();

        broker.restart();
        bootstrap = broker.bootstrapServers();
        assertThat(transactionVersionLine()).as("after a restart").contains("FinalizedVersionLevel: 1 ");

        assertThat(features("upgrade", "--feature", "transaction.version=2").stdoutLines())
            .containsExactly("transaction.version was upgraded to 2.");
        assertThat(transactionVersionLine()).contains("FinalizedVersionLevel: 2 ");
        assertThat(epochBumpOfACommit(bootstrap, "tv2")).as("transaction version 2: a bump per commit").isEqualTo(1);
    }

    @Test
    void shouldRefuseWhatKafkaRefusesWithItsMessages() {
        broker = ChildBroker.forCurrentTarget("features-refused").start();

        CommandResult tooHigh = KafkaCli.run(FEATURES, "--bootstrap-server", broker.bootstrapServers(), "upgrade",
            "--feature", "transaction.version=3");
        assertThat(tooHigh.exitCode()).as(tooHigh.toString()).isEqualTo(1);
        assertThat(tooHigh.stdoutLines()).as(tooHigh.toString()).containsExactly("Could not upgrade transaction.version "
            + "to 3. The update failed for all features since the following feature had an error: Invalid update version 3 "
            + "for feature transaction.version. Local controller 1 only supports versions 0-2");
        CommandResult unknown = KafkaCli.run(FEATURES, "--bootstrap-server", broker.bootstrapServers(), "upgrade",
            "--feature", "foo.version=1");
        assertThat(unknown.stdoutLines()).as(unknown.toString()).containsExactly("Could not upgrade foo.version to 1. "
            + "The update failed for all features since the following feature had an error: Invalid update version 1 for "
            + "feature foo.version. Local controller 1 does not support this feature.");
        CommandResult metadata = KafkaCli.run(FEATURES, "--bootstrap-server", broker.bootstrapServers(), "downgrade",
            "--feature", "metadata.version=21");
        assertThat(metadata.stdoutLines()).as(metadata.toString()).containsExactly("Could not downgrade metadata.version "
            + "to 21. The update failed for all features since the following feature had an error: Unsupported "
            + "metadata.version downgrade from 33 to 21. Refusing to perform the requested downgrade because it might "
            + "delete metadata information.");
        assertThat(transactionVersionLine()).contains("FinalizedVersionLevel: 2 ");
    }

    private CommandResult features(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--bootstrap-server";
        all[1] = broker.bootstrapServers();
        System.arraycopy(args, 0, all, 2, args.length);
        CommandResult result = KafkaCli.run(FEATURES, all);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result;
    }

    private String transactionVersionLine() {
        CommandResult described = features("describe");
        return described.stdoutLines().stream().filter(l -> l.startsWith("Feature: transaction.version")).findFirst()
            .orElseThrow(() -> new AssertionError(described.toString()));
    }

    /** A new transactional producer commits one transaction: by how much its epoch went up. */
    private static int epochBumpOfACommit(String bootstrap, String prefix) throws Exception {
        String topic = TestTopics.createUnique(bootstrap, "features-" + prefix, 1);
        String transactionalId = TestTopics.unique("features-" + prefix);
        try (KafkaProducer<String, String> producer = Clients.transactionalProducer(bootstrap, transactionalId);
             Admin admin = Clients.admin(bootstrap)) {
            producer.initTransactions();
            int before = describe(admin, transactionalId).producerEpoch();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, "k", "v")).get(30, TimeUnit.SECONDS);
            producer.commitTransaction();
            return describe(admin, transactionalId).producerEpoch() - before;
        }
    }

    private static TransactionDescription describe(Admin admin, String transactionalId) throws Exception {
        return admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get(30, TimeUnit.SECONDS);
    }
}
