package dev.walrus.kafka.security;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The SASL settings of one listener, from Kafka's keys: {@code sasl.enabled.mechanisms} (the listener's prefixed key
 * first) and, for PLAIN, the users of {@code listener.name.<listener>.plain.sasl.jaas.config}
 * ({@code user_<name>="<password>"} options of Kafka's PlainLoginModule). SCRAM users are the credentials set with
 * AlterUserScramCredentials. OAUTHBEARER checks unsecured tokens or tokens signed by an identity provider
 * ({@link OAuthBearerSettings}).
 *
 * @param mechanisms the enabled mechanisms, in the order given
 * @param plainUsers PLAIN's users and passwords
 * @param oauthBearer how OAUTHBEARER tokens are validated
 */
public record SaslSettings(List<String> mechanisms, Map<String, String> plainUsers, OAuthBearerSettings oauthBearer) {

    /** What this broker can offer. */
    public static final List<String> SUPPORTED = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER");

    /**
     * Reads a listener's settings; an unsupported mechanism (Kafka's default, GSSAPI, among them) or PLAIN without
     * its JAAS users is an {@link IllegalArgumentException} saying what to set.
     */
    public static SaslSettings of(String listenerName, Map<String, String> properties) {
        String prefix = "listener.name." + listenerName.toLowerCase(Locale.ROOT) + ".";
        String enabled = Optional.ofNullable(properties.get(prefix + "sasl.enabled.mechanisms"))
                .or(() -> Optional.ofNullable(properties.get("sasl.enabled.mechanisms")))
                .orElse("GSSAPI");
        List<String> mechanisms = Arrays.stream(enabled.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (mechanisms.isEmpty()) {
            throw new IllegalArgumentException("sasl.enabled.mechanisms is empty for listener " + listenerName);
        }
        for (String mechanism : mechanisms) {
            if (!SUPPORTED.contains(mechanism)) {
                throw new IllegalArgumentException("SASL mechanism " + mechanism + " of listener " + listenerName
                        + " is not supported by this broker; set sasl.enabled.mechanisms to some of " + SUPPORTED
                        + (properties.containsKey("sasl.enabled.mechanisms") ? "" : " (Kafka's default is GSSAPI)"));
            }
        }
        Map<String, String> plainUsers = new HashMap<>();
        if (mechanisms.contains("PLAIN")) {
            String key = prefix + "plain.sasl.jaas.config";
            String jaas = properties.get(key);
            if (jaas == null) {
                throw new IllegalArgumentException(key + " is not set: SASL/PLAIN on listener " + listenerName
                        + " needs its users, e.g. org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "user_alice=\"alice-secret\";");
            }
            JaasConfig config = JaasConfig.parse(key, jaas);
            config.options().forEach((name, value) -> {
                if (name.startsWith("user_")) {
                    plainUsers.put(name.substring("user_".length()), value);
                }
            });
        }
        OAuthBearerSettings oauthBearer = mechanisms.contains("OAUTHBEARER")
                ? OAuthBearerSettings.of(listenerName, properties) : OAuthBearerSettings.DEFAULTS;
        return new SaslSettings(mechanisms, Map.copyOf(plainUsers), oauthBearer);
    }
}
