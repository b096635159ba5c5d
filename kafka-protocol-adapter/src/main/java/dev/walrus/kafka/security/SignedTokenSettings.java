package dev.walrus.kafka.security;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Kafka's validation of OAUTHBEARER tokens signed by an identity provider ({@code OAuthBearerValidatorCallbackHandler}
 * with its {@code BrokerJwtValidator}, KIP-768), from Kafka's broker keys, each read with the listener's
 * {@code listener.name.<listener>.oauthbearer.} prefix first:
 * <ul>
 *   <li>{@code sasl.oauthbearer.jwks.endpoint.url}: where the provider publishes its keys (a JWKS, RFC 7517), an
 *       {@code http}, {@code https} or {@code file} URL, which the JVM system property
 *       {@code org.apache.kafka.sasl.oauthbearer.allowed.urls} must list, as Kafka 4.x requires;</li>
 *   <li>{@code sasl.oauthbearer.jwks.endpoint.refresh.ms} (an hour), {@code ...retry.backoff.ms} (100) and
 *       {@code ...retry.backoff.max.ms} (10 s): how often the keys are fetched again, and how a failed fetch is retried;</li>
 *   <li>{@code sasl.oauthbearer.expected.audience} and {@code sasl.oauthbearer.expected.issuer}: the {@code aud} and
 *       {@code iss} a token must carry; Kafka 4.4 requires both unless {@code sasl.oauthbearer.allow.unverified.audience}
 *       or {@code ...issuer} is true;</li>
 *   <li>{@code sasl.oauthbearer.scope.claim.name} ({@code scope}), {@code sasl.oauthbearer.sub.claim.name}
 *       ({@code sub}) and {@code sasl.oauthbearer.clock.skew.seconds} (30).</li>
 * </ul>
 */
