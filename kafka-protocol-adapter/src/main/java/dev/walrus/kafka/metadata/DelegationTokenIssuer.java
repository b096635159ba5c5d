package dev.walrus.kafka.metadata;

import dev.walrus.kafka.config.BrokerSettings;
import dev.walrus.kafka.security.DelegationToken;
import dev.walrus.kafka.security.DelegationTokens;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

import java.util.List;
import java.util.Optional;

/**
 * The rules of Kafka's controller for delegation tokens (KIP-48): what a token gets when it is created, renewed or
 * expired, each change logged in the metadata log (the caller answers once it is durable). Lifetimes come from
 * {@code delegation.token.max.lifetime.ms} (the longest a token lives) and {@code delegation.token.expiry.time.ms}
 * (how long until it must be renewed); a request may only ask for less.
 */
public final class DelegationTokenIssuer {

    /** A change's outcome: NONE with the token as it now is (its expiry for renew and expire), or the error. */
    public record Result(Errors error, DelegationToken token, long expiryMs) {
        static Result failed(Errors error) {
            return new Result(error, null, -1);
        }
    }

    private final TopicRegistry registry;
    private final BrokerSettings settings;

    public DelegationTokenIssuer(TopicRegistry registry, BrokerSettings settings) {
        this.registry = registry;
        this.settings = settings;
    }

    public DelegationTokens tokens() {
        return registry.delegationTokens();
    }

    /** A new token for {@code owner} (a principal string), asked for by {@code requester}. */
    public Result create(String owner, String requester, List<String> renewers, long requestedMaxLifetimeMs, long nowMs) {
        if (!tokens().enabled()) {
            return Result.failed(Errors.DELEGATION_TOKEN_AUTH_DISABLED);
        }
        long maxLifetime = settings.getLong("delegation.token.max.lifetime.ms");
        if (requestedMaxLifetimeMs > 0) {
            maxLifetime = Math.min(maxLifetime, requestedMaxLifetimeMs);
        }
        long maxMs = plus(nowMs, maxLifetime);
        long expiryMs = Math.min(maxMs, plus(nowMs, settings.getLong("delegation.token.expiry.time.ms")));
        DelegationToken token = new DelegationToken(Uuid.randomUuid().toString(), owner, requester, renewers, nowMs,
                maxMs, expiryMs);
        registry.putDelegationToken(token);
        return new Result(Errors.NONE, token, expiryMs);
    }

    /** Pushes the expiry of the token with this HMAC out by the renew period (at most the configured one). */
    public Result renew(String principal, byte[] hmac, long renewPeriodMs, long nowMs) {
        Result found = find(hmac);
        if (found.error() != Errors.NONE) {
            return found;
        }
        DelegationToken token = found.token();
        if (token.expired(nowMs)) {
            return Result.failed(Errors.DELEGATION_TOKEN_EXPIRED);
        }
        if (!token.ownerOrRenewer(principal)) {
            return Result.failed(Errors.DELEGATION_TOKEN_OWNER_MISMATCH);
        }
        long renewLifetime = settings.getLong("delegation.token.expiry.time.ms");
        if (renewPeriodMs > 0) {
            renewLifetime = Math.min(renewLifetime, renewPeriodMs);
        }
        DelegationToken renewed = token.withExpiry(Math.min(token.maxMs(), plus(nowMs, renewLifetime)));
        registry.putDelegationToken(renewed);
        return new Result(Errors.NONE, renewed, renewed.expiryMs());
    }

    /** Expires the token with this HMAC now (a negative period, which removes it) or after the period. */
    public Result expire(String principal, byte[] hmac, long expiryPeriodMs, long nowMs) {
        Result found = find(hmac);
        if (found.error() != Errors.NONE) {
            return found;
        }
        DelegationToken token = found.token();
        if (!token.ownerOrRenewer(principal)) {
            return Result.failed(Errors.DELEGATION_TOKEN_OWNER_MISMATCH);
        }
        if (expiryPeriodMs < 0) {
            registry.removeDelegationToken(token.tokenId());
            return new Result(Errors.NONE, token, nowMs);
        }
        if (token.expired(nowMs)) {
            return Result.failed(Errors.DELEGATION_TOKEN_EXPIRED);
        }
        DelegationToken shortened = token.withExpiry(Math.min(token.maxMs(), plus(nowMs, expiryPeriodMs)));
        registry.putDelegationToken(shortened);
        return new Result(Errors.NONE, shortened, shortened.expiryMs());
    }

    /** The token with this HMAC, or DELEGATION_TOKEN_AUTH_DISABLED / DELEGATION_TOKEN_NOT_FOUND. */
    private Result find(byte[] hmac) {
        if (!tokens().enabled()) {
            return Result.failed(Errors.DELEGATION_TOKEN_AUTH_DISABLED);
        }
        Optional<DelegationToken> found = tokens().byHmac(hmac);
        return found.map(token -> new Result(Errors.NONE, token, token.expiryMs()))
                .orElseGet(() -> Result.failed(Errors.DELEGATION_TOKEN_NOT_FOUND));
    }

    /** Removes every token past its expiry or its end, as Kafka's controller does on its expiry check interval. */
    public int sweepExpired(long nowMs) {
        int removed = 0;
        for (DelegationToken token : tokens().all()) {
            if (token.expired(nowMs)) {
                registry.removeDelegationToken(token.tokenId());
                removed++;
            }
        }
        return removed;
    }

    private static long plus(long now, long duration) {
        return now > Long.MAX_VALUE - duration ? Long.MAX_VALUE : now + duration;
    }
}
