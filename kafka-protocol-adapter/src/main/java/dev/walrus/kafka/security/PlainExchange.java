package dev.walrus.kafka.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * SASL/PLAIN (RFC 4616): one message, {@code authzid NUL authcid NUL password}, checked against the users the
 * listener's JAAS configuration lists ({@code user_<name>="<password>"}, as Kafka's PlainLoginModule takes them).
 * The messages are Kafka's.
 */
final class PlainExchange implements SaslExchange {

    private final Map<String, String> users;
    private String user;

    PlainExchange(Map<String, String> users) {
        this.users = users;
    }

    @Override
    public byte[] evaluate(byte[] clientMessage) {
        String message = new String(clientMessage, StandardCharsets.UTF_8);
        String[] tokens = message.split("\u0000", -1);
        if (tokens.length != 3) {
            throw new AuthenticationFailedException("Invalid SASL/PLAIN response: expected 3 tokens, got " + tokens.length);
        }
        String authorizationId = tokens[0];
        String username = tokens[1];
        String password = tokens[2];
        if (username.isEmpty()) {
            throw new AuthenticationFailedException("Authentication failed: username not specified");
        }
        if (password.isEmpty()) {
            throw new AuthenticationFailedException("Authentication failed: password not specified");
        }
        String expected = users.get(username);
        if (expected == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                password.getBytes(StandardCharsets.UTF_8))) {
            throw new AuthenticationFailedException("Authentication failed: Invalid username or password");
        }
        if (!authorizationId.isEmpty() && !authorizationId.equals(username)) {
            throw new AuthenticationFailedException(
                    "Authentication failed: Client requested an authorization id that is different from username");
        }
        user = username;
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
}
