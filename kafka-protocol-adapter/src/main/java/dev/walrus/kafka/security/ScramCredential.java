package dev.walrus.kafka.security;

/**
 * A user's SCRAM credential for one mechanism, as the broker keeps it: never the password, only the salt, the two
 * derived keys and the iteration count (RFC 5802 section 3).
 */
public record ScramCredential(ScramMechanism mechanism, byte[] salt, byte[] storedKey, byte[] serverKey,
                              int iterations) {

    /** A credential with the user it belongs to. */
    public record Named(String user, ScramCredential credential) {}
}
