package dev.walrus.compat.security;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * A small OAuth identity provider on 127.0.0.1 for the OAUTHBEARER tests: a token endpoint for the client
 * credentials grant (RFC 6749 4.4: HTTP Basic client id and secret, {@code grant_type=client_credentials}), which
 * answers an RS256-signed JWT whose {@code sub} is the client id, and a JWKS endpoint publishing its public key.
 * Clients it knows get tokens for the audience they are registered with; it can rotate its signing key.
 */
final class TestIdentityProvider implements AutoCloseable {

    static final String AUDIENCE = "walrus-compat";

    private final HttpServer server;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final AtomicInteger keyFetches = new AtomicInteger();
    private volatile RsaJsonWebKey signingKey;
    private volatile RsaJsonWebKey forgeryKey;

    private record Client(String secret, String audience, boolean forged) {}

    TestIdentityProvider() throws IOException, JoseException {
        signingKey = newKey("key-1");
        forgeryKey = newKey("key-1");   // the same key id as the real one, a different key: a forged signature
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::token);
        server.createContext("/jwks", this::jwks);
        server.start();
    }

    /** A client whose tokens carry {@code audience}; {@code forged}: signed with a key the provider never published. */
    TestIdentityProvider register(String clientId, String secret, String audience, boolean forged) {
        clients.put(clientId, new Client(secret, audience, forged));
        return this;
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String tokenUrl() {
        return issuer() + "/token";
    }

    String jwksUrl() {
        return issuer() + "/jwks";
    }

    /** How many times the JWKS was fetched. */
    int keyFetches() {
        return keyFetches.get();
    }

    /** Signs from now on with a new key (a new key id), published in place of the old one. */
    void rotateKey() throws JoseException {
        signingKey = newKey("key-" + System.nanoTime());
    }

    /** The Java client's keys to log in as {@code clientId} through this provider over SASL_PLAINTEXT. */
    Map<String, String> clientSettings(String clientId, String secret) {
        return new java.util.HashMap<>(Map.of(
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "OAUTHBEARER",
                "sasl.login.callback.handler.class",
                "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler",
                "sasl.oauthbearer.token.endpoint.url", tokenUrl(),
                "sasl.oauthbearer.client.credentials.client.id", clientId,
                "sasl.oauthbearer.client.credentials.client.secret", secret,
                "sasl.jaas.config", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required ;"));
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String[] idAndSecret = basicCredentials(exchange.getRequestHeaders().getFirst("Authorization"));
            Client client = idAndSecret == null ? null : clients.get(idAndSecret[0]);
            if (!body.contains("grant_type=client_credentials") || client == null || !client.secret().equals(idAndSecret[1])) {
                respond(exchange, 401, "{\"error\":\"invalid_client\"}");
                return;
            }
            String jwt = sign(idAndSecret[0], client);
            respond(exchange, 200, "{\"access_token\":\"" + jwt + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
        } catch (JoseException e) {
            throw new IOException(e);
        }
    }

    private void jwks(HttpExchange exchange) throws IOException {
        try (exchange) {
            keyFetches.incrementAndGet();
            respond(exchange, 200, new JsonWebKeySet(List.of(signingKey)).toJson());
        }
    }

    private String sign(String subject, Client client) throws JoseException {
        JwtClaims claims = new JwtClaims();
        claims.setSubject(subject);
        claims.setAudience(client.audience());
        claims.setIssuer(issuer());
        claims.setIssuedAtToNow();
        claims.setExpirationTime(NumericDate.fromMilliseconds(System.currentTimeMillis() + 3_600_000));
        claims.setStringClaim("scope", "kafka");
        RsaJsonWebKey key = client.forged() ? forgeryKey : signingKey;
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    private static String[] basicCredentials(String header) {
        if (header == null || !header.startsWith("Basic ")) {
            return null;
        }
        String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static RsaJsonWebKey newKey(String keyId) throws JoseException {
        RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
        key.setKeyId(keyId);
        return key;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
