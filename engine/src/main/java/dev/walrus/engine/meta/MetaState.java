package dev.walrus.engine.meta;

import dev.walrus.engine.TopicSettings;
import dev.walrus.engine.format.MetaRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the metadata log says, replayed: per topic its settings, truncation point and reader checkpoints, and per
 * deleted topic name the highest deleted incarnation. Not thread-safe: {@link MetaLog} guards it.
 */
public final class MetaState {

    /** A reader checkpoint. */
    public record Checkpoint(long position, byte[] attachment) {}

    /** Everything persisted about one live topic. */
    public static final class TopicMeta {
        public TopicSettings settings;
        public long truncation = -1;
        public final Map<String, Checkpoint> readers = new LinkedHashMap<>();
    }

    private final Map<String, TopicMeta> topics = new LinkedHashMap<>();
    private final Map<String, Long> deletedIncarnations = new HashMap<>();

    public void apply(MetaRecord r) {
        switch (r) {
            case MetaRecord.Settings s -> topic(s.topic()).settings = s.settings();
            case MetaRecord.Truncate t -> {
                TopicMeta m = topic(t.topic());
                m.truncation = Math.max(m.truncation, t.position());
            }
            case MetaRecord.DeleteTopic d -> {
                topics.remove(d.topic());
                deletedIncarnations.merge(d.topic(), d.incarnation(), Math::max);
            }
            case MetaRecord.ReaderCommit c ->
                    topic(c.topic()).readers.put(c.reader(), new Checkpoint(c.position(), c.attachment()));
            case MetaRecord.ReaderDelete d -> {
                TopicMeta m = topics.get(d.topic());
                if (m != null) {
                    m.readers.remove(d.reader());
                }
            }
        }
    }

    private TopicMeta topic(String name) {
        return topics.computeIfAbsent(name, n -> new TopicMeta());
    }

    public Map<String, TopicMeta> topics() {
        return topics;
    }

    /** The highest deleted incarnation of {@code topic}, 0 if never deleted. */
    public long deletedIncarnation(String topic) {
        return deletedIncarnations.getOrDefault(topic, 0L);
    }

    public Map<String, Long> deletedIncarnations() {
        return deletedIncarnations;
    }

    /** The records that rebuild this state from nothing (for compaction). */
    public List<MetaRecord> snapshot() {
        List<MetaRecord> out = new ArrayList<>();
        deletedIncarnations.forEach((t, inc) -> out.add(new MetaRecord.DeleteTopic(t, inc)));
        topics.forEach((t, m) -> {
            if (m.settings != null) {
                out.add(new MetaRecord.Settings(t, m.settings));
            }
            if (m.truncation >= 0) {
                out.add(new MetaRecord.Truncate(t, m.truncation));
            }
            m.readers.forEach((r, c) -> out.add(new MetaRecord.ReaderCommit(t, r, c.position(), c.attachment())));
        });
        return out;
    }
}
