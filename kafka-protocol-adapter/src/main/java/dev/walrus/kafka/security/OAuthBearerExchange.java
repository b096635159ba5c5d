package dev.walrus.kafka.security;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The server side of SASL/OAUTHBEARER (RFC 7628) with Kafka's unsecured token validation: the client's first message
 * ({@code n,[a=authzid],^Aauth=Bearer <token>^A...^A^A}) carries an unsecured JWT whose principal claim names the
 * user, which must not have expired ({@code exp}, required), must not be issued in the future ({@code iat}, optional),
 * and must carry the required scope. A token that fails is answered with Kafka's JSON error
 * ({@code {"status":"invalid_token"}}, or {@code insufficient_scope} with the scope); the client acknowledges it with
 * a lone ^A and the exchange then fails with that JSON as the message, as in Kafka.
 */
final class OAuthBearerExchange implements SaslExchange {

    private static final byte CONTROL_A = 0x01;
    private static final String MECHANISM_FAILURE =
            "Authentication failed during authentication due to invalid credentials with SASL mechanism OAUTHBEARER";

    private final OAuthBearerSettings settings;
    private final LongSupplier clock;
    private String pendingError;
    private String user;
    private long expiresAtMs;

    OAuthBearerExchange(OAuthBearerSettings settings, LongSupplier clock) {
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public byte[] evaluate(byte[] clientMessage) {
        if (clientMessage.length == 1 && clientMessage[0] == CONTROL_A && pendingError != null) {
            throw new AuthenticationFailedException(pendingError);
        }
        pendingError = null;
        String message = new String(clientMessage, StandardCharsets.UTF_8);
        String[] headerAndPairs = splitFirstMessage(message);
        String authzid = headerAndPairs[0];
        String token = bearerToken(headerAndPairs[1]);
        String failure = check(token);
        if (failure != null) {
            pendingError = failure;
            return failure.getBytes(StandardCharsets.UTF_8);
        }
        if (!authzid.isEmpty() && !authzid.equals(user)) {
            String principal = user;
            user = null;
            throw new AuthenticationFailedException(String.format("Authentication failed: Client requested an "
                    + "authorization id (%s) that is different from the token's principal name (%s)", authzid, principal));
        }
        return new byte[0];
    }

    @Override
    public boolean isComplete() {
        return user != null;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public long credentialExpiresAtMs() {
        return expiresAtMs;
    }

    /** The GS2 header's authorization id (empty if none) and the key-value pairs, or a failed exchange. */
    private static String[] splitFirstMessage(String message) {
        // n,[a=authzid],^A key=value^A ... ^A
        if (!message.startsWith("n,") || !message.endsWith("\u0001\u0001")) {
            throw new AuthenticationFailedException(MECHANISM_FAILURE);
        }
        int headerEnd = message.indexOf(',', 2);
        if (headerEnd < 0 || message.length() < headerEnd + 2 || message.charAt(headerEnd + 1) != CONTROL_A) {
            throw new AuthenticationFailedException(MECHANISM_FAILURE);
        }
        String authzidPart = message.substring(2, headerEnd);
        String authzid;
        if (authzidPart.isEmpty()) {
            authzid = "";
        } else if (authzidPart.startsWith("a=")) {
            authzid = authzidPart.substring(2).replace("=2C", ",").replace("=3D", "=");
        } else {
            throw new AuthenticationFailedException(MECHANISM_FAILURE);
        }
        return new String[] {authzid, message.substring(headerEnd + 2, message.length() - 1)};
    }

    /** The token of the {@code auth=Bearer <token>} pair, or a failed exchange. */
    private static String bearerToken(String pairs) {
        Map<String, String> values = new HashMap<>();
        for (String pair : pairs.split("\u0001")) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new AuthenticationFailedException(MECHANISM_FAILURE);
            }
            values.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        String auth = values.get("auth");
        if (auth == null) {
            throw new AuthenticationFailedException(MECHANISM_FAILURE);
        }
        String[] schemeAndToken = auth.trim().split(" +", 2);
        if (schemeAndToken.length != 2 || !schemeAndToken[0].equalsIgnoreCase("bearer")
                || !schemeAndToken[1].matches("[-_.a-zA-Z0-9]+")) {
            throw new AuthenticationFailedException(MECHANISM_FAILURE);
        }
        return schemeAndToken[1];
    }

    /** Kafka's unsecured validation: null when the token passes (and {@link #user} is set), else the JSON error. */
    private String check(String token) {
        UnsecuredJwt jwt;
        try {
            jwt = UnsecuredJwt.parse(token);
        } catch (IllegalArgumentException e) {
            return error("invalid_token", null);
        }
        long now = clock.getAsLong();
        if (!(jwt.claim(settings.principalClaim()) instanceof String principal) || principal.isEmpty()) {
            return error("invalid_token", null);
        }
        Object issuedAt = jwt.claim("iat");
        Object expiration = jwt.claim("exp");
        if (issuedAt != null && !(issuedAt instanceof Double)) {
            return error("invalid_token", null);
        }
        if (!(expiration instanceof Double exp)) {
            return error("invalid_token", null);
        }
        if (issuedAt instanceof Double iat && (iat * 1000 > now + settings.clockSkewMs() || exp <= iat)) {
            return error("invalid_token", null);
        }
        if (now - settings.clockSkewMs() >= exp * 1000) {
            return error("invalid_token", null);
        }
        List<String> granted = scope(jwt.claim(settings.scopeClaim()));
        if (!granted.containsAll(settings.requiredScope())) {
            return error("insufficient_scope", settings.requiredScope().toString());   // Kafka prints the list
        }
        user = principal;
        expiresAtMs = (long) (exp * 1000);
        return null;
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

    /** Kafka's JSON error for a refused token. */
    private static String error(String status, String scope) {
        return scope == null ? "{\"status\":\"" + status + "\"}"
                : "{\"status\":\"" + status + "\", \"scope\":\"" + scope + "\"}";
    }
}
