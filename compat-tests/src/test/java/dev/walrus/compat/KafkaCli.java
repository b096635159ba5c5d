package dev.walrus.compat;

import java.time.Duration;
import java.util.List;

/**
 * Kafka's own command-line tools (kafka-tools 4.4 on the test classpath), each run in a child JVM because the tools
 * end with {@code System.exit}. The constants are the classes behind Kafka's {@code bin/*.sh} scripts.
 */
public final class KafkaCli {

    /** {@code kafka-topics.sh} */
    public static final String TOPICS = "org.apache.kafka.tools.TopicCommand";
    /** {@code kafka-console-producer.sh} */
    public static final String CONSOLE_PRODUCER = "org.apache.kafka.tools.ConsoleProducer";
    /** {@code kafka-console-consumer.sh} */
    public static final String CONSOLE_CONSUMER = "org.apache.kafka.tools.consumer.ConsoleConsumer";
    /** {@code kafka-get-offsets.sh} */
    public static final String GET_OFFSETS = "org.apache.kafka.tools.GetOffsetShell";
    /** {@code kafka-configs.sh} */
    public static final String CONFIGS = "org.apache.kafka.tools.ConfigCommand";
    /** {@code kafka-transactions.sh} */
    public static final String TRANSACTIONS = "org.apache.kafka.tools.TransactionsCommand";
    /** {@code kafka-acls.sh} */
    public static final String ACLS = "org.apache.kafka.tools.AclCommand";
    /** {@code kafka-delete-records.sh} */
    public static final String DELETE_RECORDS = "org.apache.kafka.tools.DeleteRecordsCommand";
    /** {@code kafka-client-metrics.sh} */
    public static final String CLIENT_METRICS = "org.apache.kafka.tools.ClientMetricsCommand";

    /** {@code kafka-delegation-tokens.sh} */
    public static final String DELEGATION_TOKENS = "org.apache.kafka.tools.DelegationTokenCommand";

    /** {@code kafka-metadata-quorum.sh} */
    public static final String METADATA_QUORUM = "org.apache.kafka.tools.MetadataQuorumCommand";

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private KafkaCli() {}

    public static CommandResult run(String toolClass, String... args) {
        return runWithInput(null, toolClass, args);
    }

    /** Runs the tool with {@code stdin} as its standard input (the console producer reads records from it). */
    public static CommandResult runWithInput(String stdin, String toolClass, String... args) {
        List<String> command = ChildJvm.withTestClasspath()
            // a tool's JVM lives for seconds: C1 only and a small heap start it fastest on 2 cores
            .jvmOption("-XX:TieredStopAtLevel=1")
            .jvmOption("-XX:+UseSerialGC")
            .jvmOption("-Xmx256m")
            .jvmOption("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
            .mainClass(toolClass)
            .args(args)
            .command();
        return Commands.run(command, stdin, TIMEOUT);
    }
}
