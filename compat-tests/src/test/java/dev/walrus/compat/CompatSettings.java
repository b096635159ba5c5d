package dev.walrus.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Every knob of the compatibility suite, read from system properties in this one place.
 *
 * <ul>
 *   <li>{@code walrus.compat.bootstrap=host:port}: drive that running broker (any Kafka-protocol broker) instead of
 *       starting one; tests that must restart or kill their broker are skipped.</li>
 *   <li>{@code walrus.compat.target=embedded|real-kafka}: which broker the suite starts when no bootstrap is given.
 *       {@code embedded} (default) is our broker inside the test JVM; {@code real-kafka} is Apache Kafka 4.4 in a child
 *       JVM from the jars of the Maven profile {@code real-kafka}, which proves every expectation is Kafka's.</li>
 *   <li>{@code walrus.compat.brokerMainClass}: main class of our broker for separate-process tests.</li>
 *   <li>{@code walrus.compat.workDir}, {@code legacyClientsDir}, {@code nodeDir}, {@code kafkajsVersion}: set by the pom.</li>
 * </ul>
 */
public final class CompatSettings {

    /** What the suite runs against. */
    public enum Target { EMBEDDED, REAL_KAFKA, EXTERNAL }

    private CompatSettings() {}

    public static Target target() {
        if (externalBootstrap().isPresent()) {
            return Target.EXTERNAL;
        }
        String target = System.getProperty("walrus.compat.target", "embedded").trim();
        return switch (target) {
            case "", "embedded" -> Target.EMBEDDED;
            case "real-kafka" -> Target.REAL_KAFKA;
            default -> throw new IllegalArgumentException(
                "walrus.compat.target must be 'embedded' or 'real-kafka', not '" + target + "'");
        };
    }

    public static Optional<String> externalBootstrap() {
        String bootstrap = System.getProperty("walrus.compat.bootstrap", "").trim();
        return bootstrap.isEmpty() ? Optional.empty() : Optional.of(bootstrap);
    }

    /** Main class that starts our broker as a process ({@code bin/walrus-broker} runs the same class). */
    public static String brokerMainClass() {
        return System.getProperty("walrus.compat.brokerMainClass", "dev.walrus.broker.BrokerMain");
    }

    /** Scratch space for data directories and child-process logs (under target/, so {@code mvn clean} removes it). */
    public static Path workDir() {
        Path dir = Path.of(System.getProperty("walrus.compat.workDir", "target/compat-work")).toAbsolutePath();
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh directory under {@link #workDir()}. */
    public static Path newWorkDir(String prefix) {
        try {
            return Files.createTempDirectory(workDir(), prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where maven-dependency-plugin copied the old kafka-clients jars. */
    public static Path legacyClientsDir() {
        return Path.of(System.getProperty("walrus.compat.legacyClientsDir", "target/legacy-clients")).toAbsolutePath();
    }

    /** The npm project folder kafkajs is installed into. */
    public static Path nodeDir() {
        return Path.of(System.getProperty("walrus.compat.nodeDir", "target/node")).toAbsolutePath();
    }

    public static String kafkajsVersion() {
        return System.getProperty("walrus.compat.kafkajsVersion", "2.2.4");
    }
}
