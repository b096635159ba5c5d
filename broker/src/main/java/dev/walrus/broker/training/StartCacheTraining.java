package dev.walrus.broker.training;

import dev.walrus.broker.Broker;
import dev.walrus.broker.BrokerMain;
import dev.walrus.broker.config.BrokerConfig;
import dev.walrus.broker.config.ConfigOverrides;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The training run of Java's ahead-of-time cache (JEP 483/514/515), which {@code bin/walrus-broker} records once
 * per build with {@code -XX:AOTCacheOutput} before the first start.
 *
 * <p>Why a training of its own: the cache holds the classes a run loaded, linked in advance, and every later start
 * loads them from it instead of from the jars. Recorded from whatever run came first (an idle start, a producer
 * benchmark), it missed the paths that run never took, and the first produce, fetch or recovery of every later start
 * paid for loading them from the jars: 40-50 ms of a restart's first round trip (docs/PERFORMANCE.md). This run takes
 * each path on purpose: a broker is started on a fresh data directory in a temporary folder with the command line's
 * defaults, driven through {@link TrainingWorkload}, stopped, started again on the same data (recovery) and driven
 * once more. The classes loaded are those a served broker loads: requests and answers go through the generated
 * message classes the broker itself uses.
 *
 * <p>Exit code 0 when every step was answered as expected; otherwise 1 with the reason on standard error, and the
 * launcher does not keep the cache.
 */
public final class StartCacheTraining {

    private StartCacheTraining() {}

    public static void main(String[] args) {
        BrokerMain.setProcessProperties(); // so that the same classes load as in the broker process
        try {
            Path dataDir = Files.createTempDirectory("walrus-start-cache-training-");
            try {
                run(dataDir);
            } finally {
                deleteTree(dataDir);
            }
        } catch (Exception | AssertionError e) {
            System.err.println("walrus-broker: start-cache training failed: " + e);
            System.exit(1);
        }
    }

    /** Both lives of the training broker on {@code dataDir} (empty at first), each answer checked. */
    public static void run(Path dataDir) throws IOException {
        try (Broker broker = start(dataDir)) {
            new TrainingWorkload(broker.boundAddress()).runFirstLife();
        }
        try (Broker broker = start(dataDir)) {
            new TrainingWorkload(broker.boundAddress()).runSecondLife();
        }
    }

    /** Configured as {@code BrokerMain} configures a start with {@code --data-dir} and an ephemeral port. */
    static Broker start(Path dataDir) {
        return Broker.start(BrokerConfig.from(ConfigOverrides.merge(Optional.empty(), Map.of(), Optional.of(dataDir),
                Optional.of("127.0.0.1"), Optional.of(0))));
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
