package dev.walrus.kafka.security;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SASL/OAUTHBEARER's first message and Kafka's unsecured token checks, at a fixed time. */
class OAuthBearerExchangeTest {

    private static final long NOW = 1_800_000_000_000L;

    private static OAuthBearerExchange exchange(OAuthBearerSettings.Unsecured settings) {
        return new OAuthBearerExchange(new UnsecuredTokenValidator(settings, () -> NOW));
    }

    private static String token(String claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".";
    }

    private static byte[] firstMessage(String authzid, String token) {
        return ("n," + (authzid.isEmpty() ? "" : "a=" + authzid) + ",\u0001auth=Bearer " + token + "\u0001\u0001")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldAuthenticateTheSubjectOfAValidToken() {
        OAuthBearerExchange exchange = exchange(OAuthBearerSettings.DEFAULTS);
        byte[] answer = exchange.evaluate(firstMessage("", token("{\"sub\":\"alice\",\"iat\":1799999999,\"exp\":1800000100}")));
        assertThat(answer).isEmpty();
        assertThat(exchange.isComplete()).isTrue();
        assertThat(exchange.user()).isEqualTo("alice");
    }

    @Test
    void shouldAnswerAnExpiredTokenWithKafkasErrorAndFailOnTheClientsAcknowledgement() {
        OAuthBearerExchange exchange = exchange(OAuthBearerSettings.DEFAULTS);
        byte[] answer = exchange.evaluate(firstMessage("", token("{\"sub\":\"alice\",\"exp\":1799999999}")));
        assertThat(new String(answer, StandardCharsets.UTF_8)).isEqualTo("{\"status\":\"invalid_token\"}");
        assertThat(exchange.isComplete()).isFalse();
        assertThatThrownBy(() -> exchange.evaluate(new byte[] {1}))
                .isInstanceOf(AuthenticationFailedException.class).hasMessage("{\"status\":\"invalid_token\"}");
    }

    @Test
    void shouldRefuseTokensKafkaRefuses() {
        for (String claims : List.of("{\"exp\":1800000100}", "{\"sub\":\"\",\"exp\":1800000100}",
                "{\"sub\":\"alice\"}", "{\"sub\":\"alice\",\"iat\":1800000050,\"exp\":1800000100}", "not json")) {
            OAuthBearerExchange exchange = exchange(OAuthBearerSettings.DEFAULTS);
            assertThat(new String(exchange.evaluate(firstMessage("", token(claims))), StandardCharsets.UTF_8))
                    .as(claims).isEqualTo("{\"status\":\"invalid_token\"}");
        }
        OAuthBearerExchange signed = exchange(OAuthBearerSettings.DEFAULTS);
        assertThat(new String(signed.evaluate(firstMessage("", token("{\"sub\":\"a\",\"exp\":1800000100}") + "c2ln")),
                StandardCharsets.UTF_8)).isEqualTo("{\"status\":\"invalid_token\"}");
    }

    @Test
    void shouldAllowTheConfiguredClockSkewAndRequireTheConfiguredScope() {
        OAuthBearerSettings.Unsecured settings = new OAuthBearerSettings.Unsecured("sub", "scope", List.of("kafka"), 5_000);
        assertThat(exchange(settings).evaluate(firstMessage("",
                token("{\"sub\":\"a\",\"exp\":1799999998,\"scope\":\"kafka read\"}")))).isEmpty();
        assertThat(new String(exchange(settings).evaluate(firstMessage("",
                token("{\"sub\":\"a\",\"exp\":1800000100,\"scope\":[\"read\"]}"))), StandardCharsets.UTF_8))
                .isEqualTo("{\"status\":\"insufficient_scope\", \"scope\":\"[kafka]\"}");
    }

    @Test
    void shouldRefuseAnAuthorizationIdOtherThanTheSubjectAndAMalformedMessage() {
        assertThatThrownBy(() -> exchange(OAuthBearerSettings.DEFAULTS).evaluate(
                firstMessage("bob", token("{\"sub\":\"alice\",\"exp\":1800000100}"))))
                .isInstanceOf(AuthenticationFailedException.class)
                .hasMessage("Authentication failed: Client requested an authorization id (bob) that is different from "
                        + "the token's principal name (alice)");
        assertThatThrownBy(() -> exchange(OAuthBearerSettings.DEFAULTS).evaluate(
                "n,,\u0001auth=Basic abc\u0001\u0001".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(AuthenticationFailedException.class)
                .hasMessage("Authentication failed during authentication due to invalid credentials with SASL mechanism OAUTHBEARER");
    }
}
