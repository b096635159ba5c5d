package dev.walrus.kafka.security;

/** The server side of one SASL mechanism's exchange with one client. */
sealed interface SaslExchange permits PlainExchange, ScramExchange, OAuthBearerExchange {

    /**
     * Takes the client's next message and returns the server's answer (empty when it has none).
     *
     * @throws AuthenticationFailedException with the message the client is shown
     */
    byte[] evaluate(byte[] clientMessage);

    /** Whether the exchange ended with the client authenticated. */
    boolean isComplete();

    /** The authenticated user's name, once complete. */
    String user();

    /** When the credential the client authenticated with expires (epoch ms; an OAUTHBEARER token's), 0 if never. */
    default long credentialExpiresAtMs() {
        return 0;
    }

    /** Whether the client authenticated with a delegation token (KIP-48), which may not manage tokens itself. */
    default boolean tokenAuthenticated() {
        return false;
    }
}
