package dev.walrus.kafka.group.consumer;

import dev.walrus.kafka.group.classic.ClassicMember;

import java.util.List;

/**
 * What a consumer-group member that speaks the classic protocol (JoinGroup/SyncGroup/Heartbeat) told us in its last
 * JoinGroup: its session timeout and its protocols (assignor names with their embedded consumer subscription), kept so
 * that its SyncGroup answer can be encoded in the version it speaks and so that a downgrade can rebuild it as a
 * classic member (KIP-848 online migration).
 *
 * @param sessionTimeoutMs the JoinGroup's session timeout: such a member's session, instead of the consumer one
 * @param protocols its protocols, in its order of preference
 */
public record ClassicMetadata(int sessionTimeoutMs, List<ClassicMember.Protocol> protocols) {

    public ClassicMetadata {
        protocols = List.copyOf(protocols);
    }

    /** The protocol the member's JoinGroup and SyncGroup answers name: its most preferred one, as in Kafka. */
    public String protocolName() {
        return protocols.getFirst().name();
    }

    /** The embedded metadata (a ConsumerProtocolSubscription) of its preferred protocol. */
    public byte[] preferredMetadata() {
        return protocols.getFirst().metadata();
    }

    public boolean supports(String name) {
        return protocols.stream().anyMatch(p -> p.name().equals(name));
    }
}
