package dev.walrus.kafka.group.consumer;

import org.apache.kafka.common.Uuid;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * {@code range}: per topic, the subscribed members in member-id order each take a contiguous range of partitions,
 * the first {@code partitions % members} one more. Members subscribed to co-partitioned topics get the same
 * partition numbers of each, which is what joins over co-partitioned topics need.
 */
public final class RangeAssignor implements ServerAssignor {

    @Override
    public String name() {
        return "range";
    }

    @Override
    public Map<String, Map<Uuid, Set<Integer>>> assign(SortedMap<String, Set<Uuid>> subscriptions,
                                                      Map<Uuid, Integer> partitionCounts,
                                                      Map<String, Map<Uuid, Set<Integer>>> previous) {
        Map<String, Map<Uuid, Set<Integer>>> result = new HashMap<>();
        for (String member : subscriptions.keySet()) {
            result.put(member, new HashMap<>());
        }
        for (Map.Entry<Uuid, Integer> topic : partitionCounts.entrySet()) {
            List<String> subscribers = new ArrayList<>();
            subscriptions.forEach((member, topics) -> {
                if (topics.contains(topic.getKey())) {
                    subscribers.add(member);
                }
            });
            if (subscribers.isEmpty()) {
                continue;
            }
            int partitions = topic.getValue();
            int base = partitions / subscribers.size();
            int extra = partitions % subscribers.size();
            int next = 0;
            for (int i = 0; i < subscribers.size(); i++) {
                int count = base + (i < extra ? 1 : 0);
                for (int p = next; p < next + count; p++) {
                    Assignment.add(result.get(subscribers.get(i)), topic.getKey(), p);
                }
                next += count;
            }
        }
        return result;
    }
}
