package dev.walrus.compat.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.broker.testing.BrokerProcess;
import dev.walrus.compat.Clients;
import dev.walrus.compat.CommandResult;
import dev.walrus.compat.Commands;
import dev.walrus.compat.CompatSettings;
import dev.walrus.compat.Records;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/walrus-broker}, README's start command, as a user runs it: a copy of the script in a scratch root beside
 * the broker jars this build made, so that it finds them built (no build inside the build) and records its start-up
 * cache there rather than in the working tree.
 *
 * <p>What only the launcher does and these tests check: it picks a Java 25, passes the arguments through, records the
 * JVM's start-up cache in the background beside the first start (renamed into place only when complete, no temporary
 * file left), and later starts run with it (the JVM made to refuse a cache it cannot use) and record none. Only our
 * broker has this launcher: skipped when the suite targets another broker.
 */
class LauncherTest {

    private static final String CACHE = "walrus-broker.aot";

    @TempDir
    Path scratch;

    private Path root;
    /** The links from the scratch root into this build's broker/target, removed before the scratch is. */
    private final List<Path> linksToTheBuild = new ArrayList<>();

    @BeforeEach
    void copyLauncherBesideTheBuiltJars() throws IOException {
        Assumptions.assumeTrue(CompatSettings.target() == CompatSettings.Target.EMBEDDED,
                "bin/walrus-broker starts our broker only");
        Path repository = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
        Path builtTarget = repository.resolve("broker/target");
        Path jar;
        try (Stream<Path> jars = Files.list(builtTarget)) {
            jar = jars.filter(p -> p.getFileName().toString().matches("walrus-broker-[^/]*\\.jar"))
                    .filter(p -> !p.getFileName().toString().endsWith("-sources.jar")
                            && !p.getFileName().toString().endsWith("-tests.jar"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no broker jar in " + builtTarget
                            + ": run this suite through Maven's package phase of the broker module (./mvnw verify)"));
        }
        assertThat(builtTarget.resolve("lib")).as("the broker's runtime libraries, copied at package").isDirectory();

        root = scratch.resolve("walrus");
        Path target = Files.createDirectories(root.resolve("broker/target"));
        Files.createDirectories(root.resolve("bin"));
        // a copy, not a link: the script finds its root from its own path, resolving links
        Files.copy(repository.resolve("bin/walrus-broker"), root.resolve("bin/walrus-broker"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.setPosixFilePermissions(root.resolve("bin/walrus-broker"), PosixFilePermissions.fromString("rwxr-xr-x"));
        linksToTheBuild.add(Files.createSymbolicLink(target.resolve(jar.getFileName()), jar));
        linksToTheBuild.add(Files.createSymbolicLink(target.resolve("lib"), builtTarget.resolve("lib")));
        Files.createFile(target.resolve(".walrus-broker-built")); // what the script stamps after building
    }

    @AfterEach
    void removeLinksToTheBuild() throws IOException {
        for (Path link : linksToTheBuild) {
            Files.deleteIfExists(link);
        }
    }

    @Test
    void shouldStartAndRecordItsStartCacheBesideTheFirstStartThenStartWithIt() throws Exception {
        Path data = scratch.resolve("data");
        Path cache = root.resolve("broker/target").resolve(CACHE);
        String topic = "launched";
        try (BrokerProcess first = launch(Map.of(), "--port", "0", "--data-dir", data.toString())) {
            String bootstrap = first.awaitReady();
            try (Admin admin = Clients.admin(bootstrap)) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
                producer.send(new ProducerRecord<>(topic, "k", "through bin/walrus-broker")).get(30, TimeUnit.SECONDS);
            }

            awaitRecorded(cache, first);
            assertThat(Files.size(cache)).isPositive();
            assertThat(first.terminate()).as("exit code after SIGTERM").isEqualTo(143);
            assertThat(first.output()).as("a first start, its cache recording and a stop print no notices")
                    .noneMatch(line -> line.startsWith("SLF4J") || line.contains("recording the start-up cache failed"));
        }

        long cacheModified = Files.getLastModifiedTime(cache).toMillis();
        // AOTMode=on: the JVM refuses to start rather than run without a cache it cannot use (the default is silent)
        try (BrokerProcess second = launch(Map.of("WALRUS_JVM_OPTS", "-XX:AOTMode=on"),
                "--port", "0", "--data-dir", data.toString())) {
            String bootstrap = second.awaitReady();
            try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap,
                    Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                            ConsumerConfig.GROUP_ID_CONFIG, "launcher-test"))) {
                consumer.subscribe(List.of(topic));
                assertThat(Records.pollExactly(consumer, 1)).singleElement()
                        .satisfies(r -> assertThat(r.value()).isEqualTo("through bin/walrus-broker"));
            }
            assertThat(second.terminate()).isEqualTo(143);
        }

        // a configuration the broker refuses: one line and exit code 2, through the launcher as without it
        CommandResult bad = runToExit("--port", "0", "--data-dir", scratch.resolve("bad").toString(),
                "--override", "num.partitions=many");
        assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.stdout()).as(bad.toString()).isEmpty();
        assertThat(bad.stderr().lines()).as(bad.toString()).singleElement().asString()
                .startsWith("walrus-broker: bad configuration:").contains("num.partitions");
        assertThat(Files.getLastModifiedTime(cache).toMillis())
                .as("starts with the cache in place use it and record none").isEqualTo(cacheModified);
        assertThat(temporaryCacheFiles()).isEmpty();
    }

    @Test
    void shouldAnswerVersionAndHelpWithoutStartingABroker() throws Exception {
        CommandResult version = runToExit("--version");
        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.stderr()).as(version.toString()).isEmpty();
        assertThat(version.stdout().lines()).as(version.toString()).singleElement().asString().matches("walrus-broker \\S+");
        CommandResult help = runToExit("--help");
        assertThat(help.exitCode()).as(help.toString()).isZero();
        assertThat(help.stderr()).as(help.toString()).isEmpty();
        assertThat(help.stdout()).as(help.toString()).startsWith("Usage: walrus-broker");
        assertThat(root.resolve("broker/target").resolve(CACHE))
                .as("no broker ran, so no start-up cache was recorded").doesNotExist();
    }

    @Test
    void shouldLetACollectorChosenInTheOptionsReplaceItsOwn() {
        // With two collectors selected the JVM refuses to start ("Multiple garbage collectors selected").
        for (String option : List.of("WALRUS_JVM_OPTS", "WALRUS_HEAP_OPTS")) {
            String value = option.equals("WALRUS_HEAP_OPTS") ? "-Xmx256m -XX:+UseG1GC" : "-XX:+UseG1GC";
            CommandResult version = runToExit(Map.of(option, value), "--version");
            assertThat(version.exitCode()).as(version.toString()).isZero();
            assertThat(version.stdout()).as(version.toString()).startsWith("walrus-broker ");
        }
    }

    /** {@code bin/walrus-broker ARGS} run to its exit, for the invocations that start no broker that stays up. */
    private CommandResult runToExit(String... args) {
        return runToExit(Map.of(), args);
    }

    private CommandResult runToExit(Map<String, String> environment, String... args) {
        return Commands.run(launcherCommand(args), null, Duration.ofSeconds(90), launcherEnvironment(environment), root);
    }

    /** {@code bin/walrus-broker ARGS} as a process that stays up, its standard output and error merged. */
    private BrokerProcess launch(Map<String, String> environment, String... args) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(launcherCommand(args)).directory(root.toFile());
        builder.environment().putAll(launcherEnvironment(environment));
        return BrokerProcess.start(builder);
    }

    private List<String> launcherCommand(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("bin/walrus-broker").toString()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * The environment a launched script gets on top of this JVM's: this run's Java 25, and none of the user's option
     * variables (empty reads as unset to the script) except those given.
     */
    private static Map<String, String> launcherEnvironment(Map<String, String> given) {
        Map<String, String> environment = new HashMap<>(Map.of("JAVA_HOME", System.getProperty("java.home"),
                "WALRUS_JVM_OPTS", "", "WALRUS_HEAP_OPTS", ""));
        environment.putAll(given);
        return environment;
    }

    /**
     * Waits for the launcher's background recording (a training run of a few seconds) to put the cache in place and
     * clean up after itself: its temporary cache and log are renamed or removed once it is done.
     */
    private void awaitRecorded(Path cache, BrokerProcess launched) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(cache) || !temporaryCacheFiles().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no start-up cache recorded within 120 s (left: " + temporaryCacheFiles()
                        + "); launcher output:\n" + String.join("\n", launched.output()));
            }
            Thread.sleep(100);
        }
    }

    /** The recording's files besides the cache itself: {@code walrus-broker.aot.<pid>} and its log. */
    private List<String> temporaryCacheFiles() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("broker/target"))) {
            return files.map(p -> p.getFileName().toString()).filter(name -> name.startsWith(CACHE + ".")).toList();
        }
    }
}
