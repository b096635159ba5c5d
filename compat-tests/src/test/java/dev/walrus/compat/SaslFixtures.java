package dev.walrus.compat;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The SASL settings the security tests share, with Kafka's keys, so that the same maps start Walrus and real Kafka:
 * a listener's broker keys (its mechanisms, PLAIN users admin and alice, SCRAM login modules, and the inter-broker
 * mechanism Kafka needs), and a client's keys for one user.
 */
public final class SaslFixtures {

    public static final String ALICE = "alice";
    public static final String ALICE_PASSWORD = "alice-secret";

    private SaslFixtures() {}

    /**
     * The broker keys of a SASL listener named {@code protocol} (as ChildBroker names it) enabling {@code mechanisms}
     * (e.g. {@code PLAIN,SCRAM-SHA-256}); PLAIN knows admin, alice and the given {@code extraUsers} (name, password,
     * name, password, ...).
     */
    public static Map<String, String> brokerSettings(String protocol, String mechanisms, String... extraUsers) {
        String prefix = "listener.name." + protocol.toLowerCase(Locale.ROOT) + ".";
        StringBuilder plain = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"admin\" password=\"admin-secret\" user_admin=\"admin-secret\" user_alice=\"alice-secret\"");
        for (int i = 0; i + 1 < extraUsers.length; i += 2) {
            plain.append(" user_").append(extraUsers[i]).append("=\"").append(extraUsers[i + 1]).append('"');
        }
        Map<String, String> settings = new HashMap<>(Map.of(
                "sasl.enabled.mechanisms", mechanisms,
                "sasl.mechanism.inter.broker.protocol", "PLAIN",
                prefix + "plain.sasl.jaas.config", plain + ";"));
        for (String mechanism : mechanisms.split(",")) {
            if (mechanism.startsWith("SCRAM")) {
                settings.put(prefix + mechanism.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            }
        }
        return settings;
    }

    /** A Java client's keys for {@code user} with {@code mechanism} (PLAIN or SCRAM-SHA-*) over {@code protocol}. */
    public static Map<String, String> client(String protocol, String mechanism, String user, String password) {
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        return new HashMap<>(Map.of("security.protocol", protocol, "sasl.mechanism", mechanism,
                "sasl.jaas.config", module + " required username=\"" + user + "\" password=\"" + password + "\";"));
    }

    /** alice with PLAIN over SASL_PLAINTEXT. */
    public static Map<String, String> alice() {
        return client("SASL_PLAINTEXT", "PLAIN", ALICE, ALICE_PASSWORD);
    }
}
