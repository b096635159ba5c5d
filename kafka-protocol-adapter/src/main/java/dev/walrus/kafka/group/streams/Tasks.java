package dev.walrus.kafka.group.streams;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Small helpers over task sets keyed by subtopology id ({@code Map<String, Set<Integer>>}: subtopology to partitions),
 * never holding empty sets. A task of KIP-1071 is one partition of one subtopology.
 */
public final class Tasks {

    private Tasks() {}

    public static Map<String, Set<Integer>> copy(Map<String, Set<Integer>> tasks) {
        Map<String, Set<Integer>> copy = new TreeMap<>();
        tasks.forEach((s, ps) -> {
            if (!ps.isEmpty()) {
                copy.put(s, new TreeSet<>(ps));
            }
        });
        return copy;
    }

    public static boolean contains(Map<String, Set<Integer>> tasks, String subtopology, int partition) {
        Set<Integer> ps = tasks.get(subtopology);
        return ps != null && ps.contains(partition);
    }

    public static void add(Map<String, Set<Integer>> tasks, String subtopology, int partition) {
        tasks.computeIfAbsent(subtopology, s -> new TreeSet<>()).add(partition);
    }

    public static void remove(Map<String, Set<Integer>> tasks, String subtopology, int partition) {
        Set<Integer> ps = tasks.get(subtopology);
        if (ps != null) {
            ps.remove(partition);
            if (ps.isEmpty()) {
                tasks.remove(subtopology);
            }
        }
    }

    public static int size(Map<String, Set<Integer>> tasks) {
        int n = 0;
        for (Set<Integer> ps : tasks.values()) {
            n += ps.size();
        }
        return n;
    }

    public static boolean equal(Map<String, Set<Integer>> a, Map<String, Set<Integer>> b) {
        return copy(a).equals(copy(b));
    }

    public static boolean intersects(Map<String, Set<Integer>> a, Map<String, Set<Integer>> b) {
        for (Map.Entry<String, Set<Integer>> e : a.entrySet()) {
            for (int p : e.getValue()) {
                if (contains(b, e.getKey(), p)) {
                    return true;
                }
            }
        }
        return false;
    }

    public static void forEach(Map<String, Set<Integer>> tasks, BiConsumer<String, Integer> action) {
        tasks.forEach((s, ps) -> ps.forEach(p -> action.accept(s, p)));
    }

    /** The request's and response's shape: one entry per subtopology with its partitions. */
    public static Map<String, Set<Integer>> of(Collection<? extends Map.Entry<String, List<Integer>>> entries) {
        Map<String, Set<Integer>> tasks = new HashMap<>();
        for (Map.Entry<String, List<Integer>> e : entries) {
            e.getValue().forEach(p -> add(tasks, e.getKey(), p));
        }
        return tasks;
    }

    /** Sorted (subtopology, partitions) pairs, for building responses. */
    public static List<Map.Entry<String, List<Integer>>> sorted(Map<String, Set<Integer>> tasks) {
        List<Map.Entry<String, List<Integer>>> list = new ArrayList<>();
        new TreeMap<>(tasks).forEach((s, ps) -> {
            if (!ps.isEmpty()) {
                list.add(Map.entry(s, new ArrayList<>(new TreeSet<>(ps))));
            }
        });
        return list;
    }
}
