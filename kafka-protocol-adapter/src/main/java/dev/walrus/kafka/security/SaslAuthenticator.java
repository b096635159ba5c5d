package dev.walrus.kafka.security;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker's SASL server: the handshake picks a mechanism among the listener's enabled ones, then each token of
 * the exchange goes to that mechanism's server, and the connection's {@link ConnectionAuth} records the outcome.
 *
 * <p>Threading: one connection sends one token at a time; the settings of each listener are read once.
 */
public final class SaslAuthenticator {

    /** The outcome of a handshake: whether the mechanism is enabled, and the enabled ones. */
    public record Handshake(boolean accepted, List<String> enabledMechanisms) {}

    private final Map<String, String> properties;
    private final ScramCredentials scramCredentials;
    private final Map<String, SaslSettings> byListener = new ConcurrentHashMap<>();

    public SaslAuthenticator(Map<String, String> properties, ScramCredentials scramCredentials) {
        this.properties = Map.copyOf(properties);
        this.scramCredentials = scramCredentials;
    }

    /** Kafka's {@code connection.failed.authentication.delay.ms}: how late a failed authentication is answered. */
    public long failedAuthenticationDelayMs() {
        String value = properties.get("connection.failed.authentication.delay.ms");
        return value == null ? 100 : Long.parseLong(value.trim());
    }

    /** A listener's settings (checked when the broker starts, so they parse here). */
    public SaslSettings settings(String listenerName) {
        return byListener.computeIfAbsent(listenerName, name -> SaslSettings.of(name, properties));
    }

    /**
     * SaslHandshake: starts an exchange of {@code mechanism} if the listener enables it; with {@code rawTokens}
     * (handshake v0) its tokens come as raw frames.
     */
    public Handshake handshake(ConnectionAuth auth, String listenerName, String mechanism, boolean rawTokens) {
        SaslSettings settings = settings(listenerName);
        if (!settings.mechanisms().contains(mechanism)) {
            auth.failed();
            return new Handshake(false, settings.mechanisms());
        }
        SaslExchange exchange = switch (mechanism) {
            case "PLAIN" -> new PlainExchange(settings.plainUsers());
            case "OAUTHBEARER" -> new OAuthBearerExchange(settings.oauthBearer(), System::currentTimeMillis);
            default -> {
                ScramMechanism scram = ScramMechanism.forName(mechanism).orElseThrow();
                yield new ScramExchange(scram, user -> scramCredentials.get(user, scram));
            }
        };
        auth.begin(exchange, rawTokens);
        return new Handshake(true, settings.mechanisms());
    }

    /**
     * SaslAuthenticate: one token of the exchange; returns the server's answer.
     *
     * @throws AuthenticationFailedException with the client's message; the connection's state is then failed
     * @throws IllegalStateException when no exchange is under way
     */
    public byte[] authenticate(ConnectionAuth auth, byte[] token) {
        SaslExchange exchange = auth.exchange();
        if (exchange == null || auth.state() != ConnectionAuth.State.AUTHENTICATING) {
            throw new IllegalStateException("no SASL exchange is under way");
        }
        try {
            byte[] answer = exchange.evaluate(token);
            if (exchange.isComplete()) {
                auth.authenticated(exchange.user());
            }
            return answer;
        } catch (AuthenticationFailedException e) {
            auth.failed();
            throw e;
        }
    }
}
