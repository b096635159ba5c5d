package dev.walrus.kafka.security;

/**
 * The SASL state of one connection on a SASL listener, as Kafka's server authenticator keeps it: a handshake picks
 * the mechanism, SaslAuthenticate requests carry its exchange, and only then do other requests pass. Before that,
 * the only requests a connection may send are ApiVersions, SaslHandshake and SaslAuthenticate.
 *
 * <p>Threading: a client sends the requests of its exchange one at a time; the fields are volatile because
 * successive requests of one connection may be handled on different threads.
 */
public final class ConnectionAuth {

    /** Where the connection is in its authentication. */
    public enum State {
        /** Waiting for a SaslHandshake. */
        HANDSHAKE,
        /** A mechanism was chosen; SaslAuthenticate requests carry its exchange. */
        AUTHENTICATING,
        /** Authenticated as {@link #principal()}. */
        AUTHENTICATED,
        /** The exchange failed: the connection is closed at its next request. */
        FAILED
    }

    private volatile State state = State.HANDSHAKE;
    private volatile SaslExchange exchange;
    private volatile String principal;
    private volatile boolean rawTokens;
    private volatile String mechanism;
    /** When the authenticated session ends (epoch ms), 0 for never: a request after it closes the connection. */
    private volatile long sessionExpiresAtMs;
    /** The principal of the session a re-authentication (KIP-368) renews, null when none is under way. */
    private volatile String renewing;
    private volatile String listenerName;
    private volatile boolean tokenAuthenticated;

    public State state() {
        return state;
    }

    public boolean isAuthenticated() {
        return state == State.AUTHENTICATED;
    }

    /** {@code User:<name>} once authenticated, else null. */
    public String principal() {
        return principal;
    }

    /**
     * Whether the exchange's tokens come as raw frames (after a SaslHandshake v0) instead of in SaslAuthenticate
     * requests.
     */
    public boolean rawTokens() {
        return rawTokens && state == State.AUTHENTICATING;
    }

    SaslExchange exchange() {
        return exchange;
    }

    /** The mechanism of the last handshake. */
    public String mechanism() {
        return mechanism;
    }

    /** Whether the authenticated session has ended by {@code nowMs} (KIP-368's {@code connections.max.reauth.ms}). */
    public boolean sessionExpired(long nowMs) {
        long expiresAt = sessionExpiresAtMs;
        return state == State.AUTHENTICATED && expiresAt != 0 && nowMs >= expiresAt;
    }

    /** Whether this exchange renews an authenticated session (the principal must then stay the same). */
    boolean reauthenticating() {
        return renewing != null;
    }

    String renewedPrincipal() {
        return renewing;
    }

    /** When the session ends (epoch ms), 0 for never. */
    public long sessionEndMs() {
        return sessionExpiresAtMs;
    }

    String listenerName() {
        return listenerName;
    }

    void begin(SaslExchange newExchange, String newMechanism, String listener, boolean raw) {
        listenerName = listener;
        if (state == State.AUTHENTICATED) {
            renewing = principal;   // a re-authentication: requests keep their principal until it completes
        }
        exchange = newExchange;
        mechanism = newMechanism;
        rawTokens = raw;
        state = State.AUTHENTICATING;
    }

    /** Whether the session was authenticated with a delegation token (KIP-48). */
    public boolean tokenAuthenticated() {
        return tokenAuthenticated && state == State.AUTHENTICATED;
    }

    void authenticated(String user, long expiresAtMs, boolean withToken) {
        principal = "User:" + user;
        tokenAuthenticated = withToken;
        exchange = null;
        renewing = null;
        sessionExpiresAtMs = expiresAtMs;
        state = State.AUTHENTICATED;
    }

    void failed() {
        exchange = null;
        state = State.FAILED;
    }
}
