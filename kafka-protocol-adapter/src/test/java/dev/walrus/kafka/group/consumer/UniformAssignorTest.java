package dev.walrus.kafka.group.consumer;

import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class UniformAssignorTest {

    private final UniformAssignor assignor = new UniformAssignor();
    private final Uuid orders = Uuid.randomUuid();
    private final Uuid payments = Uuid.randomUuid();

    private static SortedMap<String, Set<Uuid>> members(Map<String, Set<Uuid>> m) {
        return new TreeMap<>(m);
    }

    @Test
    void shouldSpreadPartitionsSoCountsDifferByAtMostOne() {
        var result = assignor.assign(members(Map.of("a", Set.of(orders), "b", Set.of(orders), "c", Set.of(orders), "d", Set.of(orders))),
                Map.of(orders, 6), Map.of());

        assertThat(result.values()).extracting(Assignment::size).containsExactlyInAnyOrder(2, 2, 1, 1);
        assertThat(result.values().stream().mapToInt(Assignment::size).sum()).isEqualTo(6);
    }

    @Test
    void shouldKeepPartitionsWithTheirPreviousOwnersWhenAMemberJoins() {
        var before = assignor.assign(members(Map.of("a", Set.of(orders), "b", Set.of(orders))), Map.of(orders, 6), Map.of());

        var after = assignor.assign(members(Map.of("a", Set.of(orders), "b", Set.of(orders), "c", Set.of(orders))),
                Map.of(orders, 6), before);

        assertThat(before.get("a")).containsKey(orders);
        assertThat(before.get("a").get(orders)).containsAll(after.get("a").get(orders));
        assertThat(before.get("b").get(orders)).containsAll(after.get("b").get(orders));
        assertThat(after.values()).extracting(Assignment::size).containsOnly(2);
    }

    @Test
    void shouldGiveEachTopicOnlyToItsSubscribers() {
        var result = assignor.assign(members(Map.of("a", Set.of(orders), "b", Set.of(payments))),
                Map.of(orders, 3, payments, 2), Map.of());

        assertThat(result.get("a")).containsOnlyKeys(orders);
        assertThat(result.get("a").get(orders)).containsExactly(0, 1, 2);
        assertThat(result.get("b")).containsOnlyKeys(payments);
    }

    @Test
    void shouldGiveEveryMemberAnEntryEvenWithoutPartitions() {
        var result = assignor.assign(members(Map.of("a", Set.of(orders), "b", Set.of(orders))), Map.of(orders, 1), new HashMap<>());

        assertThat(result).containsOnlyKeys("a", "b");
        assertThat(result.values().stream().mapToInt(Assignment::size).sum()).isEqualTo(1);
    }
}
