package dev.walrus.kafka.group.streams;

import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.Topics;
import org.apache.kafka.common.requests.StreamsGroupHeartbeatResponse.Status;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks a streams topology against the topics that exist, with the rules of Kafka's {@code InternalTopicManager}:
 * every user source topic must exist (else MISSING_SOURCE_TOPICS); a repartition topic without a fixed partition count
 * gets the largest partition count of the topics its writing subtopology reads; copartitioned topics must agree
 * (else INCORRECTLY_PARTITIONED_TOPICS), flexible repartition topics among them follow the others; a changelog topic
 * gets the largest partition count of its subtopology's source topics. Internal topics that do not exist yet are
 * returned for the broker to create (MISSING_INTERNAL_TOPICS until they exist); an existing one with another partition
 * count is INCORRECTLY_PARTITIONED_TOPICS.
 */
public final class TopologyConfigurer {

    private TopologyConfigurer() {}

    public static ConfiguredTopology configure(StreamsTopology topology, Topics topics) {
        String signature = signature(topology, topics);
        Set<String> missing = new TreeSet<>();
        for (StreamsTopology.Subtopology s : topology.subtopologies()) {
            for (String source : s.sourceTopics()) {
                if (topics.byName(source).isEmpty()) {
                    missing.add(source);
                }
            }
        }
        if (!missing.isEmpty()) {
            return notReady(Status.MISSING_SOURCE_TOPICS, "Source topics " + summarize(missing) + " are missing.", signature);
        }
        Map<String, Integer> decided = new HashMap<>();
        SortedMap<String, Integer> taskCounts = new TreeMap<>();
        try {
            decideRepartitionCounts(topology, topics, decided);
            enforceCopartitioning(topology, topics, decided);
            for (StreamsTopology.Subtopology s : topology.subtopologies()) {
                int max = maxSourcePartitions(s, topics, decided);
                s.stateChangelogTopics().forEach(t -> decided.put(t.name(), max));
            }
            for (StreamsTopology.Subtopology s : topology.subtopologies()) {
                taskCounts.put(s.id(), maxSourcePartitions(s, topics, decided));
            }
        } catch (Problem p) {
            if (p.status == null) {
                // Kafka answers the heartbeat itself with STREAMS_INVALID_TOPOLOGY here
                throw StreamsException.invalidTopology(p.getMessage());
            }
            return notReady(p.status, p.getMessage(), signature);
        }
        Map<String, StreamsTopology.InternalTopic> toCreate = new LinkedHashMap<>();
        for (StreamsTopology.Subtopology s : topology.subtopologies()) {
            List<StreamsTopology.InternalTopic> internal = new ArrayList<>(s.repartitionSourceTopics());
            internal.addAll(s.stateChangelogTopics());
            for (StreamsTopology.InternalTopic t : internal) {
                int partitions = t.partitions() != 0 ? t.partitions() : decided.get(t.name());
                TopicInfo existing = topics.byName(t.name()).orElse(null);
                if (existing == null) {
                    toCreate.put(t.name(), new StreamsTopology.InternalTopic(t.name(), partitions, t.replicationFactor(), t.configs()));
                } else if (existing.partitions() != partitions) {
                    return notReady(Status.INCORRECTLY_PARTITIONED_TOPICS, "Existing topic " + t.name()
                            + " has different number of partitions: expected " + partitions + ", found "
                            + existing.partitions(), signature);
                }
            }
        }
        if (!toCreate.isEmpty()) {
            return new ConfiguredTopology(new TreeMap<>(), toCreate, Status.MISSING_INTERNAL_TOPICS,
                    "Internal topics are missing: " + summarize(toCreate.keySet()), signature);
        }
        return new ConfiguredTopology(taskCounts, Map.of(), null, null, signature);
    }

    /** Names and partition counts of every topic the topology needs (absent ones as -1). */
    public static String signature(StreamsTopology topology, Topics topics) {
        TreeMap<String, Integer> parts = new TreeMap<>();
        for (String name : topology.requiredTopics()) {
            parts.put(name, topics.byName(name).map(TopicInfo::partitions).orElse(-1));
        }
        return parts.toString();
    }

    private static ConfiguredTopology notReady(Status status, String detail, String signature) {
        return new ConfiguredTopology(new TreeMap<>(), Map.of(), status, detail, signature);
    }

    private static OptionalInt partitions(String topic, Topics topics, Map<String, Integer> decided) {
        TopicInfo t = topics.byName(topic).orElse(null);
        if (t != null) {
            return OptionalInt.of(t.partitions());
        }
        Integer d = decided.get(topic);
        return d == null ? OptionalInt.empty() : OptionalInt.of(d);
    }

