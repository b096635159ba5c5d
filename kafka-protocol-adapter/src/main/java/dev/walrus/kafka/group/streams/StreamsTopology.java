package dev.walrus.kafka.group.streams;

import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The topology a streams group runs (KIP-1071), as the first member sent it in its joining heartbeat: per subtopology,
 * the user source topics, the repartition topics it writes and reads, its changelog topics and its copartition groups.
 * The broker needs no more than this to create the internal topics and to know how many tasks each subtopology has.
 *
 * @param epoch the client's topology epoch; a member whose epoch is behind gets STALE_TOPOLOGY
 * @param subtopologies sorted by id
 */
public record StreamsTopology(int epoch, List<Subtopology> subtopologies) {

    /** A topic Kafka Streams wants created: 0 partitions means "let the broker decide" (KIP-1071). */
    public record InternalTopic(String name, int partitions, short replicationFactor, Map<String, String> configs) {}

    /** Copartitioned topics by index into the subtopology's lists, as the request names them. */
    public record CopartitionGroup(List<Integer> sourceTopics, List<Integer> repartitionSourceTopics) {}

    public record Subtopology(String id, List<String> sourceTopics, List<String> repartitionSinkTopics,
                              List<InternalTopic> repartitionSourceTopics, List<InternalTopic> stateChangelogTopics,
                              List<CopartitionGroup> copartitionGroups) {

        /** Every topic a task of this subtopology reads: user source topics and repartition source topics. */
        public List<String> allSourceTopics() {
            List<String> all = new ArrayList<>(sourceTopics);
            repartitionSourceTopics.forEach(t -> all.add(t.name()));
            return all;
        }

        /** The copartition groups as sets of topic names. */
        public List<Set<String>> copartitionedTopics() {
            List<Set<String>> groups = new ArrayList<>();
            for (CopartitionGroup g : copartitionGroups) {
                Set<String> names = new LinkedHashSet<>();
                g.sourceTopics().forEach(i -> names.add(sourceTopics.get(i)));
                g.repartitionSourceTopics().forEach(i -> names.add(repartitionSourceTopics.get(i).name()));
                groups.add(names);
            }
            return groups;
        }
    }

    public Subtopology subtopology(String id) {
        for (Subtopology s : subtopologies) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        return null;
    }

    /** The ids of the subtopologies with state stores (changelog topics): only their tasks get standbys. */
    public Set<String> statefulSubtopologies() {
        Set<String> ids = new HashSet<>();
        for (Subtopology s : subtopologies) {
            if (!s.stateChangelogTopics().isEmpty()) {
                ids.add(s.id());
            }
        }
        return ids;
    }

    /** Every topic the topology needs to exist: user sources, repartition and changelog topics. */
    public Set<String> requiredTopics() {
        Set<String> topics = new LinkedHashSet<>();
        for (Subtopology s : subtopologies) {
            topics.addAll(s.sourceTopics());
            s.repartitionSourceTopics().forEach(t -> topics.add(t.name()));
            s.stateChangelogTopics().forEach(t -> topics.add(t.name()));
        }
        return topics;
    }

    /**
     * The topology of a joining heartbeat, checked as Kafka checks it: STREAMS_INVALID_TOPOLOGY for duplicate
     * subtopology ids or copartition indexes out of range (a {@link StreamsException}); regular-expression sources are
     * refused as in Kafka 4.4 ("not supported yet", INVALID_REQUEST).
     */
    public static StreamsTopology fromRequest(StreamsGroupHeartbeatRequestData.Topology topology) {
        List<Subtopology> subtopologies = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (StreamsGroupHeartbeatRequestData.Subtopology s : topology.subtopologies()) {
            if (!s.sourceTopicRegex().isEmpty()) {
                throw StreamsException.invalidRequest("Regular expressions for source topics are not supported yet.");
            }
            if (!ids.add(s.subtopologyId())) {
                throw StreamsException.invalidTopology("Duplicate subtopology id " + s.subtopologyId() + ".");
            }
            List<InternalTopic> repartitionSources = s.repartitionSourceTopics().stream().map(StreamsTopology::topic).toList();
            List<InternalTopic> changelogs = s.stateChangelogTopics().stream().map(StreamsTopology::topic).toList();
            List<CopartitionGroup> copartition = new ArrayList<>();
            for (StreamsGroupHeartbeatRequestData.CopartitionGroup g : s.copartitionGroups()) {
                List<Integer> sources = g.sourceTopics().stream().map(Short::intValue).toList();
                List<Integer> repartitions = g.repartitionSourceTopics().stream().map(Short::intValue).toList();
                if (sources.stream().anyMatch(i -> i < 0 || i >= s.sourceTopics().size())
                        || repartitions.stream().anyMatch(i -> i < 0 || i >= repartitionSources.size())) {
                    throw StreamsException.invalidTopology("Copartition group of subtopology " + s.subtopologyId()
                            + " refers to a topic index out of range.");
                }
                copartition.add(new CopartitionGroup(sources, repartitions));
            }
            subtopologies.add(new Subtopology(s.subtopologyId(), List.copyOf(s.sourceTopics()),
                    List.copyOf(s.repartitionSinkTopics()), repartitionSources, changelogs, copartition));
        }
        subtopologies.sort(Comparator.comparing(Subtopology::id));
        return new StreamsTopology(topology.epoch(), List.copyOf(subtopologies));
    }

    private static InternalTopic topic(StreamsGroupHeartbeatRequestData.TopicInfo t) {
        Map<String, String> configs = new TreeMap<>();
        t.topicConfigs().forEach(kv -> configs.put(kv.key(), kv.value()));
        return new InternalTopic(t.name(), t.partitions(), t.replicationFactor(), configs);
    }
}
