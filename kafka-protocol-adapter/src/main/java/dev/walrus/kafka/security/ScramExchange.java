package dev.walrus.kafka.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server side of SCRAM-SHA-256 and SCRAM-SHA-512 (RFC 5802) against the credentials set with
 * AlterUserScramCredentials: client-first, server-first (nonce, salt, iterations), client-final with its proof,
 * server-final with the server's signature. Unknown users and wrong proofs fail with the same message, Kafka's,
 * which does not tell a client whether the user exists.
 */
final class ScramExchange implements SaslExchange {

    /** RFC 5802's saslname, as Kafka's ScramMessages takes it: printable ASCII with ',' and '=' escaped. */
    private static final String SASLNAME = "(?:[\\x01-\\x7F&&[^=,]]|=2C|=3D)+";
    private static final Pattern CLIENT_FIRST = Pattern.compile(
            "n,(a=(?<authzid>" + SASLNAME + "))?,(?<bare>n=(?<saslname>" + SASLNAME + "),r=(?<nonce>[^,]+)(?<extensions>.*))");
    private static final Pattern CLIENT_FINAL = Pattern.compile(
            "(?<withoutProof>c=(?<channel>[^,]*),r=(?<nonce>[^,]+)(?<extensions>.*)),p=(?<proof>.*)");
    private static final SecureRandom RANDOM = new SecureRandom();

    private enum Step { CLIENT_FIRST, CLIENT_FINAL, DONE }

    private final ScramMechanism mechanism;
    private final Function<String, Optional<ScramCredential>> credentials;
    private Step step = Step.CLIENT_FIRST;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private String username;
    private ScramCredential credential;
    private String user;

    ScramExchange(ScramMechanism mechanism, Function<String, Optional<ScramCredential>> credentials) {
        this.mechanism = mechanism;
        this.credentials = credentials;
    }

    @Override
    public byte[] evaluate(byte[] clientMessage) {
        String message = new String(clientMessage, StandardCharsets.UTF_8);
        return switch (step) {
            case CLIENT_FIRST -> serverFirst(message).getBytes(StandardCharsets.UTF_8);
            case CLIENT_FINAL -> serverFinal(message).getBytes(StandardCharsets.UTF_8);
            case DONE -> throw invalidCredentials();
        };
    }

    private String serverFirst(String message) {
        Matcher m = CLIENT_FIRST.matcher(message);
        if (!m.matches()) {
            throw invalidCredentials();
        }
        username = m.group("saslname").replace("=2C", ",").replace("=3D", "=");
        String authorizationId = m.group("authzid") == null ? "" : m.group("authzid");
        credential = credentials.apply(username).orElseThrow(this::invalidCredentials);
        if (!authorizationId.isEmpty() && !authorizationId.equals(username)) {
            throw new AuthenticationFailedException(
                    "Authentication failed: Client requested an authorization id that is different from username");
        }
        byte[] serverNonce = new byte[24];
        RANDOM.nextBytes(serverNonce);
        nonce = m.group("nonce") + Base64.getUrlEncoder().withoutPadding().encodeToString(serverNonce);
        clientFirstBare = m.group("bare");
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credential.salt())
                + ",i=" + credential.iterations();
        step = Step.CLIENT_FINAL;
        return serverFirst;
    }

    private String serverFinal(String message) {
        Matcher m = CLIENT_FINAL.matcher(message);
        if (!m.matches() || !m.group("nonce").equals(nonce)) {
            throw invalidCredentials();
        }
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + m.group("withoutProof"))
                .getBytes(StandardCharsets.UTF_8);
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(m.group("proof"));
        } catch (IllegalArgumentException e) {
            throw invalidCredentials();
        }
        byte[] clientSignature = mechanism.hmac(credential.storedKey(), authMessage);
        if (proof.length != clientSignature.length) {
            throw invalidCredentials();
        }
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
        }
        if (!MessageDigest.isEqual(mechanism.digest(clientKey), credential.storedKey())) {
            throw invalidCredentials();
        }
        step = Step.DONE;
        user = username;
        return "v=" + Base64.getEncoder().encodeToString(mechanism.hmac(credential.serverKey(), authMessage));
    }

    private AuthenticationFailedException invalidCredentials() {
        step = Step.DONE;
        return new AuthenticationFailedException("Authentication failed during authentication due to invalid "
                + "credentials with SASL mechanism " + mechanism.mechanismName());
    }

    @Override
    public boolean isComplete() {
        return user != null;
    }

    @Override
    public String user() {
        return user;
    }
}
