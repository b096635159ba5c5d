package dev.walrus.kafka.security;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.UnresolvableKeyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.Key;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Kafka's broker-side check of a token signed by an identity provider ({@code BrokerJwtValidator}): a JWS whose
 * signature one of the provider's keys verifies (never {@code alg: none}), with {@code exp} and {@code iat} required,
 * the expected audience and issuer, then Kafka's claim rules: the subject claim a non-blank string, each scope
 * non-blank and named once, {@code exp} and {@code iat} not negative. Any failure is logged at WARN with the reason and
 * answered {@code {"status":"invalid_token"}}, as Kafka's validator callback handler answers it.
 */
final class SignedTokenValidator implements TokenValidator {

    private static final Logger LOG = LoggerFactory.getLogger(SignedTokenValidator.class);

    private final SignedTokenSettings settings;
    private final JwksKeys keys;
    private final LongSupplier clock;

    SignedTokenValidator(SignedTokenSettings settings, JwksKeys keys, LongSupplier clock) {
        this.settings = settings;
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    public Outcome check(String token) {
        JwtClaims claims;
        try {
            claims = consumer().processToClaims(token);
        } catch (InvalidJwtException e) {
            LOG.warn("Could not validate the access token: {}", e.getMessage());
            return Outcome.invalidToken();
        }
        try {
            String subject = claims.getStringClaimValue(settings.subClaim());
            NumericDate expiration = claims.getExpirationTime();
            NumericDate issuedAt = claims.getIssuedAt();
            String failure = subject == null || subject.isBlank() ? settings.subClaim() + " value must be a non-blank string"
                    : expiration.getValueInMillis() < 0 ? "exp value must be non-negative"
                    : issuedAt != null && issuedAt.getValueInMillis() < 0 ? "iat value must be null or non-negative"
                    : scopeProblem(claims.getClaimValue(settings.scopeClaim()));
            if (failure != null) {
                LOG.warn("Could not validate the access token: {}", failure);
                return Outcome.invalidToken();
            }
            return Outcome.valid(subject.trim(), expiration.getValueInMillis());
        } catch (MalformedClaimException e) {
            LOG.warn("Could not extract a claim from the access token: {}", e.getMessage());
            return Outcome.invalidToken();
        }
    }

    /** Kafka's scope rule: a string is one scope, a list is several; each non-blank, none twice. */
    private String scopeProblem(Object scope) {
        Collection<?> scopes = scope instanceof String single ? List.of(single)
                : scope instanceof Collection<?> many ? many : List.of();
        Set<String> seen = new HashSet<>();
        for (Object item : scopes) {
            if (!(item instanceof String s) || s.isBlank()) {
                return settings.scopeClaim() + " values must be non-blank strings";
            }
            if (!seen.add(s.trim())) {
                return settings.scopeClaim() + " value must not contain duplicates - " + s.trim() + " already present";
            }
        }
        return null;
    }

    /** Built per check so that the evaluation time is the clock's (tests pin it). */
    private JwtConsumer consumer() {
        JwtConsumerBuilder builder = new JwtConsumerBuilder()
                .setEvaluationTime(NumericDate.fromMilliseconds(clock.getAsLong()))
                .setAllowedClockSkewInSeconds(settings.clockSkewSeconds())
                .setJwsAlgorithmConstraints(AlgorithmConstraints.DISALLOW_NONE)
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setVerificationKeyResolver(new KnownKeys());
        if (settings.expectedAudiences().isEmpty()) {
            builder.setSkipDefaultAudienceValidation();   // allowed only with sasl.oauthbearer.allow.unverified.audience
        } else {
            builder.setExpectedAudience(settings.expectedAudiences().toArray(String[]::new));
        }
        if (settings.expectedIssuer() != null) {
            builder.setExpectedIssuer(settings.expectedIssuer());
        }
        return builder.build();
    }

    /** Picks the verifying key among those last fetched; an unknown key id asks for an early fetch. */
    private final class KnownKeys implements VerificationKeyResolver {
        @Override
        public Key resolveKey(JsonWebSignature jws, List<JsonWebStructure> nestingContext) throws UnresolvableKeyException {
            List<JsonWebKey> known = keys.current();
            try {
                return new JwksVerificationKeyResolver(known).resolveKey(jws, nestingContext);
            } catch (UnresolvableKeyException e) {
                keys.missingKey(jws.getKeyIdHeaderValue());
                throw e;
            }
        }
    }
}
