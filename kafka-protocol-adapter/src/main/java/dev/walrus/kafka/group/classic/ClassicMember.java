package dev.walrus.kafka.group.classic;

import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One member of a classic group. Owned by the group thread (all fields are read and written there only).
 */
public final class ClassicMember {

    /** One protocol a member supports, in its order of preference. */
    public record Protocol(String name, byte[] metadata) {
        boolean sameAs(Protocol other) {
            return name.equals(other.name) && Arrays.equals(metadata, other.metadata);
        }
    }

    private final String memberId;
    private final String groupInstanceId;
    private String clientId;
    private String clientHost;
    private int rebalanceTimeoutMs;
    private int sessionTimeoutMs;
    private List<Protocol> protocols;
    private byte[] assignment = new byte[0];

    private CompletableFuture<JoinGroupResponseData> awaitingJoin;
    private short joinVersion;
    private CompletableFuture<SyncGroupResponseData> awaitingSync;
    private boolean isNew;
    private long heartbeatDeadlineMs;
    private boolean expiryArmed;

    public ClassicMember(String memberId, String groupInstanceId, String clientId, String clientHost,
                         int rebalanceTimeoutMs, int sessionTimeoutMs, List<Protocol> protocols) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.protocols = List.copyOf(protocols);
    }

    /** A copy under a new member id: a static member that rejoined with an unknown member id replaces its old self. */
    ClassicMember withMemberId(String newMemberId) {
        ClassicMember copy = new ClassicMember(newMemberId, groupInstanceId, clientId, clientHost, rebalanceTimeoutMs,
                sessionTimeoutMs, protocols);
        copy.assignment = assignment;
        return copy;
    }

    public String memberId() { return memberId; }

    public String groupInstanceId() { return groupInstanceId; }

    public boolean isStatic() { return groupInstanceId != null; }

    public String clientId() { return clientId; }

    public String clientHost() { return clientHost; }

    public int rebalanceTimeoutMs() { return rebalanceTimeoutMs; }

    public int sessionTimeoutMs() { return sessionTimeoutMs; }

    public List<Protocol> protocols() { return protocols; }

    public byte[] assignment() { return assignment; }

    void assignment(byte[] assignment) { this.assignment = assignment == null ? new byte[0] : assignment; }

    void update(String clientId, String clientHost, int rebalanceTimeoutMs, int sessionTimeoutMs, List<Protocol> protocols) {
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.protocols = List.copyOf(protocols);
    }

    /** The metadata this member sent for a protocol, or null if it does not support it. */
    public byte[] metadataFor(String protocolName) {
        for (Protocol p : protocols) {
            if (p.name().equals(protocolName)) {
                return p.metadata();
            }
        }
        return null;
    }

    boolean supports(String protocolName) {
        return metadataFor(protocolName) != null;
    }

    boolean sameProtocols(List<Protocol> other) {
        if (other.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < other.size(); i++) {
            if (!protocols.get(i).sameAs(other.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The first protocol in this member's order of preference that every member supports. */
    String vote(List<String> candidates) {
        for (Protocol p : protocols) {
            if (candidates.contains(p.name())) {
                return p.name();
            }
        }
        throw new IllegalStateException("member " + memberId + " supports none of " + candidates);
    }

    boolean isAwaitingJoin() { return awaitingJoin != null; }

    void awaitJoin(CompletableFuture<JoinGroupResponseData> future, short version) {
        this.awaitingJoin = future;
        this.joinVersion = version;
    }

    short joinVersion() { return joinVersion; }

    /** Completes the pending JoinGroup response, if any; returns whether there was one. */
    boolean completeJoin(JoinGroupResponseData response) {
        CompletableFuture<JoinGroupResponseData> f = awaitingJoin;
        awaitingJoin = null;
        if (f != null) {
            f.complete(response);
            return true;
        }
        return false;
    }

    boolean isAwaitingSync() { return awaitingSync != null; }

    void awaitSync(CompletableFuture<SyncGroupResponseData> future) { this.awaitingSync = future; }

    boolean completeSync(SyncGroupResponseData response) {
        CompletableFuture<SyncGroupResponseData> f = awaitingSync;
        awaitingSync = null;
        if (f != null) {
            f.complete(response);
            return true;
        }
        return false;
    }

    boolean isNew() { return isNew; }

    void isNew(boolean value) { this.isNew = value; }

    long heartbeatDeadlineMs() { return heartbeatDeadlineMs; }

    void heartbeatDeadlineMs(long deadline) { this.heartbeatDeadlineMs = deadline; }

    boolean expiryArmed() { return expiryArmed; }

    void expiryArmed(boolean armed) { this.expiryArmed = armed; }
}
