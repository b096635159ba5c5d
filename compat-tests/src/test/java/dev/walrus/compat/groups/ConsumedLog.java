package dev.walrus.compat.groups;

import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every record the members of a group consumed, in the order each member saw them, tagged with the member's
 * "stint" on the partition (a new stint starts each time the partition is assigned to that member).
 */
final class ConsumedLog {

    record Consumed(String member, int partition, int stint, long offset, String value) {}

    private final ConcurrentLinkedQueue<Consumed> all = new ConcurrentLinkedQueue<>();

    void add(String member, TopicPartition tp, int stint, long offset, String value) {
        all.add(new Consumed(member, tp.partition(), stint, offset, value));
    }

    /** Distinct records consumed so far. */
    long distinct() {
        Set<String> seen = new HashSet<>();
        for (Consumed c : all) {
            seen.add(c.value());
        }
        return seen.size();
    }

    long total() {
        return all.size();
    }

    long consumedBy(String member) {
        return all.stream().filter(c -> c.member().equals(member)).count();
    }

    List<Consumed> snapshot() {
        return new ArrayList<>(all);
    }

    /**
     * The checks of the group scenarios:
     * <ul>
     *   <li>no loss: every acknowledged record of every partition was consumed at least once;</li>
     *   <li>order: record {@code p:n} sits at offset n, and within one stint a member read consecutive offsets;</li>
     *   <li>handover: a member taking a partition over starts at or before the next offset not yet consumed by
     *       anyone (the group's committed offset), never after it.</li>
     * </ul>
     *
     * @return the number of duplicate deliveries (allowed by at-least-once after a rebalance)
     */
    long assertNoLossAndOrder(Map<Integer, Long> ackedPerPartition) {
        List<Consumed> records = snapshot();
        Map<Integer, Set<Long>> offsetsByPartition = new TreeMap<>();
        Map<String, Consumed> lastOfStint = new HashMap<>();
        Map<Integer, Long> highestSoFar = new HashMap<>();
        for (Consumed c : records) {
            assertThat(c.value()).as("record at offset %d of partition %d", c.offset(), c.partition())
                    .isEqualTo(c.partition() + ":" + c.offset());
            offsetsByPartition.computeIfAbsent(c.partition(), p -> new HashSet<>()).add(c.offset());
            String stintKey = c.member() + "/" + c.partition() + "/" + c.stint();
            Consumed previous = lastOfStint.put(stintKey, c);
            if (previous != null) {
                assertThat(c.offset()).as("%s read partition %d in order", c.member(), c.partition()).isEqualTo(previous.offset() + 1);
            }
        }
        // Handover: each stint's first offset is not beyond what the group had already consumed (no gap).
        Map<String, Long> firstOfStint = new HashMap<>();
        for (Consumed c : records) {
            firstOfStint.putIfAbsent(c.member() + "/" + c.partition() + "/" + c.stint(), c.offset());
        }
        for (Consumed c : records) {
            String key = c.member() + "/" + c.partition() + "/" + c.stint();
            if (firstOfStint.get(key) == c.offset()) {
                long before = highestSoFar.getOrDefault(c.partition(), -1L);
                assertThat(c.offset()).as("%s took partition %d over without a gap", c.member(), c.partition())
                        .isLessThanOrEqualTo(before + 1);
            }
            highestSoFar.merge(c.partition(), c.offset(), Math::max);
        }
        ackedPerPartition.forEach((partition, count) -> {
            Set<Long> offsets = offsetsByPartition.getOrDefault(partition, Set.of());
            for (long o = 0; o < count; o++) {
                if (!offsets.contains(o)) {
                    throw new AssertionError("record " + partition + ":" + o + " was acknowledged but never consumed ("
                            + offsets.size() + " of " + count + " consumed on partition " + partition + ")");
                }
            }
        });
        long distinct = offsetsByPartition.values().stream().mapToLong(Set::size).sum();
        return records.size() - distinct;
    }
}
