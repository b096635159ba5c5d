package dev.walrus.kafka.group.streams;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class StickyTaskAssignorTest {

    private static TreeMap<String, Integer> counts(Object... pairs) {
        TreeMap<String, Integer> m = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (Integer) pairs[i + 1]);
        }
        return m;
    }

    private static StickyTaskAssignor.Member member(String id, String process, Map<String, Set<Integer>> active) {
        return new StickyTaskAssignor.Member(id, process, active, Map.of());
    }

    @Test
    void shouldGiveEveryTaskToExactlyOneMemberWithCountsDifferingByAtMostOne() {
        Map<String, StickyTaskAssignor.Target> target = StickyTaskAssignor.assign(counts("0", 5, "1", 2), Set.of("0", "1"),
                List.of(member("a", "p1", Map.of()), member("b", "p2", Map.of()), member("c", "p3", Map.of())), 0);

        Set<String> seen = new HashSet<>();
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (StickyTaskAssignor.Target t : target.values()) {
            int n = Tasks.size(t.active());
            min = Math.min(min, n);
            max = Math.max(max, n);
            Tasks.forEach(t.active(), (s, p) -> assertThat(seen.add(s + "_" + p)).isTrue());
            assertThat(t.standby()).isEmpty();
        }
        assertThat(seen).hasSize(7);
        assertThat(max - min).isLessThanOrEqualTo(1);
    }

    @Test
    void shouldKeepTasksWithTheirPreviousOwnersWhenAMemberJoins() {
        Map<String, StickyTaskAssignor.Target> target = StickyTaskAssignor.assign(counts("0", 4), Set.of(),
                List.of(member("a", "p1", Map.of("0", Set.of(0, 1))), member("b", "p2", Map.of("0", Set.of(2, 3))),
                        member("c", "p3", Map.of())), 0);

        assertThat(target.get("a").active().get("0")).containsAnyOf(0, 1).doesNotContain(2, 3);
        assertThat(target.get("b").active().get("0")).containsAnyOf(2, 3).doesNotContain(0, 1);
        assertThat(Tasks.size(target.get("c").active())).isEqualTo(1);
    }

    @Test
    void shouldPlaceStandbysOnOtherProcessesOnly() {
        Map<String, StickyTaskAssignor.Target> target = StickyTaskAssignor.assign(counts("0", 4), Set.of("0"),
                List.of(member("a1", "p1", Map.of()), member("a2", "p1", Map.of()), member("b", "p2", Map.of())), 1);

        Map<String, String> process = Map.of("a1", "p1", "a2", "p1", "b", "p2");
        Map<String, String> activeProcess = new TreeMap<>();
        target.forEach((m, t) -> Tasks.forEach(t.active(), (s, p) -> activeProcess.put(s + "_" + p, process.get(m))));
        Map<String, String> standbyProcess = new TreeMap<>();
        target.forEach((m, t) -> Tasks.forEach(t.standby(), (s, p) -> {
            assertThat(standbyProcess.put(s + "_" + p, process.get(m))).as("one standby per task").isNull();
        }));
        assertThat(standbyProcess).hasSize(4);
        standbyProcess.forEach((task, p) -> assertThat(p).isNotEqualTo(activeProcess.get(task)));
    }

    @Test
    void shouldGiveNoStandbysToStatelessTasks() {
        Map<String, StickyTaskAssignor.Target> target = StickyTaskAssignor.assign(counts("0", 2, "1", 2), Set.of("1"),
                List.of(member("a", "p1", Map.of()), member("b", "p2", Map.of())), 1);

        target.values().forEach(t -> assertThat(t.standby()).doesNotContainKey("0"));
        assertThat(target.values().stream().mapToInt(t -> Tasks.size(t.standby())).sum()).isEqualTo(2);
    }

    @Test
    void shouldLeaveStandbysOutWhenThereIsNoOtherProcess() {
        Map<String, StickyTaskAssignor.Target> target = StickyTaskAssignor.assign(counts("0", 2), Set.of("0"),
                List.of(member("a1", "p1", Map.of()), member("a2", "p1", Map.of())), 2);

        target.values().forEach(t -> assertThat(t.standby()).isEmpty());
    }
}
