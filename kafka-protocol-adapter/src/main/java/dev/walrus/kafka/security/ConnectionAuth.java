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

    void begin(SaslExchange newExchange, boolean raw) {
        exchange = newExchange;
        rawTokens = raw;
        state = State.AUTHENTICATING;
    }

    void authenticated(String user) {
        principal = "User:" + user;
        exchange = null;
        state = State.AUTHENTICATED;
    }

    void failed() {
        exchange = null;
        state = State.FAILED;
    }
}
