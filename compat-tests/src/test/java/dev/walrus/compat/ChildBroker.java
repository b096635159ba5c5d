package dev.walrus.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Assumptions;

/**
 * A broker in a process of its own, for what an in-process broker cannot show: a graceful stop (SIGTERM), a crash
 * (SIGKILL), and a restart on the same data directory and the same address.
 *
 * <p>Two kinds share this one life cycle: our broker ({@link CompatSettings#brokerMainClass()}) and real Apache Kafka
 * 4.4 in KRaft combined mode (its jars come with the Maven profile {@code real-kafka}). {@link #forCurrentTarget}
 * picks the one the suite targets, so a restart test shows Kafka's behaviour under {@code -Preal-kafka}.
 *
 * <pre>{@code
 * try (ChildBroker broker = ChildBroker.forCurrentTarget("restart")) {
 *     broker.start();
 *     ... produce to broker.bootstrapServers() ...
 *     broker.kill();      // SIGKILL
 *     broker.start();     // same data directory, same port
 * }
 * }</pre>
 */
public final class ChildBroker implements AutoCloseable {

    public enum Kind { WALRUS, KAFKA }

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final Kind kind;
    private final Path home;
    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final Map<String, String> extraProperties;
    private final String securityProtocol;
    private final Map<String, String> clientProperties;
    /** A second client listener (its protocol is also its name), or null; with its own port. */
    private String extraListener;
    private int extraPort;
    /** JVM options added to the broker process (e.g. a system property Kafka reads), in order. */
    private final List<String> jvmOptions = new ArrayList<>();
    private final boolean ownsDataDir;
    private Process process;
    private Duration lastStartup = Duration.ZERO;

    private ChildBroker(Kind kind, Path home, Path dataDir, boolean ownsDataDir, Map<String, String> extraProperties) {
        this(kind, home, dataDir, ownsDataDir, extraProperties, "PLAINTEXT", Map.of());
    }

    private ChildBroker(Kind kind, Path home, Path dataDir, boolean ownsDataDir, Map<String, String> extraProperties,
                        String securityProtocol, Map<String, String> clientProperties) {
        this.securityProtocol = securityProtocol;
        this.clientProperties = Map.copyOf(clientProperties);
        this.kind = kind;
        this.home = home;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.port = FreePorts.next();
        this.controllerPort = kind == Kind.KAFKA ? FreePorts.next() : -1;
        this.extraProperties = new LinkedHashMap<>(extraProperties);
    }

    /**
     * The separate-process broker of the current target: ours by default, real Kafka under {@code -Preal-kafka}.
     * Skips the calling test when the suite targets an external broker, which it can neither restart nor kill.
     */
    public static ChildBroker forCurrentTarget(String name) {
        Assumptions.assumeTrue(CompatSettings.target() != CompatSettings.Target.EXTERNAL,
            "walrus.compat.bootstrap points the suite at an external broker (" + CompatSettings.externalBootstrap().orElse("")
                + "); this test must stop, kill and restart a broker it started itself");
        Path home = CompatSettings.newWorkDir("child-" + name);
        Kind kind = CompatSettings.target() == CompatSettings.Target.REAL_KAFKA ? Kind.KAFKA : Kind.WALRUS;
        return new ChildBroker(kind, home, home.resolve("data"), true, Map.of());
    }

    /**
     * As {@link #forCurrentTarget(String)}, with its one client listener of {@code securityProtocol} (SSL,
     * SASL_PLAINTEXT, SASL_SSL), the broker keys that protocol needs, and the client settings that reach it.
     */
    public static ChildBroker forCurrentTarget(String name, String securityProtocol, Map<String, String> brokerProperties,
                                               Map<String, String> clientProperties) {
        ChildBroker plain = forCurrentTarget(name);
        return new ChildBroker(plain.kind, plain.home, plain.dataDir, true, brokerProperties, securityProtocol,
                clientProperties);
    }

    /**
     * Adds a second client listener of {@code protocol} (named as the protocol) on a port of its own, before
     * {@link #start()}: the broker then serves both.
     */
    public ChildBroker withExtraListener(String protocol) {
        this.extraListener = protocol;
        this.extraPort = FreePorts.next();
        return this;
    }

