package dev.walrus.kafka.security;

/** A SASL exchange failed; the message is what the client is told (SaslAuthenticate's error message). */
public final class AuthenticationFailedException extends RuntimeException {

    public AuthenticationFailedException(String message) {
        super(message);
    }
}
