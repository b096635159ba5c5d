package dev.walrus.compat;

import dev.walrus.broker.embedded.EmbeddedBroker;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link TargetBroker} parameter: one broker shared by every test of the run (tests use unique topic
 * names), started on first use and stopped when the run ends.
 *
 * <ul>
 *   <li>default: our broker in this JVM ({@link EmbeddedBroker}) on a fresh directory under target/ and port 0;</li>
 *   <li>{@code -Dwalrus.compat.bootstrap=host:port}: that broker, whatever it is; nothing is started;</li>
 *   <li>{@code -Preal-kafka}: Apache Kafka 4.4 in a child JVM, to show every expectation is Kafka's own.</li>
 * </ul>
 *
 * <pre>{@code
 * @ExtendWith(BrokerExtension.class)
 * class ProducerDefaultsTest {
 *     @Test
 *     void shouldDeliverWithDefaultSettings(TargetBroker broker) { ... broker.bootstrapServers() ... }
 * }
 * }</pre>
 *
 * Tests that must stop or kill a broker use {@link ChildBroker} instead.
 */
public final class BrokerExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BrokerExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TargetBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
            .getOrComputeIfAbsent(SharedBroker.class, key -> SharedBroker.start(), SharedBroker.class);
    }

    /**
     * The shared broker's settings, the same for both targets: members of consumer, share and streams groups
     * heartbeat every second instead of Kafka's 5 s, so that a test waiting for a rebalance to go round waits for
     * quick heartbeats (the group rules are the same; only the pace). Tests that need Kafka's defaults start their
     * own broker.
     */
    static final Map<String, String> SHARED_SETTINGS = Map.of(
            "group.consumer.heartbeat.interval.ms", "1000", "group.consumer.min.heartbeat.interval.ms", "1000",
            "group.share.heartbeat.interval.ms", "1000", "group.share.min.heartbeat.interval.ms", "1000",
            "group.streams.heartbeat.interval.ms", "1000", "group.streams.min.heartbeat.interval.ms", "1000");

    /** The run's broker; the root store closes it (an {@link AutoCloseable}) when the run ends. */
    static final class SharedBroker implements TargetBroker, AutoCloseable {
        private final CompatSettings.Target target;
        private final String bootstrap;
        private final AutoCloseable stopper;

        private SharedBroker(CompatSettings.Target target, String bootstrap, AutoCloseable stopper) {
            this.target = target;
            this.bootstrap = bootstrap;
            this.stopper = stopper;
        }

        static SharedBroker start() {
            return switch (CompatSettings.target()) {
                case EXTERNAL -> new SharedBroker(CompatSettings.Target.EXTERNAL,
                    CompatSettings.externalBootstrap().orElseThrow(), () -> { });
                case REAL_KAFKA -> {
                    ChildBroker kafka = ChildBroker.realKafka("shared", SHARED_SETTINGS).start();
                    yield new SharedBroker(CompatSettings.Target.REAL_KAFKA, kafka.bootstrapServers(), kafka);
                }
                case EMBEDDED -> {
                    Path dir = CompatSettings.newWorkDir("embedded");
                    EmbeddedBroker.Builder builder = EmbeddedBroker.builder().dataDir(dir.resolve("data")).port(0);
                    SHARED_SETTINGS.forEach(builder::property);
                    EmbeddedBroker broker = builder.build().start();
                    yield new SharedBroker(CompatSettings.Target.EMBEDDED, broker.bootstrapServers(), () -> {
                        broker.close();
                        Dirs.deleteRecursively(dir);
                    });
                }
            };
        }

        @Override
        public String bootstrapServers() {
            return bootstrap;
        }

        @Override
        public CompatSettings.Target target() {
            return target;
        }

        @Override
        public void close() throws Exception {
            stopper.close();
        }

        @Override
        public String toString() {
            return target + " broker at " + bootstrap;
        }
    }
}
