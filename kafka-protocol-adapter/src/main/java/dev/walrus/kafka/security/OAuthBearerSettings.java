package dev.walrus.kafka.security;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How SASL/OAUTHBEARER tokens are checked on one listener: Kafka's unsecured validator (its default server callback
 * handler, for development) with the options of {@code listener.name.<listener>.oauthbearer.sasl.jaas.config}:
 * {@code unsecuredValidatorPrincipalClaimName} (default {@code sub}), {@code unsecuredValidatorScopeClaimName}
 * ({@code scope}), {@code unsecuredValidatorRequiredScope} (space-separated, none by default) and
 * {@code unsecuredValidatorAllowableClockSkewMs} (0).
 */
record OAuthBearerSettings(String principalClaim, String scopeClaim, List<String> requiredScope, long clockSkewMs) {

    static final OAuthBearerSettings DEFAULTS = new OAuthBearerSettings("sub", "scope", List.of(), 0);

    /** Kafka's unsecured validator, the only server callback handler this broker has. */
    static final String UNSECURED_VALIDATOR =
            "org.apache.kafka.common.security.oauthbearer.internals.unsecured.OAuthBearerUnsecuredValidatorCallbackHandler";

    /** @throws IllegalArgumentException for a server callback handler this broker does not have, or a bad option */
    static OAuthBearerSettings of(String listenerName, Map<String, String> properties) {
        String prefix = "listener.name." + listenerName.toLowerCase(Locale.ROOT) + ".oauthbearer.";
        String handler = properties.get(prefix + "sasl.server.callback.handler.class");
        if (handler != null && !handler.isBlank() && !handler.trim().equals(UNSECURED_VALIDATOR)) {
            throw new IllegalArgumentException(prefix + "sasl.server.callback.handler.class " + handler.trim()
                    + " is not supported: SASL/OAUTHBEARER here validates unsecured tokens only (Kafka's default, "
                    + UNSECURED_VALIDATOR + ")");
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
        return new OAuthBearerSettings(
                orDefault(options.get("unsecuredValidatorPrincipalClaimName"), "sub"),
                orDefault(options.get("unsecuredValidatorScopeClaimName"), "scope"),
                required.isEmpty() ? List.of() : Arrays.stream(required.split(" ")).filter(s -> !s.isEmpty()).toList(),
                clockSkewMs);
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
