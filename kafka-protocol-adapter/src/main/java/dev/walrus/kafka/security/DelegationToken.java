package dev.walrus.kafka.security;

import java.util.List;

/**
 * A delegation token (KIP-48) as the broker keeps it: never its HMAC, which the broker's
 * {@code delegation.token.secret.key} recomputes from the id.
 *
 * @param tokenId the random id a client authenticates with as its SCRAM user name
 * @param owner the principal the token acts as ({@code User:alice})
 * @param requester the principal that created it
 * @param renewers the principals besides the owner that may renew or expire it
 * @param issueMs when it was created
 * @param maxMs when it ends whatever renewals come
 * @param expiryMs when it ends unless renewed
 */
public record DelegationToken(String tokenId, String owner, String requester, List<String> renewers, long issueMs,
                              long maxMs, long expiryMs) {

    public DelegationToken {
        renewers = List.copyOf(renewers);
    }

    /** Whether {@code principal} owns the token or is one of its renewers. */
    public boolean ownerOrRenewer(String principal) {
        return owner.equals(principal) || renewers.contains(principal);
    }

    public boolean expired(long nowMs) {
        return maxMs < nowMs || expiryMs < nowMs;
    }

    public DelegationToken withExpiry(long newExpiryMs) {
        return new DelegationToken(tokenId, owner, requester, renewers, issueMs, maxMs, newExpiryMs);
    }
}
