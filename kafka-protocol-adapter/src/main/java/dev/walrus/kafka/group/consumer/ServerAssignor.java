package dev.walrus.kafka.group.consumer;

import org.apache.kafka.common.Uuid;

import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/** A server-side assignor of the consumer protocol (KIP-848): members' subscriptions in, target assignment out. */
public interface ServerAssignor {

    String name();

    /**
     * @param subscriptions each member's subscribed topics that exist, by member id in a stable order
     * @param partitionCounts the partition count of every subscribed topic
     * @param previous the previous target assignment, which an assignor may keep where it can (stickiness)
     * @return the new target assignment: an entry for every member, possibly empty
     */
    Map<String, Map<Uuid, Set<Integer>>> assign(SortedMap<String, Set<Uuid>> subscriptions,
                                               Map<Uuid, Integer> partitionCounts,
                                               Map<String, Map<Uuid, Set<Integer>>> previous);
}