record SignedTokenSettings(URI jwksUrl, long refreshMs, long retryBackoffMs, long retryBackoffMaxMs,
                           Set<String> expectedAudiences, String expectedIssuer, String scopeClaim, String subClaim,
                           int clockSkewSeconds) implements OAuthBearerSettings {

    /** The JVM system property listing the URLs OAUTHBEARER settings may name (Kafka 4.x: none by default). */
    static final String ALLOWED_URLS = "org.apache.kafka.sasl.oauthbearer.allowed.urls";

    private static final String DEFAULT_VALIDATOR = "org.apache.kafka.common.security.oauthbearer.DefaultJwtValidator";
    private static final String BROKER_VALIDATOR = "org.apache.kafka.common.security.oauthbearer.BrokerJwtValidator";

    /** True for a JWKS read from a file rather than fetched over HTTP. */
    boolean fromFile() {
        return jwksUrl.getScheme().equals("file");
    }

    /** @throws IllegalArgumentException with Kafka's message for a missing, malformed or disallowed setting */
    static SignedTokenSettings of(String listenerPrefix, Map<String, String> properties) {
        Settings s = new Settings(listenerPrefix, properties);
        String validator = s.get("sasl.oauthbearer.jwt.validator.class");
        if (validator != null && !validator.equals(DEFAULT_VALIDATOR) && !validator.equals(BROKER_VALIDATOR)) {
            throw new IllegalArgumentException("sasl.oauthbearer.jwt.validator.class " + validator + " is not supported:"
                    + " signed OAUTHBEARER tokens are checked here as Kafka's " + BROKER_VALIDATOR + " does");
        }
        URI url = jwksUrl(s.get("sasl.oauthbearer.jwks.endpoint.url"));
        Set<String> audiences = s.get("sasl.oauthbearer.expected.audience") == null ? Set.of()
                : Arrays.stream(s.get("sasl.oauthbearer.expected.audience").split(","))
                        .map(String::trim).filter(a -> !a.isEmpty()).collect(Collectors.toUnmodifiableSet());
        String issuer = s.get("sasl.oauthbearer.expected.issuer");
        if (audiences.isEmpty() && !s.bool("sasl.oauthbearer.allow.unverified.audience")) {
            throw new IllegalArgumentException(String.format("The OAuth validator for the broker requires \"%s\" to be "
                    + "configured so that the token's audience (\"aud\") claim can be verified, but it was not set. Set "
                    + "\"%s\" to the audience(s) that identify this cluster, or set \"%s\" to true to accept tokens "
                    + "regardless of their audience.", "sasl.oauthbearer.expected.audience",
                    "sasl.oauthbearer.expected.audience", "sasl.oauthbearer.allow.unverified.audience"));
        }
        if (issuer == null && !s.bool("sasl.oauthbearer.allow.unverified.issuer")) {
            throw new IllegalArgumentException(String.format("The OAuth validator for the broker requires \"%s\" to be "
                    + "configured so that the token's issuer (\"iss\") claim can be verified, but it was not set. Set "
                    + "\"%s\" to the issuer URL of the OAuth/OIDC provider that signs the tokens, or set \"%s\" to true "
                    + "to accept tokens regardless of their issuer.", "sasl.oauthbearer.expected.issuer",
                    "sasl.oauthbearer.expected.issuer", "sasl.oauthbearer.allow.unverified.issuer"));
        }
        return new SignedTokenSettings(url,
                s.number("sasl.oauthbearer.jwks.endpoint.refresh.ms", 3_600_000L),
                s.number("sasl.oauthbearer.jwks.endpoint.retry.backoff.ms", 100L),
                s.number("sasl.oauthbearer.jwks.endpoint.retry.backoff.max.ms", 10_000L),
                audiences, issuer,
                orDefault(s.get("sasl.oauthbearer.scope.claim.name"), "scope"),
                orDefault(s.get("sasl.oauthbearer.sub.claim.name"), "sub"),
                (int) s.number("sasl.oauthbearer.clock.skew.seconds", 30L));
    }

    /** Kafka's checks of the JWKS URL: present, well formed, http(s) or file, and allowed by the system property. */
    private static URI jwksUrl(String value) {
        String name = "sasl.oauthbearer.jwks.endpoint.url";
        if (value == null) {
            throw new IllegalArgumentException("The OAuth configuration option " + name + " value is required");
        }
        URI url;
        try {
            url = new URI(value);
            url.toURL();   // what java.net.URL refuses, Kafka refuses too
        } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException(String.format("The OAuth configuration option %s contains a URL (%s) "
                    + "that is malformed: %s", name, value, e.getMessage()));
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")) {
            throw new IllegalArgumentException(String.format("The OAuth configuration option %s contains a URL (%s) "
                    + "that contains an invalid protocol (%s); only \"http\", \"https\", and \"file\" protocol are "
                    + "supported", name, value, scheme));
        }
        Set<String> allowed = Arrays.stream(System.getProperty(ALLOWED_URLS, "").split(","))
                .map(String::trim).collect(Collectors.toSet());
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(String.format("Invalid value %s for configuration %s: The URL cannot be "
                    + "accessed due to restrictions. Update the system property '%s' to allow the URL to be accessed.",
                    value, name, ALLOWED_URLS));
        }
        return url;
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }

    /** Kafka's keys for one listener's OAUTHBEARER: the listener-prefixed key first, then the broker-wide one. */
    private record Settings(String listenerPrefix, Map<String, String> properties) {

        /** The trimmed value, null when unset or blank. */
        String get(String key) {
            String value = properties.get(listenerPrefix + key);
            if (value == null) {
                value = properties.get(key);
            }
            return value == null || value.isBlank() ? null : value.trim();
        }

        boolean bool(String key) {
            return Boolean.parseBoolean(get(key));
        }

        long number(String key, long fallback) {
            String value = get(key);
            if (value == null) {
                return fallback;
            }
            long n;
            try {
                n = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("The OAuth configuration option " + key + " is not a number: " + value);
            }
            if (n < 0) {
                throw new IllegalArgumentException("The OAuth configuration option " + key + " value must be at least 0");
            }
            return n;
        }
    }
}
