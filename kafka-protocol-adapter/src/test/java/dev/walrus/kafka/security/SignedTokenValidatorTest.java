package dev.walrus.kafka.security;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Kafka's checks of signed OAUTHBEARER tokens, on real RSA signatures and a JWKS file, at a pinned time: the
 * settings' refusals with Kafka's messages, then each rule a token must pass.
 */
class SignedTokenValidatorTest {

    private static final long NOW = 1_800_000_000_000L;
    private static final String PREFIX = "listener.name.sasl_plaintext.oauthbearer.";

    @TempDir
    Path dir;
    private Path jwksFile;
    private RsaJsonWebKey signingKey;
    private String previousAllowedUrls;
    private JwksKeys keys;

    @BeforeEach
    void writeTheProvidersKeys() throws Exception {
        signingKey = newKey("key-1");
        jwksFile = dir.resolve("jwks.json");
        publish(signingKey);
        previousAllowedUrls = System.getProperty(SignedTokenSettings.ALLOWED_URLS);
        System.setProperty(SignedTokenSettings.ALLOWED_URLS, jwksFile.toUri().toString());
    }

    @AfterEach
    void restore() {
        if (keys != null) {
            keys.close();
        }
        if (previousAllowedUrls == null) {
            System.clearProperty(SignedTokenSettings.ALLOWED_URLS);
        } else {
            System.setProperty(SignedTokenSettings.ALLOWED_URLS, previousAllowedUrls);
        }
    }

    @Test
    void shouldAcceptATokenSignedByAPublishedKeyForThisAudienceAndIssuer() throws Exception {
        TokenValidator.Outcome outcome = validator().check(sign(signingKey, claims -> {}));
        assertThat(outcome.isValid()).isTrue();
        assertThat(outcome.principal()).isEqualTo("alice");
        assertThat(outcome.expiresAtMs()).isEqualTo(NOW + 600_000);
    }

    @Test
    void shouldRefuseTokensThatFailAnyRule() throws Exception {
        SignedTokenValidator validator = validator();
        Map<String, String> refused = new HashMap<>();
        refused.put("another audience", sign(signingKey, c -> c.setAudience("elsewhere")));
        refused.put("another issuer", sign(signingKey, c -> c.setIssuer("https://other-idp")));
        refused.put("expired", sign(signingKey, c -> c.setExpirationTime(NumericDate.fromMilliseconds(NOW - 60_000))));
        refused.put("no exp", sign(signingKey, c -> c.unsetClaim("exp")));
        refused.put("no iat", sign(signingKey, c -> c.unsetClaim("iat")));
        refused.put("blank subject", sign(signingKey, c -> c.setSubject(" ")));
        refused.put("scope named twice", sign(signingKey, c -> c.setStringListClaim("scope", "kafka", "kafka")));
        refused.put("unknown signer", sign(newKey("key-1"), c -> {}));
        refused.put("unsigned", unsigned());
        refused.put("not a JWT", "abc.def");
        refused.forEach((why, token) -> assertThat(validator.check(token).error())
                .as(why).isEqualTo("{\"status\":\"invalid_token\"}"));
    }

    @Test
    void shouldAllowTheClockSkewAroundExpiry() throws Exception {
        String justExpired = sign(signingKey, c -> {
            c.setIssuedAt(NumericDate.fromMilliseconds(NOW - 60_000));
            c.setExpirationTime(NumericDate.fromMilliseconds(NOW - 10_000));
        });
        assertThat(validator().check(justExpired).isValid()).as("within the default 30 s of skew").isTrue();
    }

    @Test
    void shouldFetchTheKeysAgainWhenATokenNamesAnUnknownKey() throws Exception {
        SignedTokenValidator validator = validator();
        RsaJsonWebKey rotated = newKey("key-2");
        publish(rotated);
        String token = sign(rotated, c -> {});
        assertThat(validator.check(token).isValid()).as("the first token with the new key").isFalse();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!validator.check(token).isValid() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(validator.check(token).isValid()).as("once the early fetch brought the new key").isTrue();
    }