    /** Adds a JVM option (e.g. {@code -Dkey=value}) to the broker process, before {@link #start()}. */
    public ChildBroker withJvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    /** The bootstrap address of the listener named {@code name} (the main one's protocol, or the extra one). */
    public String bootstrapServers(String name) {
        return "127.0.0.1:" + (name.equals(extraListener) ? extraPort : port);
    }

    /** What a client needs besides the bootstrap address: the listener's security settings. */
    public Map<String, String> clientProperties() {
        return clientProperties;
    }

    /** Our broker with its data directory at a place the caller chose (e.g. a LazyFS mount). */
    public static ChildBroker walrus(Path dataDir, Map<String, String> properties) {
        return new ChildBroker(Kind.WALRUS, CompatSettings.newWorkDir("child-walrus"), dataDir, false, properties);
    }

    /** Real Apache Kafka 4.4 (needs the {@code real-kafka} profile's jars on the test classpath). */
    public static ChildBroker realKafka(String name) {
        return realKafka(name, Map.of());
    }

    /** Real Kafka with these broker properties besides {@link RealKafkaConfig}'s. */
    public static ChildBroker realKafka(String name, Map<String, String> properties) {
        Path home = CompatSettings.newWorkDir("child-kafka-" + name);
        return new ChildBroker(Kind.KAFKA, home, home.resolve("data"), true, properties);
    }

    public Kind kind() {
        return kind;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return home.resolve("broker.log");
    }

