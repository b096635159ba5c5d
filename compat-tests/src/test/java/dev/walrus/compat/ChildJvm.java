package dev.walrus.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command line for a child JVM on the test classpath: the same {@code java} as the test JVM, so Kafka's tools, real
 * Kafka and our broker all run exactly the jars Maven resolved for this module.
 */
public final class ChildJvm {

    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> classpath = new ArrayList<>();
    private String mainClass;
    private final List<String> args = new ArrayList<>();

    private ChildJvm() {}

    /** A child JVM with the whole test classpath. */
    public static ChildJvm withTestClasspath() {
        ChildJvm jvm = new ChildJvm();
        jvm.classpath.add(testClasspath());
        return jvm;
    }

    /** A child JVM with only the given entries on its classpath (e.g. an old kafka-clients jar). */
    public static ChildJvm withClasspath(List<Path> entries) {
        ChildJvm jvm = new ChildJvm();
        entries.forEach(entry -> jvm.classpath.add(entry.toAbsolutePath().toString()));
        return jvm;
    }

    /**
     * The test classpath. Surefire runs tests from a manifest-only jar, so {@code java.class.path} alone is just that
     * jar; it publishes the real one as {@code surefire.test.class.path}.
     */
    public static String testClasspath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /** The jar or directory on the test classpath whose path contains {@code fragment} (e.g. "slf4j-api"). */
    public static Path testClasspathEntry(String fragment) {
        for (String entry : testClasspath().split(java.io.File.pathSeparator)) {
            if (Path.of(entry).getFileName().toString().contains(fragment)) {
                return Path.of(entry);
            }
        }
        throw new IllegalStateException("nothing on the test classpath matches '" + fragment + "'");
    }

    public ChildJvm jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    public ChildJvm mainClass(String mainClass) {
        this.mainClass = mainClass;
        return this;
    }

    public ChildJvm args(List<String> more) {
        args.addAll(more);
        return this;
    }

    public ChildJvm args(String... more) {
        return args(List.of(more));
    }

    public List<String> command() {
        if (mainClass == null) {
            throw new IllegalStateException("no main class");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(String.join(java.io.File.pathSeparator, classpath));
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /** Starts the JVM with stdout and stderr appended to {@code log}; stdin is empty unless the caller writes it. */
    public Process start(Path log) {
        try {
            return new ProcessBuilder(command())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command(), e);
        }
    }
}
