package dev.walrus.kafka.security;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The SCRAM mechanisms Kafka offers (RFC 5802, RFC 7677), with their hash and Kafka's iteration bounds, and the key
 * derivations both sides of an exchange share.
 */
public enum ScramMechanism {
    SCRAM_SHA_256("SCRAM-SHA-256", "SHA-256", "HmacSHA256", (byte) 1),
    SCRAM_SHA_512("SCRAM-SHA-512", "SHA-512", "HmacSHA512", (byte) 2);

    /** Kafka's bounds on {@code iterations} (ScramMechanism.minIterations, maxIterations). */
    public static final int MIN_ITERATIONS = 4096;
    public static final int MAX_ITERATIONS = 16384;

    private final String mechanismName;
    private final String hash;
    private final String hmac;
    private final byte type;

    ScramMechanism(String mechanismName, String hash, String hmac, byte type) {
        this.mechanismName = mechanismName;
        this.hash = hash;
        this.hmac = hmac;
        this.type = type;
    }

    /** As SASL names it, e.g. {@code SCRAM-SHA-256}. */
    public String mechanismName() {
        return mechanismName;
    }

    /** The mechanism's number in AlterUserScramCredentials and DescribeUserScramCredentials. */
    public byte type() {
        return type;
    }

    public static Optional<ScramMechanism> forName(String name) {
        for (ScramMechanism m : values()) {
            if (m.mechanismName.equals(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    public static Optional<ScramMechanism> forType(byte type) {
        for (ScramMechanism m : values()) {
            if (m.type == type) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** What the broker stores of a salted password: StoredKey = H(HMAC(salted, "Client Key")), ServerKey. */
    public ScramCredential credential(byte[] salt, byte[] saltedPassword, int iterations) {
        byte[] clientKey = hmac(saltedPassword, "Client Key".getBytes(StandardCharsets.US_ASCII));
        return new ScramCredential(this, salt, digest(clientKey),
                hmac(saltedPassword, "Server Key".getBytes(StandardCharsets.US_ASCII)), iterations);
    }

    /**
     * The credential of a password with a fresh random salt (RFC 5802's Hi, PBKDF2 with this mechanism's HMAC), as
     * Kafka derives the SCRAM credentials of a delegation token from its HMAC.
     */
    public ScramCredential credentialOf(String password, int iterations) {
        byte[] salt = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        byte[] key = password.getBytes(StandardCharsets.UTF_8);
        byte[] block = new byte[salt.length + 4];
        System.arraycopy(salt, 0, block, 0, salt.length);
        block[block.length - 1] = 1;   // INT(1)
        byte[] u = hmac(key, block);
        byte[] salted = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = hmac(key, u);
            for (int b = 0; b < salted.length; b++) {
                salted[b] ^= u[b];
            }
        }
        return credential(salt, salted, iterations);
    }

    byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance(hmac);
            mac.init(new SecretKeySpec(key, hmac));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(hmac + " is missing from the JDK", e);
        }
    }

    byte[] digest(byte[] message) {
        try {
            return MessageDigest.getInstance(hash).digest(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(hash + " is missing from the JDK", e);
        }
    }
}
