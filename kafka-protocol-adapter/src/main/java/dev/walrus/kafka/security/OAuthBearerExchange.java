package dev.walrus.kafka.security;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The server side of SASL/OAUTHBEARER (RFC 7628): the client's first message
 * ({@code n,[a=authzid],^Aauth=Bearer <token>^A...^A^A}) carries a JWT that the listener's {@link TokenValidator}
 * checks (Kafka's unsecured validation, or a token signed by an identity provider). A token that fails is answered
 * with Kafka's JSON error ({@code {"status":"invalid_token"}}, or {@code insufficient_scope} with the scope); the
 * client acknowledges it with a lone ^A and the exchange then fails with that JSON as the message, as in Kafka.
 */
final class OAuthBearerExchange implements SaslExchange {

    private static final byte CONTROL_A = 0x01;
    private static final String MECHANISM_FAILURE =
            "Authentication failed during authentication due to invalid credentials with SASL mechanism OAUTHBEARER";

    private final TokenValidator validator;
    private String pendingError;
    private String user;
    private long expiresAtMs;

    OAuthBearerExchange(TokenValidator validator) {
        this.validator = validator;
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
        TokenValidator.Outcome outcome = validator.check(token);
        if (!outcome.isValid()) {
            pendingError = outcome.error();
            return outcome.error().getBytes(StandardCharsets.UTF_8);
        }
        user = outcome.principal();
        expiresAtMs = outcome.expiresAtMs();
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
}