    @Test
    void shouldRefuseSettingsKafkaRefusesWithItsMessages() {
        Map<String, String> noAudience = settings();
        noAudience.remove("sasl.oauthbearer.expected.audience");
        assertThatThrownBy(() -> OAuthBearerSettings.of("SASL_PLAINTEXT", noAudience))
                .hasMessageStartingWith("The OAuth validator for the broker requires \"sasl.oauthbearer.expected.audience\"");
        Map<String, String> noIssuer = settings();
        noIssuer.remove("sasl.oauthbearer.expected.issuer");
        assertThatThrownBy(() -> OAuthBearerSettings.of("SASL_PLAINTEXT", noIssuer))
                .hasMessageStartingWith("The OAuth validator for the broker requires \"sasl.oauthbearer.expected.issuer\"");
        Map<String, String> notAllowed = settings();
        notAllowed.put("sasl.oauthbearer.jwks.endpoint.url", "http://127.0.0.1:1/jwks");
        assertThatThrownBy(() -> OAuthBearerSettings.of("SASL_PLAINTEXT", notAllowed))
                .hasMessage("Invalid value http://127.0.0.1:1/jwks for configuration sasl.oauthbearer.jwks.endpoint.url: "
                        + "The URL cannot be accessed due to restrictions. Update the system property "
                        + "'org.apache.kafka.sasl.oauthbearer.allowed.urls' to allow the URL to be accessed.");
        Map<String, String> wrongProtocol = settings();
        wrongProtocol.put(PREFIX + "sasl.oauthbearer.jwks.endpoint.url", "ftp://idp/jwks");
        assertThatThrownBy(() -> OAuthBearerSettings.of("SASL_PLAINTEXT", wrongProtocol))
                .hasMessageContaining("contains an invalid protocol (ftp)");
        Map<String, String> optedOut = settings();
        optedOut.remove("sasl.oauthbearer.expected.audience");
        optedOut.put("sasl.oauthbearer.allow.unverified.audience", "true");
        assertThat(OAuthBearerSettings.of("SASL_PLAINTEXT", optedOut)).isInstanceOf(SignedTokenSettings.class);
    }

    // ---- fixtures ----------------------------------------------------------------------------------------------

    private Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>();
        settings.put(PREFIX + "sasl.server.callback.handler.class", OAuthBearerSettings.SIGNED_VALIDATOR);
        settings.put("sasl.oauthbearer.jwks.endpoint.url", jwksFile.toUri().toString());
        settings.put("sasl.oauthbearer.expected.audience", "walrus,other-cluster");
        settings.put("sasl.oauthbearer.expected.issuer", "https://idp.example");
        return settings;
    }

    private SignedTokenValidator validator() {
        SignedTokenSettings settings = (SignedTokenSettings) OAuthBearerSettings.of("SASL_PLAINTEXT", settings());
        keys = JwksKeys.start(settings);
        return new SignedTokenValidator(settings, keys, () -> NOW);
    }

    private static RsaJsonWebKey newKey(String keyId) throws JoseException {
        RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
        key.setKeyId(keyId);
        return key;
    }

    private void publish(RsaJsonWebKey key) throws IOException {
        Files.writeString(jwksFile, new JsonWebKeySet(List.of(key)).toJson());
    }

    private static JwtClaims claims() {
        JwtClaims claims = new JwtClaims();
        claims.setSubject("alice");
        claims.setAudience("walrus");
        claims.setIssuer("https://idp.example");
        claims.setIssuedAt(NumericDate.fromMilliseconds(NOW - 1_000));
        claims.setExpirationTime(NumericDate.fromMilliseconds(NOW + 600_000));
        claims.setStringClaim("scope", "kafka");
        return claims;
    }

    private static String sign(RsaJsonWebKey key, Consumer<JwtClaims> change) throws JoseException {
        JwtClaims claims = claims();
        change.accept(claims);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    private static String unsigned() {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\"}".getBytes()) + "." + b64.encodeToString(claims().toJson().getBytes()) + ".";
    }
}
