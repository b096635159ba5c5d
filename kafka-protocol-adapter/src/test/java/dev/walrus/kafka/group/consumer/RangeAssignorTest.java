package dev.walrus.kafka.group.consumer;

import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class RangeAssignorTest {

    private final RangeAssignor assignor = new RangeAssignor();

    @Test
    void shouldGiveContiguousRangesInMemberOrderWithTheRemainderFirst() {
        Uuid orders = Uuid.randomUuid();

        var result = assignor.assign(new TreeMap<>(Map.of("b", Set.of(orders), "a", Set.of(orders))), Map.of(orders, 5), Map.of());

        assertThat(result.get("a").get(orders)).containsExactly(0, 1, 2);
        assertThat(result.get("b").get(orders)).containsExactly(3, 4);
    }

    @Test
    void shouldGiveTheSamePartitionNumbersOfCoPartitionedTopics() {
        Uuid left = Uuid.randomUuid();
        Uuid right = Uuid.randomUuid();

        var result = assignor.assign(new TreeMap<>(Map.of("a", Set.of(left, right), "b", Set.of(left, right))),
                Map.of(left, 4, right, 4), Map.of());

        assertThat(result.get("a").get(left)).isEqualTo(result.get("a").get(right));
        assertThat(result.get("b").get(left)).isEqualTo(result.get("b").get(right));
    }
}
