package dev.walrus.kafka.group.streams;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The broker-side task assignor of a streams group (KIP-1071; Kafka's default is its {@code sticky} assignor, after
 * which this one is modelled): every active task goes to exactly one member, the members' counts differ by at most one,
 * and a task stays with the member that had it whenever the balance allows; then each active task gets up to
 * {@code num.standby.replicas} standby tasks (if its subtopology has state) on members of other processes (never the process running it active),
 * again preferring the members that had them.
 *
 * <p>Differs from Kafka's: no warm-up tasks (Kafka 4.4 moves a stateful task through a warm-up on its new owner when
 * the owner lags; here the task moves at once and restores from its changelog), and no rack-aware standby placement.
 */
public final class StickyTaskAssignor {

    /** What the assignor knows of a member: its process and what it had in the previous target assignment. */
    public record Member(String memberId, String processId, Map<String, Set<Integer>> previousActive,
                         Map<String, Set<Integer>> previousStandby) {}

    /** One member's part of the target assignment. */
    public record Target(Map<String, Set<Integer>> active, Map<String, Set<Integer>> standby) {
        public static final Target EMPTY = new Target(Map.of(), Map.of());
    }

    private record Task(String subtopology, int partition) {}

    private StickyTaskAssignor() {}

    /**
     * @param stateful the subtopologies with state (changelog topics): only their tasks get standbys, as in Kafka
     */
    public static Map<String, Target> assign(SortedMap<String, Integer> taskCounts, Set<String> stateful, List<Member> members,
                                             int standbyReplicas) {
        Map<String, Target> result = new LinkedHashMap<>();
        if (members.isEmpty()) {
            return result;
        }
        List<Member> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparing(Member::memberId));
        List<Task> tasks = new ArrayList<>();
        taskCounts.forEach((s, n) -> {
            for (int p = 0; p < n; p++) {
                tasks.add(new Task(s, p));
            }
        });
        Map<String, Map<String, Set<Integer>>> active = new HashMap<>();
        Map<String, Integer> load = new HashMap<>();
        for (Member m : sorted) {
            active.put(m.memberId(), new TreeMap<>());
            load.put(m.memberId(), 0);
        }
        int base = tasks.size() / sorted.size();
        int extra = tasks.size() % sorted.size();
        Map<Task, String> owner = new HashMap<>();
        // sticky passes: first up to the base share, then one more for as many members as the remainder allows
        for (int pass = 0; pass < 2; pass++) {
            for (Task t : tasks) {
                if (owner.containsKey(t)) {
                    continue;
                }
                for (Member m : sorted) {
                    if (!Tasks.contains(m.previousActive(), t.subtopology(), t.partition())) {
                        continue;
                    }
                    int l = load.get(m.memberId());
                    boolean fits = pass == 0 ? l < base : l == base && extra > 0;
                    if (fits) {
                        if (pass == 1) {
                            extra--;
                        }
                        give(t, m.memberId(), owner, active, load);
                    }
                    break;
                }
            }
        }
        for (Task t : tasks) {
            if (owner.containsKey(t)) {
                continue;
            }
            // the least loaded member that may still take one; a former standby of the task first (it has the state)
            Member chosen = null;
            for (Member m : sorted) {
                int l = load.get(m.memberId());
                boolean mayTake = l < base || (l == base && extra > 0);
                if (!mayTake) {
                    continue;
                }
                if (chosen == null || l < load.get(chosen.memberId())
                        || (l == load.get(chosen.memberId())
                            && Tasks.contains(m.previousStandby(), t.subtopology(), t.partition())
                            && !Tasks.contains(chosen.previousStandby(), t.subtopology(), t.partition()))) {
                    chosen = m;
                }
            }
            if (load.get(chosen.memberId()) == base) {
                extra--;
            }
            give(t, chosen.memberId(), owner, active, load);
        }
        List<Task> statefulTasks = tasks.stream().filter(t -> stateful.contains(t.subtopology())).toList();
        Map<String, Map<String, Set<Integer>>> standby = assignStandbys(statefulTasks, sorted, owner, standbyReplicas);
        for (Member m : sorted) {
            result.put(m.memberId(), new Target(active.get(m.memberId()), standby.get(m.memberId())));
        }
        return result;
    }

    private static void give(Task t, String memberId, Map<Task, String> owner, Map<String, Map<String, Set<Integer>>> active,
                             Map<String, Integer> load) {
        owner.put(t, memberId);
        Tasks.add(active.get(memberId), t.subtopology(), t.partition());
        load.merge(memberId, 1, Integer::sum);
    }

    private static Map<String, Map<String, Set<Integer>>> assignStandbys(List<Task> tasks, List<Member> members,
                                                                        Map<Task, String> owner, int replicas) {
        Map<String, Map<String, Set<Integer>>> standby = new HashMap<>();
        Map<String, Integer> load = new HashMap<>();
        Map<String, String> processOf = new HashMap<>();
        for (Member m : members) {
            standby.put(m.memberId(), new TreeMap<>());
            load.put(m.memberId(), 0);
            processOf.put(m.memberId(), m.processId());
        }
        if (replicas <= 0) {
            return standby;
        }
        for (Task t : tasks) {
            Set<String> processesWithTask = new HashSet<>();
            processesWithTask.add(processOf.get(owner.get(t)));
            for (int r = 0; r < replicas; r++) {
                Member chosen = null;
                for (Member m : members) {
                    if (processesWithTask.contains(m.processId())) {
                        continue;
                    }
                    if (chosen == null) {
                        chosen = m;
                        continue;
                    }
                    boolean had = Tasks.contains(m.previousStandby(), t.subtopology(), t.partition());
                    boolean chosenHad = Tasks.contains(chosen.previousStandby(), t.subtopology(), t.partition());
                    if ((had && !chosenHad) || (had == chosenHad && load.get(m.memberId()) < load.get(chosen.memberId()))) {
                        chosen = m;
                    }
                }
                if (chosen == null) {
                    break; // fewer other processes than replicas asked for: Kafka, too, leaves the rest unassigned
                }
                processesWithTask.add(chosen.processId());
                Tasks.add(standby.get(chosen.memberId()), t.subtopology(), t.partition());
                load.merge(chosen.memberId(), 1, Integer::sum);
            }
        }
        return standby;
    }
}
