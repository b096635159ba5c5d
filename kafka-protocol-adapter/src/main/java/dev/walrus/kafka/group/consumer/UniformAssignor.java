package dev.walrus.kafka.group.consumer;

import org.apache.kafka.common.Uuid;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * {@code uniform}, the default server assignor: spreads partitions so that member counts differ by at most one among
 * members that could take them, and keeps every partition where it was whenever balance allows (sticky), so a
 * rebalance moves as few partitions as possible.
 *
 * <p>Three passes: keep previous owners up to the fair share, hand out the rest to the least loaded eligible member,
 * then move partitions from a member with two more than an eligible peer until no such pair is left.
 */
public final class UniformAssignor implements ServerAssignor {

    private record TopicPartition(Uuid topic, int partition) {}

    @Override
    public String name() {
        return "uniform";
    }

    @Override
    public Map<String, Map<Uuid, Set<Integer>>> assign(SortedMap<String, Set<Uuid>> subscriptions,
                                                      Map<Uuid, Integer> partitionCounts,
                                                      Map<String, Map<Uuid, Set<Integer>>> previous) {
        Map<String, Map<Uuid, Set<Integer>>> result = new HashMap<>();
        Map<String, Integer> load = new HashMap<>();
        for (String member : subscriptions.keySet()) {
            result.put(member, new HashMap<>());
            load.put(member, 0);
        }
        if (subscriptions.isEmpty()) {
            return result;
        }
        List<TopicPartition> all = new ArrayList<>();
        partitionCounts.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(Uuid::toString)))
                .forEach(e -> {
                    boolean subscribed = subscriptions.values().stream().anyMatch(s -> s.contains(e.getKey()));
                    if (subscribed) {
                        for (int p = 0; p < e.getValue(); p++) {
                            all.add(new TopicPartition(e.getKey(), p));
                        }
                    }
                });
        int fairShare = (all.size() + subscriptions.size() - 1) / subscriptions.size();
        Map<TopicPartition, String> owner = new HashMap<>();

        // 1. Stickiness: previous owners keep what they still subscribe to, up to the fair share.
        for (Map.Entry<String, Set<Uuid>> e : subscriptions.entrySet()) {
            String member = e.getKey();
            Map<Uuid, Set<Integer>> before = previous.getOrDefault(member, Map.of());
            for (TopicPartition tp : all) {
                if (load.get(member) >= fairShare) {
                    break;
                }
                if (e.getValue().contains(tp.topic()) && Assignment.contains(before, tp.topic(), tp.partition())
                        && !owner.containsKey(tp)) {
                    owner.put(tp, member);
                    load.merge(member, 1, Integer::sum);
                }
            }
        }
        // 2. The rest go to the least loaded member that subscribes to the topic.
        for (TopicPartition tp : all) {
            if (owner.containsKey(tp)) {
                continue;
            }
            String best = leastLoaded(subscriptions, load, tp.topic(), null);
            if (best != null) {
                owner.put(tp, best);
                load.merge(best, 1, Integer::sum);
            }
        }
        // 3. Balance: move a partition while its owner has at least two more than an eligible peer.
        boolean moved = true;
        int rounds = 0;
        while (moved && rounds++ < all.size() * 2 + 10) {
            moved = false;
            for (TopicPartition tp : all) {
                String current = owner.get(tp);
                if (current == null) {
                    continue;
                }
                String candidate = leastLoaded(subscriptions, load, tp.topic(), current);
                if (candidate != null && load.get(current) > load.get(candidate) + 1) {
                    owner.put(tp, candidate);
                    load.merge(current, -1, Integer::sum);
                    load.merge(candidate, 1, Integer::sum);
                    moved = true;
                }
            }
        }
        owner.forEach((tp, member) -> Assignment.add(result.get(member), tp.topic(), tp.partition()));
        return result;
    }

    private static String leastLoaded(SortedMap<String, Set<Uuid>> subscriptions, Map<String, Integer> load, Uuid topic,
                                      String except) {
        String best = null;
        for (Map.Entry<String, Set<Uuid>> e : subscriptions.entrySet()) {
            if (e.getKey().equals(except) || !e.getValue().contains(topic)) {
                continue;
            }
            if (best == null || load.get(e.getKey()) < load.get(best)) {
                best = e.getKey();
            }
        }
        return best;
    }
}
