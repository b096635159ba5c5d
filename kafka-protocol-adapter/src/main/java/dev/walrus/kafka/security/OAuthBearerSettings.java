package dev.walrus.kafka.security;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How SASL/OAUTHBEARER tokens are checked on one listener, chosen as Kafka chooses it: by
 * {@code listener.name.<listener>.oauthbearer.sasl.server.callback.handler.class}. Kafka's default, the unsecured
 * validator, accepts unsigned tokens (for development, {@link Unsecured}); its
 * {@code OAuthBearerValidatorCallbackHandler} checks tokens signed by an identity provider against the provider's
 * published keys ({@link SignedTokenSettings}).
 */
sealed interface OAuthBearerSettings permits OAuthBearerSettings.Unsecured, SignedTokenSettings {

    /** Kafka's unsecured validator with its default options. */
    Unsecured DEFAULTS = new Unsecured("sub", "scope", List.of(), 0);

    /** Kafka's unsecured validator, its default server callback handler. */
    String UNSECURED_VALIDATOR =
            "org.apache.kafka.common.security.oauthbearer.internals.unsecured.OAuthBearerUnsecuredValidatorCallbackHandler";

    /** Kafka's validator of signed tokens (KIP-768). */
    String SIGNED_VALIDATOR = "org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler";

    /**
     * Kafka's unsecured validator, with the options of {@code listener.name.<listener>.oauthbearer.sasl.jaas.config}:
     * {@code unsecuredValidatorPrincipalClaimName} (default {@code sub}), {@code unsecuredValidatorScopeClaimName}
     * ({@code scope}), {@code unsecuredValidatorRequiredScope} (space-separated, none by default) and
     * {@code unsecuredValidatorAllowableClockSkewMs} (0).
     */
    record Unsecured(String principalClaim, String scopeClaim, List<String> requiredScope, long clockSkewMs)
            implements OAuthBearerSettings {}

    /** @throws IllegalArgumentException for a server callback handler this broker does not have, or a bad option */
    static OAuthBearerSettings of(String listenerName, Map<String, String> properties) {
        String prefix = "listener.name." + listenerName.toLowerCase(Locale.ROOT) + ".oauthbearer.";
        String handler = properties.get(prefix + "sasl.server.callback.handler.class");
        if (handler != null && handler.trim().equals(SIGNED_VALIDATOR)) {
            return SignedTokenSettings.of(prefix, properties);
        }
        if (handler != null && !handler.isBlank() && !handler.trim().equals(UNSECURED_VALIDATOR)) {
            throw new IllegalArgumentException(prefix + "sasl.server.callback.handler.class " + handler.trim()
                    + " is not supported: SASL/OAUTHBEARER here validates unsecured tokens (Kafka's default, "
                    + UNSECURED_VALIDATOR + ") or tokens signed by an identity provider (" + SIGNED_VALIDATOR + ")");
        }
        String jaas = properties.get(prefix + "sasl.jaas.config");
        if (jaas == null) {
            return DEFAULTS;
        }
        Map<String, String> options = JaasConfig.parse(prefix + "sasl.jaas.config", jaas).options();
        String skew = options.getOrDefault("unsecuredValidatorAllowableClockSkewMs", "0").trim();
        long clockSkewMs;
        try {
            clockSkewMs = skew.isEmpty() ? 0 : Integer.parseInt(skew);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unsecuredValidatorAllowableClockSkewMs is not a number: " + skew);
        }
        if (clockSkewMs < 0) {
            throw new IllegalArgumentException("Allowable clock skew millis must not be negative: " + skew);
        }
        String required = options.getOrDefault("unsecuredValidatorRequiredScope", "").trim();
        return new Unsecured(
                orDefault(options.get("unsecuredValidatorPrincipalClaimName"), "sub"),
                orDefault(options.get("unsecuredValidatorScopeClaimName"), "scope"),
                required.isEmpty() ? List.of() : Arrays.stream(required.split(" ")).filter(s -> !s.isEmpty()).toList(),
                clockSkewMs);
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
