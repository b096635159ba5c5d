package dev.walrus.kafka.share;

import org.apache.kafka.common.Uuid;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The share group assignor {@code simple}, following the rules of Kafka's SimpleAssignor (KIP-932), in our own words:
 *
 * <ul>
 *   <li>Every partition of a subscribed topic is assigned; with more members than partitions a partition is shared by
 *       {@code ceil(members / partitions)} of them, so that every member gets something to read.</li>
 *   <li>Balance first: the members' partition counts differ by at most one (where subscriptions allow).</li>
 *   <li>Then stickiness: a member keeps what it had as far as balance allows.</li>
 * </ul>
 *
 * Members subscribed to different topics can only be given partitions of their own topics; where that makes perfect
 * balance impossible, the assignment tolerates it, as Kafka's does.
 */
final class SimpleShareAssignor {

    static final String NAME = "simple";

    private SimpleShareAssignor() {}

    /** A partition of a topic, ordered by topic id then partition. */
    record TopicPartitionId(Uuid topicId, int partition) {
        static final Comparator<TopicPartitionId> ORDER = Comparator
                .comparing((TopicPartitionId t) -> t.topicId().toString()).thenComparingInt(TopicPartitionId::partition);
    }

    /**
     * @param subscriptions each member's subscribed topic ids (existing topics only), by member id
     * @param partitionCounts each subscribed topic's partition count
     * @param previous each member's current assignment
     * @return the target assignment of every member (empty maps for members with nothing)
     */
    static Map<String, Map<Uuid, Set<Integer>>> assign(Map<String, Set<Uuid>> subscriptions,
                                                       Map<Uuid, Integer> partitionCounts,
                                                       Map<String, Map<Uuid, Set<Integer>>> previous) {
        List<String> members = new ArrayList<>(new TreeSet<>(subscriptions.keySet()));
        Map<String, Map<Uuid, Set<Integer>>> result = new HashMap<>();
        members.forEach(m -> result.put(m, new HashMap<>()));
        TreeSet<TopicPartitionId> all = new TreeSet<>(TopicPartitionId.ORDER);
        for (Set<Uuid> topics : subscriptions.values()) {
            for (Uuid topic : topics) {
                int count = partitionCounts.getOrDefault(topic, 0);
                for (int p = 0; p < count; p++) {
                    all.add(new TopicPartitionId(topic, p));
                }
            }
        }
        if (members.isEmpty() || all.isEmpty()) {
            return result;
        }
        int sharing = (members.size() + all.size() - 1) / all.size();
        double perMember = sharing * all.size() / (double) members.size();
        Map<String, Integer> quota = new HashMap<>();
        for (int i = 0; i < members.size(); i++) {
            quota.put(members.get(i), (int) Math.ceil(perMember * (i + 1)) - (int) Math.ceil(perMember * i));
        }
        Map<TopicPartitionId, Integer> holders = new HashMap<>();
        Map<String, Integer> held = new HashMap<>();
        // stickiness: what each member had and may still have, within its quota and the partition's sharing
        for (String m : members) {
            TreeSet<TopicPartitionId> had = new TreeSet<>(TopicPartitionId.ORDER);
            previous.getOrDefault(m, Map.of()).forEach((topic, ps) -> ps.forEach(p -> had.add(new TopicPartitionId(topic, p))));
            for (TopicPartitionId tp : had) {
                if (!all.contains(tp) || !subscriptions.get(m).contains(tp.topicId())) {
                    continue;
                }
                if (holders.getOrDefault(tp, 0) < sharing && held.getOrDefault(m, 0) < quota.get(m)) {
                    give(result, holders, held, m, tp);
                }
            }
        }
        // balance: each partition to as many members as it should have, members taken in turn
        int cursor = 0;
        for (TopicPartitionId tp : all) {
            while (holders.getOrDefault(tp, 0) < sharing) {
                String taker = null;
                for (int tried = 0; tried < members.size() && taker == null; tried++) {
                    String m = members.get((cursor + tried) % members.size());
                    if (held.getOrDefault(m, 0) < quota.get(m) && subscriptions.get(m).contains(tp.topicId())
                            && !result.get(m).getOrDefault(tp.topicId(), Set.of()).contains(tp.partition())) {
                        taker = m;
                        cursor = (cursor + tried + 1) % members.size();
                    }
                }
                if (taker == null) {
                    taker = leastLoadedSubscriber(members, subscriptions, result, held, tp);
                    if (taker == null || holders.getOrDefault(tp, 0) > 0) {
                        break; // no one can take it (or it already has a reader): tolerate the imbalance
                    }
                }
                give(result, holders, held, taker, tp);
            }
        }
        return result;
    }

    /** A subscriber of the partition's topic not holding it yet, with the fewest partitions; null if none. */
    private static String leastLoadedSubscriber(List<String> members, Map<String, Set<Uuid>> subscriptions,
                                                Map<String, Map<Uuid, Set<Integer>>> result, Map<String, Integer> held,
                                                TopicPartitionId tp) {
        String best = null;
        for (String m : members) {
            if (subscriptions.get(m).contains(tp.topicId())
                    && !result.get(m).getOrDefault(tp.topicId(), Set.of()).contains(tp.partition())
                    && (best == null || held.getOrDefault(m, 0) < held.getOrDefault(best, 0))) {
                best = m;
            }
        }
        return best;
    }

    private static void give(Map<String, Map<Uuid, Set<Integer>>> result, Map<TopicPartitionId, Integer> holders,
                             Map<String, Integer> held, String member, TopicPartitionId tp) {
        result.get(member).computeIfAbsent(tp.topicId(), t -> new HashSet<>()).add(tp.partition());
        holders.merge(tp, 1, Integer::sum);
        held.merge(member, 1, Integer::sum);
    }
}