    public long pid() {
        return requireProcess().pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Wall time of the last {@link #start()}: process start until the broker answered a DescribeCluster. */
    public Duration lastStartup() {
        return lastStartup;
    }

    /** Starts the process (on the same data directory and port as before, if restarted) and waits until it serves. */
    public ChildBroker start() {
        if (isAlive()) {
            throw new IllegalStateException("already running, pid " + process.pid());
        }
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
            Path config = writeConfig();
            if (kind == Kind.KAFKA) {
                formatKafkaStorage(config);
            }
            appendToLog("---- start " + kind + " on " + bootstrapServers() + " ----");
            long readyLinesBefore = readyLines();
            process = launcher(config).start(logFile());
            if (kind == Kind.WALRUS) {
                awaitReadyLine(readyLinesBefore);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady();
        lastStartup = Duration.ofNanos(System.nanoTime() - t0);
        return this;
    }

    /** Graceful stop: SIGTERM, then waits for the process to exit by itself. */
    public void stop() {
        Process p = requireProcess();
        p.destroy();
        awaitExit(p, "SIGTERM");
    }

    /** Crash: SIGKILL, no chance to flush anything. */
    public void kill() {
        Process p = requireProcess();
        p.destroyForcibly();
        awaitExit(p, "SIGKILL");
    }

    /** {@link #stop()} then {@link #start()}. */
    public ChildBroker restart() {
        stop();
        return start();
    }

    /** Kills the process if it still runs and removes the data directory this fixture created. */
    @Override
    public void close() {
        if (isAlive()) {
            process.destroyForcibly();
            awaitExit(process, "SIGKILL (close)");
        }
        if (ownsDataDir) {
            Dirs.deleteRecursively(home);
        }
    }

    private ChildJvm launcher(Path config) {
        ChildJvm jvm = ChildJvm.withTestClasspath()
            .jvmOption("-Xmx512m")
            .jvmOption("--enable-native-access=ALL-UNNAMED")
            .jvmOption("-Dorg.slf4j.simpleLogger.defaultLogLevel=info")
            .jvmOption("-Dorg.slf4j.simpleLogger.showDateTime=true");
        jvmOptions.forEach(jvm::jvmOption);
        return switch (kind) {
            case WALRUS -> jvm.jvmOption("--sun-misc-unsafe-memory-access=allow")   // Netty, as bin/walrus-broker runs it
                .mainClass(CompatSettings.brokerMainClass()).args(walrusArgs(config));
            case KAFKA -> jvm.jvmOption("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
                .mainClass("kafka.Kafka").args(config.toString());
        };
    }

    /** Our broker takes a server.properties file like Kafka's. */
    private static List<String> walrusArgs(Path config) {
        return List.of(config.toString());
    }

    private Path writeConfig() throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        switch (kind) {
            case WALRUS -> {
                props.put("listeners", securityProtocol + "://127.0.0.1:" + port);
                props.put("advertised.listeners", securityProtocol + "://127.0.0.1:" + port);
                props.put("log.dirs", dataDir.toString());
            }
            case KAFKA -> {
                props.putAll(RealKafkaConfig.serverProperties(port, controllerPort, dataDir));
                if (!securityProtocol.equals("PLAINTEXT")) {
                    props.put("listeners", securityProtocol + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
                    props.put("advertised.listeners", securityProtocol + "://127.0.0.1:" + port);
                    props.put("listener.security.protocol.map", securityProtocol + ":" + securityProtocol
                        + ",CONTROLLER:PLAINTEXT");
                    props.put("inter.broker.listener.name", securityProtocol);
                }
            }
        }
        if (extraListener != null) {
            String extra = extraListener + "://127.0.0.1:" + extraPort;
            props.put("listeners", props.get("listeners") + "," + extra);
            props.put("advertised.listeners", props.get("advertised.listeners") + "," + extra);
            if (props.containsKey("listener.security.protocol.map")) {
                props.put("listener.security.protocol.map", props.get("listener.security.protocol.map") + ","
                    + extraListener + ":" + extraListener);
            }
        }
        props.putAll(extraProperties);
        Path config = home.resolve("server.properties");
        Files.writeString(config, props.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("\n", "", "\n")));
        return config;
    }

    /** KRaft needs its storage formatted once, as {@code kafka-storage.sh format} does (static quorum: this one node votes). */
    private void formatKafkaStorage(Path config) {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            return;
        }
        CommandResult result = Commands.run(ChildJvm.withTestClasspath()
            .jvmOption("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
            .mainClass("kafka.tools.StorageTool")
            .args("format", "-t", Uuid.randomUuid().toString(), "-c", config.toString())
            .command(), null, Duration.ofSeconds(60));
        if (result.exitCode() != 0) {
            throw new IllegalStateException("formatting Kafka storage failed (is the real-kafka profile active?)\n" + result);
        }
    }

    /** Our broker prints this line on standard output once clients can connect. */
    private static final String READY_LINE = "Walrus Broker started on ";

    private long readyLines() throws IOException {
        if (!Files.exists(logFile())) {
            return 0;
        }
        try (var lines = Files.lines(logFile())) {
            return lines.filter(line -> line.startsWith(READY_LINE)).count();
        }
    }

    /** Waits for one more ready line in the log than there was before this start. */
    private void awaitReadyLine(long before) throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (readyLines() <= before) {
            if (!process.isAlive()) {
                throw new IllegalStateException(kind + " broker exited with code " + process.exitValue()
                    + " before it printed its ready line; log " + logFile() + ":\n" + Dirs.tail(logFile(), 40));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no ready line within " + READY_TIMEOUT + "; log:\n" + Dirs.tail(logFile(), 40));
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Ready means a DescribeCluster round trip names a node: the broker accepts and answers Kafka requests. */
    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Map<String, String> settings = new LinkedHashMap<>(clientProperties);
        settings.putAll(Map.of("reconnect.backoff.ms", "20", "reconnect.backoff.max.ms", "100",
                "retry.backoff.ms", "20", "retry.backoff.max.ms", "100"));
        try (Admin admin = Clients.admin(bootstrapServers(), settings)) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(kind + " broker exited with code " + process.exitValue()
                        + " before it served; log " + logFile() + ":\n" + Dirs.tail(logFile(), 40));
                }
                try {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(1000)).nodes()
                            .get(2, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    // not serving yet; try again
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        }
        throw new IllegalStateException(kind + " broker did not serve within " + READY_TIMEOUT + "; log "
            + logFile() + ":\n" + Dirs.tail(logFile(), 40));
    }

    private void awaitExit(Process p, String how) {
        try {
            if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(kind + " broker did not exit within " + STOP_TIMEOUT + " of " + how
                    + "; log:\n" + Dirs.tail(logFile(), 40));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        appendToLog("---- exited after " + how + " with code " + p.exitValue() + " ----");
    }

    private void appendToLog(String line) {
        try {
            Files.writeString(logFile(), line + "\n", java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Process requireProcess() {
        if (process == null) {
            throw new IllegalStateException("not started");
        }
        return process;
    }

    @Override
    public String toString() {
        return kind + " broker at " + bootstrapServers() + " on " + dataDir;
    }
}
