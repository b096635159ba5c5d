package dev.walrus.kafka.security;

import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Kafka's unsecured token validation (its default, for development): an unsigned JWT whose principal claim names the
 * user, which must not have expired ({@code exp}, required), must not be issued in the future ({@code iat}, optional),
 * and must carry the required scope.
 */
final class UnsecuredTokenValidator implements TokenValidator {

    private final OAuthBearerSettings.Unsecured settings;
    private final LongSupplier clock;

    UnsecuredTokenValidator(OAuthBearerSettings.Unsecured settings, LongSupplier clock) {
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public Outcome check(String token) {
        UnsecuredJwt jwt;
        try {
            jwt = UnsecuredJwt.parse(token);
        } catch (IllegalArgumentException e) {
            return Outcome.invalidToken();
        }
        long now = clock.getAsLong();
        if (!(jwt.claim(settings.principalClaim()) instanceof String principal) || principal.isEmpty()) {
            return Outcome.invalidToken();
        }
        Object issuedAt = jwt.claim("iat");
        Object expiration = jwt.claim("exp");
        if (issuedAt != null && !(issuedAt instanceof Double)) {
            return Outcome.invalidToken();
        }
        if (!(expiration instanceof Double exp)) {
            return Outcome.invalidToken();
        }
        if (issuedAt instanceof Double iat && (iat * 1000 > now + settings.clockSkewMs() || exp <= iat)) {
            return Outcome.invalidToken();
        }
        if (now - settings.clockSkewMs() >= exp * 1000) {
            return Outcome.invalidToken();
        }
        List<String> granted = scope(jwt.claim(settings.scopeClaim()));
        if (!granted.containsAll(settings.requiredScope())) {
            return Outcome.refused("insufficient_scope", settings.requiredScope().toString());   // Kafka prints the list
        }
        return Outcome.valid(principal, (long) (exp * 1000));
    }

    private static List<String> scope(Object claim) {
        if (claim instanceof String text) {
            return Arrays.stream(text.split(" ")).filter(s -> !s.isEmpty()).toList();
        }
        if (claim instanceof List<?> items) {
            return items.stream().map(String::valueOf).toList();
        }
        return List.of();
    }
}