    private static int maxSourcePartitions(StreamsTopology.Subtopology s, Topics topics, Map<String, Integer> decided) {
        int max = 0;
        for (String topic : s.allSourceTopics()) {
            OptionalInt n = partitions(topic, topics, decided);
            if (n.isEmpty()) {
                throw new Problem(Status.MISSING_SOURCE_TOPICS, "No partition count for source topic " + topic);
            }
            max = Math.max(max, n.getAsInt());
        }
        if (max == 0) {
            throw new Problem(null, "Subtopology " + s.id() + " has no source topics.");
        }
        return max;
    }

    /** Kafka's RepartitionTopics: fixed counts first, then each sink gets its writer's largest source, until settled. */
    private static void decideRepartitionCounts(StreamsTopology topology, Topics topics, Map<String, Integer> decided) {
        Set<String> repartitionSources = new HashSet<>();
        for (StreamsTopology.Subtopology s : topology.subtopologies()) {
            for (StreamsTopology.InternalTopic t : s.repartitionSourceTopics()) {
                repartitionSources.add(t.name());
                if (t.partitions() != 0) {
                    decided.put(t.name(), t.partitions());
                }
            }
        }
        boolean needed;
        do {
            needed = false;
            boolean progress = false;
            for (StreamsTopology.Subtopology s : topology.subtopologies()) {
                for (String sink : s.repartitionSinkTopics()) {
                    if (decided.containsKey(sink)) {
                        continue;
                    }
                    Integer count = null;
                    for (String source : s.allSourceTopics()) {
                        OptionalInt n = partitions(source, topics, decided);
                        if (n.isPresent() && (count == null || n.getAsInt() > count)) {
                            count = n.getAsInt();
                        }
                    }
                    if (count == null) {
                        needed = true;
                    } else {
                        decided.put(sink, count);
                        progress = true;
                    }
                }
            }
            if (needed && !progress) {
                throw new Problem(null, "Failed to compute number of partitions for all repartition topics. "
                        + "There may be loops in the topology that cannot be resolved.");
            }
        } while (needed);
        for (String source : repartitionSources) {
            if (!decided.containsKey(source)) {
                throw new Problem(null, "Failed to compute number of partitions for all repartition topics, because "
                        + "a repartition source topic is never used as a sink topic.");
            }
        }
    }

    /** Kafka's CopartitionedTopicsEnforcer: copartitioned topics end with one partition count, or the group fails. */
    private static void enforceCopartitioning(StreamsTopology topology, Topics topics, Map<String, Integer> decided) {
        Set<String> flexible = new HashSet<>();
        for (StreamsTopology.Subtopology s : topology.subtopologies()) {
            s.repartitionSourceTopics().stream().filter(t -> t.partitions() == 0).forEach(t -> flexible.add(t.name()));
        }
        for (StreamsTopology.Subtopology s : topology.subtopologies()) {
            for (Set<String> group : s.copartitionedTopics()) {
                enforce(group, flexible, topics, decided);
            }
        }
    }

    private static void enforce(Collection<String> group, Set<String> flexible, Topics topics, Map<String, Integer> decided) {
        Map<String, Integer> fixed = new TreeMap<>();
        for (String topic : group) {
            if (!flexible.contains(topic)) {
                fixed.put(topic, partitions(topic, topics, decided).orElse(-1));
            }
        }
        int count;
        if (!fixed.isEmpty()) {
            Set<Integer> counts = new HashSet<>(fixed.values());
            if (counts.size() > 1) {
                throw new Problem(Status.INCORRECTLY_PARTITIONED_TOPICS,
                        "Following topics do not have the same number of partitions: [" + fixed + "]");
            }
            count = counts.iterator().next();
        } else {
            count = 0;
            for (String topic : group) {
                count = Math.max(count, partitions(topic, topics, decided).orElse(0));
            }
        }
        for (String topic : group) {
            if (flexible.contains(topic)) {
                TopicInfo existing = topics.byName(topic).orElse(null);
                if (existing != null && existing.partitions() != count) {
                    throw new Problem(Status.INCORRECTLY_PARTITIONED_TOPICS, "Number of partitions [" + existing.partitions()
                            + "] of repartition topic [" + topic + "] doesn't match number of partitions [" + count
                            + "] of the source topic.");
                }
                decided.put(topic, count);
            }
        }
    }

    private static String summarize(Collection<String> topics) {
        List<String> list = new ArrayList<>(topics);
        String shown = String.join(", ", list.subList(0, Math.min(3, list.size())));
        return list.size() > 3 ? shown + " and " + (list.size() - 3) + " additional topics" : shown;
    }

    /** A rung that failed; a null status is an invalid topology (STREAMS_INVALID_TOPOLOGY). */
    static final class Problem extends RuntimeException {
        final transient Status status;

        Problem(Status status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }
}
