package dev.walrus.kafka.security;

/** How the server side of SASL/OAUTHBEARER decides whether a bearer token authenticates its client. */
sealed interface TokenValidator permits UnsecuredTokenValidator, SignedTokenValidator {

    /** Checks {@code token} now. */
    Outcome check(String token);

    /**
     * A token's verdict: the principal it names and when it expires, or the JSON error the client is shown (Kafka's
     * {@code {"status":"invalid_token"}}, or {@code insufficient_scope} with the scope).
     */
    record Outcome(String principal, long expiresAtMs, String error) {

        static Outcome valid(String principal, long expiresAtMs) {
            return new Outcome(principal, expiresAtMs, null);
        }

        static Outcome refused(String status, String scope) {
            return new Outcome(null, 0, scope == null ? "{\"status\":\"" + status + "\"}"
                    : "{\"status\":\"" + status + "\", \"scope\":\"" + scope + "\"}");
        }

        static Outcome invalidToken() {
            return refused("invalid_token", null);
        }

        boolean isValid() {
            return error == null;
        }
    }
}
