package dev.walrus.kafka.security;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The broker's SASL server: the handshake picks a mechanism among the listener's enabled ones, then each token of
 * the exchange goes to that mechanism's server, and the connection's {@link ConnectionAuth} records the outcome.
 *
 * <p>Threading: one connection sends one token at a time; the settings of each listener are read once.
 */
public final class SaslAuthenticator implements AutoCloseable {

    /** The outcome of a handshake: whether the mechanism is enabled, and the enabled ones. */
    public record Handshake(boolean accepted, List<String> enabledMechanisms) {}

    private final Map<String, String> properties;
    private final ScramCredentials scramCredentials;
    private final DelegationTokens delegationTokens;
    private final Map<String, SaslSettings> byListener = new ConcurrentHashMap<>();
    /** Each listener's OAUTHBEARER token check, made by {@link #prepare} or on first use. */
    private final Map<String, TokenValidator> tokenValidators = new ConcurrentHashMap<>();
    /** Key sets fetched for signed tokens, closed with the broker. */
    private final List<JwksKeys> keySources = new CopyOnWriteArrayList<>();

    public SaslAuthenticator(Map<String, String> properties, ScramCredentials scramCredentials,
                             DelegationTokens delegationTokens) {
        this.properties = Map.copyOf(properties);
        this.scramCredentials = scramCredentials;
        this.delegationTokens = delegationTokens;
    }

    /** Kafka's {@code connection.failed.authentication.delay.ms}: how late a failed authentication is answered. */
    public long failedAuthenticationDelayMs() {
        String value = properties.get("connection.failed.authentication.delay.ms");
        return value == null ? 100 : Long.parseLong(value.trim());
    }

    /**
     * Whether an authenticated connection may renew its session (KIP-368): when sessions end, by
     * {@code connections.max.reauth.ms} or an expiring credential.
     */
    public boolean mayReauthenticate(ConnectionAuth auth, String listenerName) {
        return maxReauthMs(listenerName, auth.mechanism()) > 0 || "OAUTHBEARER".equals(auth.mechanism())
                || auth.tokenAuthenticated();
    }

    /** How long the session just authenticated lasts (SaslAuthenticate v1+ tells the client), 0 for ever. */
    public long sessionLifetimeMs(ConnectionAuth auth, long nowMs) {
        long end = auth.sessionEndMs();
        return end == 0 ? 0 : Math.max(1, end - nowMs);
    }

    /**
     * Kafka's {@code connections.max.reauth.ms} for a listener's mechanism
     * ({@code listener.name.<listener>.<mechanism>.connections.max.reauth.ms} first); 0, the default, for none.
     */
    long maxReauthMs(String listenerName, String mechanism) {
        String value = properties.get("listener.name." + listenerName.toLowerCase(java.util.Locale.ROOT) + "."
                + mechanism.toLowerCase(java.util.Locale.ROOT) + ".connections.max.reauth.ms");
        if (value == null) {
            value = properties.get("connections.max.reauth.ms");
        }
        return value == null || value.isBlank() ? 0 : Long.parseLong(value.trim());
    }

    /** When a session authenticated now ends: the earlier of the re-authentication bound and the credential's expiry. */
    private long sessionEnd(String listenerName, String mechanism, SaslExchange exchange) {
        long now = System.currentTimeMillis();
        long reauthMs = maxReauthMs(listenerName, mechanism);
        long end = reauthMs > 0 ? now + reauthMs : 0;
        long credentialEnd = exchange.credentialExpiresAtMs();
        if (credentialEnd > 0) {
            end = end == 0 ? credentialEnd : Math.min(end, credentialEnd);
        }
        return end;
    }

    /**
     * Makes ready what a SASL listener needs before it serves: for OAUTHBEARER with signed tokens, the identity
     * provider's keys, fetched now (this waits for the first fetch, see {@link JwksKeys#start}).
     */
    public void prepare(String listenerName) {
        if (settings(listenerName).mechanisms().contains("OAUTHBEARER")) {
            tokenValidator(listenerName);
        }
    }

    private TokenValidator tokenValidator(String listenerName) {
        return tokenValidators.computeIfAbsent(listenerName, name -> switch (settings(name).oauthBearer()) {
            case OAuthBearerSettings.Unsecured unsecured -> new UnsecuredTokenValidator(unsecured, System::currentTimeMillis);
            case SignedTokenSettings signed -> {
                JwksKeys keys = JwksKeys.start(signed);
                keySources.add(keys);
                yield new SignedTokenValidator(signed, keys, System::currentTimeMillis);
            }
        });
    }

    @Override
    public void close() {
        keySources.forEach(JwksKeys::close);
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
        boolean renewal = auth.state() == ConnectionAuth.State.AUTHENTICATED;
        if (!settings.mechanisms().contains(mechanism) || renewal && !mechanism.equals(auth.mechanism())) {
            // a re-authentication keeps its mechanism, as in Kafka
            auth.failed();
            return new Handshake(false, settings.mechanisms());
        }
        SaslExchange exchange = switch (mechanism) {
            case "PLAIN" -> new PlainExchange(settings.plainUsers());
            case "OAUTHBEARER" -> new OAuthBearerExchange(tokenValidator(listenerName));
            default -> {
                ScramMechanism scram = ScramMechanism.forName(mechanism).orElseThrow();
                yield new ScramExchange(scram, user -> scramCredentials.get(user, scram), id -> tokenLogin(id, scram));
            }
        };
        auth.begin(exchange, mechanism, listenerName, rawTokens);
        return new Handshake(true, settings.mechanisms());
    }

    /** A live delegation token's SCRAM login: an expired one, not yet swept away, no longer authenticates. */
    private Optional<ScramExchange.TokenLogin> tokenLogin(String tokenId, ScramMechanism mechanism) {
        return delegationTokens.get(tokenId)
                .filter(token -> !token.expired(System.currentTimeMillis()))
                .flatMap(token -> delegationTokens.credential(tokenId, mechanism).map(credential ->
                        new ScramExchange.TokenLogin(credential,
                                token.owner().substring(token.owner().indexOf(':') + 1), token.expiryMs())));
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
                String principal = "User:" + exchange.user();
                if (auth.reauthenticating() && !principal.equals(auth.renewedPrincipal())) {
                    throw new AuthenticationFailedException("Cannot change principals during re-authentication from "
                            + auth.renewedPrincipal() + ": " + principal);
                }
                auth.authenticated(exchange.user(), sessionEnd(auth.listenerName(), auth.mechanism(), exchange),
                        exchange.tokenAuthenticated());
            }
            return answer;
        } catch (AuthenticationFailedException e) {
            auth.failed();
            throw e;
        }
    }
}
