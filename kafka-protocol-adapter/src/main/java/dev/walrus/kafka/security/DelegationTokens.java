package dev.walrus.kafka.security;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The delegation tokens in force (KIP-48), by id and by HMAC, with the SCRAM credentials a client authenticates
 * with: user name the token id, password the HMAC in base64, derived for each SCRAM mechanism with 4096 iterations as
 * Kafka derives them. The HMAC is HmacSHA512 of the id under {@code delegation.token.secret.key}; without that key
 * tokens are disabled, as in Kafka. The metadata log holds the changes; this is the state they leave.
 *
 * <p>Threading: written by the metadata registry under its lock, read by any thread.
 */
public final class DelegationTokens {

    /** Kafka's iteration count for tokens' SCRAM credentials (its minimum). */
    private static final int ITERATIONS = ScramMechanism.MIN_ITERATIONS;

    private record Entry(DelegationToken token, String hmacBase64, Map<ScramMechanism, ScramCredential> credentials) {}

    private final SecretKeySpec secretKey;
    private final Map<String, Entry> byId = new ConcurrentHashMap<>();
    private final Map<String, String> idByHmac = new ConcurrentHashMap<>();

    /** @param secretKey {@code delegation.token.secret.key}; null or empty: tokens disabled */
    public DelegationTokens(String secretKey) {
        this.secretKey = secretKey == null || secretKey.isEmpty() ? null
                : new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA512");
    }

    public boolean enabled() {
        return secretKey != null;
    }

    /** HmacSHA512 of the token id under the secret key. */
    public byte[] hmac(String tokenId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(secretKey);
            return mac.doFinal(tokenId.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot compute a delegation token's HMAC", e);
        }
    }

    public Optional<DelegationToken> byHmac(byte[] hmac) {
        String id = idByHmac.get(Base64.getEncoder().encodeToString(hmac));
        return id == null ? Optional.empty() : get(id);
    }

    public Optional<DelegationToken> get(String tokenId) {
        Entry entry = byId.get(tokenId);
        return entry == null ? Optional.empty() : Optional.of(entry.token());
    }

    /** The SCRAM credential of a token for {@code mechanism}, if the token exists. */
    public Optional<ScramCredential> credential(String tokenId, ScramMechanism mechanism) {
        Entry entry = byId.get(tokenId);
        return entry == null ? Optional.empty() : Optional.of(entry.credentials().get(mechanism));
    }

    public List<DelegationToken> all() {
        List<DelegationToken> tokens = new ArrayList<>();
        byId.values().forEach(e -> tokens.add(e.token()));
        tokens.sort(java.util.Comparator.comparingLong(DelegationToken::issueMs).thenComparing(DelegationToken::tokenId));
        return tokens;
    }

    /** A new token, or a renewed or shortened one (its credentials stay: they depend on the id alone). */
    public void put(DelegationToken token) {
        if (!enabled()) {
            return;   // the key was removed since the token was made: without it the token cannot be used
        }
        Entry existing = byId.get(token.tokenId());
        if (existing != null) {
            byId.put(token.tokenId(), new Entry(token, existing.hmacBase64(), existing.credentials()));
            return;
        }
        String hmac = Base64.getEncoder().encodeToString(hmac(token.tokenId()));
        Map<ScramMechanism, ScramCredential> credentials = new EnumMap<>(ScramMechanism.class);
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            credentials.put(mechanism, mechanism.credentialOf(hmac, ITERATIONS));
        }
        byId.put(token.tokenId(), new Entry(token, hmac, credentials));
        idByHmac.put(hmac, token.tokenId());
    }

    public void remove(String tokenId) {
        Entry removed = byId.remove(tokenId);
        if (removed != null) {
            idByHmac.remove(removed.hmacBase64());
        }
    }
}
