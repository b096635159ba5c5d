package dev.walrus.broker;

import dev.walrus.broker.cli.CommandLine;
import dev.walrus.broker.cli.UsageException;
import dev.walrus.broker.config.BrokerConfig;
import dev.walrus.broker.config.ConfigException;
import dev.walrus.broker.config.ConfigOverrides;

import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The broker process: command line, then config, then {@link Broker#start} (listener, engine, adapter), then a
 * wait for SIGTERM/SIGINT, then a graceful stop in {@code finally}.
 *
 * <p>Prints {@code Walrus Broker started on HOST:PORT in N ms} on standard output once clients can connect (scripts
 * wait for it); a start-up failure is one line on standard error and a nonzero exit code (see {@link CommandLine}).
 */
public final class BrokerMain {

    static final int EXIT_OK = 0;
    static final int EXIT_START_FAILED = 1;
    static final int EXIT_USAGE = 2;
    /** USER_HZ: 100 on every Linux architecture the JDK runs on. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private BrokerMain() {}

    public static void main(String[] args) {
        setProcessProperties();
        StartWarmUp.startInBackground(); // before the configuration is read: that is the first thing it warms
        int code = run(args, System.out, System.err);
        if (code != EXIT_OK) {
            System.exit(code);
        }
    }

    /**
     * System properties of the broker process, each unless given on the command line; public for the start-cache
     * training, which must load what the process loads.
     */
    public static void setProcessProperties() {
        // Netty's JFR buffer events would load the whole JFR machinery on the first request (about 150 ms); a process
        // that wants them can still pass -Dio.netty.jfr.enabled=true.
        setUnlessGiven("io.netty.jfr.enabled", "false");
        // slf4j is told its binding instead of looking for one in every jar on the class path: about 7 ms of the main
        // thread's start, as the first logger is made inside Kafka's ConfigDef, which reading the configuration needs.
        setUnlessGiven("slf4j.provider", "ch.qos.logback.classic.spi.LogbackServiceProvider");
        setUnlessGiven("slf4j.internal.verbosity", "WARN"); // else slf4j says on stderr that it took the named one
    }

    private static void setUnlessGiven(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Runs the broker until the JVM is asked to stop; returns the exit code (at once if it could not start). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        long entered = System.nanoTime();
        CommandLine commandLine;
        BrokerConfig config;
        try {
            commandLine = CommandLine.parse(args);
            if (commandLine.help()) {
                out.print(CommandLine.USAGE);
                return EXIT_OK;
            }
            if (commandLine.version()) {
                out.println("walrus-broker " + version());
                return EXIT_OK;
            }
            config = BrokerConfig.from(ConfigOverrides.merge(commandLine.configFile(), commandLine.overrides(),
                    commandLine.dataDir(), commandLine.host(), commandLine.port()));
        } catch (UsageException e) {
            err.println("walrus-broker: " + e.getMessage() + " (see --help)");
            return EXIT_USAGE;
        } catch (ConfigException e) {
            err.println("walrus-broker: bad configuration: " + e.getMessage());
            return EXIT_USAGE;
        }

        Broker broker;
        try {
            broker = Broker.start(config);
        } catch (BrokerStartException e) {
            err.println("walrus-broker: " + e.getMessage());
            return EXIT_START_FAILED;
        }
        CountDownLatch stopRequested = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopRequested.countDown();
            awaitQuietly(stopped, Duration.ofMillis(config.shutdownTimeoutMs() + 10_000));
        }, "walrus-shutdown"));
        try {
            out.println("Walrus Broker started on " + broker.bootstrapServers() + " in " + millisSinceStart(entered) + " ms");
            out.flush();
            awaitQuietly(stopRequested, null);
            LoggerFactory.getLogger(BrokerMain.class).info("Stopping: the process was asked to exit (SIGTERM or SIGINT)");
        } finally {
            broker.close();
            stopped.countDown();
        }
        return EXIT_OK;
    }

    /**
     * Milliseconds since the process started, from Linux's /proc (to 10 ms: the start in clock ticks since boot, the
     * uptime in hundredths of a second); {@code ProcessHandle} rounds the boot time to whole seconds and
     * {@code RuntimeMXBean} costs ~20 ms of class loading. Elsewhere: since {@link #run} was entered.
     */
    private static long millisSinceStart(long enteredNanos) {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long startTicks = Long.parseLong(fields[19]); // field 22 of proc(5), counted from field 3 here
            double uptimeSeconds = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
            long age = Math.round(uptimeSeconds * 1000) - startTicks * 1000 / CLOCK_TICKS_PER_SECOND;
            if (age >= 0) {
                return age;
            }
        } catch (IOException | RuntimeException notLinux) {
            // fall back below
        }
        return (System.nanoTime() - enteredNanos) / 1_000_000;
    }

    static String version() {
        try (InputStream in = BrokerMain.class.getResourceAsStream("/dev/walrus/broker/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void awaitQuietly(CountDownLatch latch, Duration timeout) {
        try {
            if (timeout == null) {
                latch.await();
            } else {
                latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
