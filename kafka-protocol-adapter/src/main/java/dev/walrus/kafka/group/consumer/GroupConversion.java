package dev.walrus.kafka.group.consumer;

import dev.walrus.kafka.group.classic.ClassicGroup;
import dev.walrus.kafka.group.classic.ClassicMember;
import dev.walrus.kafka.metadata.Topics;
import org.apache.kafka.common.Uuid;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds one kind of group from the other for the KIP-848 online migration, keeping what the members hold: an
 * upgrade keeps each classic member's last assignment as its partitions and target at an epoch equal to the classic
 * generation; a downgrade hands each classic member its target assignment as a classic assignment at a generation
 * equal to the group epoch. Policy checks are the caller's.
 */
public final class GroupConversion {

    private GroupConversion() {}

    /**
     * A consumer group holding the classic group's members, all Stable at the generation, each owning and targeted
     * at its last classic assignment, each keeping its classic session timeout and protocols.
     *
     * @throws IllegalArgumentException when a member's embedded consumer protocol cannot be read, or its assignment
     *     carries user data of a custom assignor (which the server assignors would lose)
     */
    public static ConsumerGroup fromClassic(ClassicGroup classic, Topics topics) {
        int generation = classic.generationId();
        List<ConsumerMember> members = new ArrayList<>();
        Map<String, Map<Uuid, Set<Integer>>> target = new HashMap<>();
        for (ClassicMember cm : classic.members()) {
            // During the first rebalance no protocol is selected yet: the member's preferred one describes it.
            byte[] metadata = classic.protocolName() != null ? cm.metadataFor(classic.protocolName()) : null;
            if (metadata == null) {
                metadata = cm.protocols().getFirst().metadata();
            }
            EmbeddedConsumerProtocol.Subscription subscription;
            Map<Uuid, Set<Integer>> assigned;
            try {
                subscription = EmbeddedConsumerProtocol.subscription(metadata, topics);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("malformed embedded consumer protocol: " + e.getMessage(), e);
            }
            assigned = EmbeddedConsumerProtocol.assignment(cm.assignment(), topics);
            Map<Uuid, Map<Integer, Integer>> epochs = new HashMap<>();
            assigned.forEach((t, ps) -> ps.forEach(p -> epochs.computeIfAbsent(t, k -> new HashMap<>()).put(p, generation)));
            ConsumerMember m = ConsumerMember.restore(cm.memberId(), cm.groupInstanceId(), subscription.rackId(),
                    cm.clientId(), cm.clientHost(), cm.rebalanceTimeoutMs(), subscription.topics(), null, null,
                    generation, generation, MemberState.STABLE, assigned, Map.of(), epochs);
            m.classic = new ClassicMetadata(cm.sessionTimeoutMs(), cm.protocols());
            members.add(m);
            target.put(cm.memberId(), assigned);
        }
        return ConsumerGroup.restore(classic.groupId(), generation, generation, "", members, target);
    }

    /**
     * A Stable classic group of the consumer group's members but the leaving ones (all classic), at a generation
     * equal to the group epoch, each holding its target assignment encoded for the protocol the group selects.
     */
    public static ClassicGroup toClassic(ConsumerGroup group, Set<String> leaving, Topics topics) {
        List<ClassicMember> members = new ArrayList<>();
        for (ConsumerMember m : group.members()) {
            if (leaving.contains(m.memberId())) {
                continue;
            }
            ClassicMetadata c = m.classic;
            members.add(new ClassicMember(m.memberId(), m.instanceId, m.clientId, m.clientHost, m.rebalanceTimeoutMs,
                    c.sessionTimeoutMs(), c.protocols()));
        }
        return ClassicGroup.downgraded(group.groupId(), group.groupEpoch, members, (member, protocolName) ->
                EmbeddedConsumerProtocol.encodeAssignment(group.targetOf(member.memberId()), topics,
                        member.metadataFor(protocolName)));
    }
}
