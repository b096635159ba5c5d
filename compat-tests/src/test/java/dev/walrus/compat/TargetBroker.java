package dev.walrus.compat;

/**
 * The broker a test drives, as {@link BrokerExtension} hands it out: an address, and what is behind it.
 * Tests speak only to {@link #bootstrapServers()}, so the same test runs against our broker, real Kafka or any other.
 */
public interface TargetBroker {

    /** {@code host:port} for {@code bootstrap.servers}. */
    String bootstrapServers();

    /** Which kind of broker is behind the address. */
    CompatSettings.Target target();

    /** True when the test JVM started this broker (so its configuration is the defaults the suite expects). */
    default boolean startedBySuite() {
        return target() != CompatSettings.Target.EXTERNAL;
    }
}
