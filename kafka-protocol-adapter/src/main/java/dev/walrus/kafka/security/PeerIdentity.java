package dev.walrus.kafka.security;

import dev.walrus.kafka.authz.Authorizer;

/**
 * Who the other end of a connection is, before any SASL: {@code User:ANONYMOUS} (PLAINTEXT, or SSL without a client
 * certificate), or on an SSL listener with client authentication the certificate's subject, as Kafka's default
 * principal builder names it: {@code User:} and the name {@code ssl.principal.mapping.rules} gives the distinguished
 * name in RFC 2253 form ({@link SslPrincipalMapping}; by default the name itself, e.g.
 * {@code User:CN=client,OU=dev,O=Example}).
 *
 * <p>Threading: set once by the network layer when the TLS handshake completes, before the connection's first
 * request is read; read by any thread.
 */
public final class PeerIdentity {

    private volatile String principal = Authorizer.ANONYMOUS;

    public String principal() {
        return principal;
    }

    /** The user name of the certificate's subject (its RFC 2253 form, after the principal mapping rules). */
    public void certificateSubject(String name) {
        principal = "User:" + name;
    }
}
