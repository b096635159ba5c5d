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
 *
 * <p>A client-first message with the extension {@code tokenauth=true} authenticates with a delegation token (KIP-48):
 * the user name is the token id, the credential the token's, and the session is the token owner's, ending when the
 * token expires.
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

    /** What a delegation token lends a SCRAM exchange: its credential, the owner's user name, its expiry. */
    record TokenLogin(ScramCredential credential, String ownerName, long expiryMs) {}

    private static final Pattern TOKEN_AUTH = Pattern.compile("(?:^|,)tokenauth=(?<value>[^,]*)");

    private final ScramMechanism mechanism;
    private final Function<String, Optional<ScramCredential>> credentials;
    private final Function<String, Optional<TokenLogin>> tokens;
    private boolean tokenAuthenticated;
    private long expiresAtMs;
    private Step step = Step.CLIENT_FIRST;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private String username;
    private ScramCredential credential;
    private String user;
    private String tokenOwner;

    ScramExchange(ScramMechanism mechanism, Function<String, Optional<ScramCredential>> credentials,
                  Function<String, Optional<TokenLogin>> tokens) {
        this.mechanism = mechanism;
        this.credentials = credentials;
        this.tokens = tokens;
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
        Matcher tokenAuth = TOKEN_AUTH.matcher(m.group("extensions"));
        if (tokenAuth.find() && Boolean.parseBoolean(tokenAuth.group("value"))) {
            TokenLogin login = tokens.apply(username).orElseThrow(this::invalidCredentials);
            credential = login.credential();
            tokenAuthenticated = true;
            tokenOwner = login.ownerName();
            expiresAtMs = login.expiryMs();
        } else {
            credential = credentials.apply(username).orElseThrow(this::invalidCredentials);
        }
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
        user = tokenAuthenticated ? tokenOwner : username;
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

    @Override
    public boolean tokenAuthenticated() {
        return tokenAuthenticated && user != null;
    }

    @Override
    public long credentialExpiresAtMs() {
        return tokenAuthenticated ? expiresAtMs : 0;
    }
}
