package dev.walrus.kafka.group.consumer;

import org.apache.kafka.common.Uuid;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Small helpers over partition sets keyed by topic id: {@code Map<Uuid, Set<Integer>>}, never holding empty sets. */
public final class Assignment {

    private Assignment() {}

    public static Map<Uuid, Set<Integer>> copy(Map<Uuid, Set<Integer>> a) {
        Map<Uuid, Set<Integer>> copy = new HashMap<>();
        a.forEach((t, ps) -> {
            if (!ps.isEmpty()) {
                copy.put(t, new TreeSet<>(ps));
            }
        });
        return copy;
    }

    public static boolean contains(Map<Uuid, Set<Integer>> a, Uuid topic, int partition) {
        Set<Integer> ps = a.get(topic);
        return ps != null && ps.contains(partition);
    }

    public static void add(Map<Uuid, Set<Integer>> a, Uuid topic, int partition) {
        a.computeIfAbsent(topic, t -> new TreeSet<>()).add(partition);
    }

    public static int size(Map<Uuid, Set<Integer>> a) {
        int n = 0;
        for (Set<Integer> ps : a.values()) {
            n += ps.size();
        }
        return n;
    }

    public static boolean equal(Map<Uuid, Set<Integer>> a, Map<Uuid, Set<Integer>> b) {
        return copy(a).equals(copy(b));
    }

    /** Topic ids of the map, as a fresh set. */
    public static Set<Uuid> topics(Map<Uuid, Set<Integer>> a) {
        return new HashSet<>(a.keySet());
    }
}
