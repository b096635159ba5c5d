package dev.walrus.compat.connect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/**
 * A source connector with one task that writes {@code count} keyed records ({@code key-i}, {@code value-i}) to
 * {@code topic}, each with the source offset {@code {"position": i}} under the source partition
 * {@code {"source": <connector name>}}. It starts after the last committed position, so a task that resumes from its
 * committed offset writes only what is missing, and one that starts over writes {@code value-0} again.
 */
public class CountingSourceConnector extends SourceConnector {

    static final String TOPIC = "topic";
    static final String COUNT = "count";

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(TOPIC, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "topic to write to")
            .define(COUNT, ConfigDef.Type.INT, ConfigDef.Importance.HIGH, "records to write in all");

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return CountingSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    @Override
    public String version() {
        return "1.0";
    }

    public static class CountingSourceTask extends SourceTask {

        private String topic;
        private int count;
        private Map<String, String> sourcePartition;
        /** The next position to write. */
        private long next;

        @Override
        public void start(Map<String, String> props) {
            topic = props.get(TOPIC);
            count = Integer.parseInt(props.get(COUNT));
            sourcePartition = Map.of("source", props.get("name"));
            Map<String, Object> committed = context.offsetStorageReader().offset(sourcePartition);
            next = committed == null ? 0 : ((Number) committed.get("position")).longValue() + 1;
        }

        @Override
        public List<SourceRecord> poll() throws InterruptedException {
            if (next >= count) {
                Thread.sleep(100);
                return null;
            }
            List<SourceRecord> records = new ArrayList<>();
            for (; next < count; next++) {
                records.add(new SourceRecord(sourcePartition, Map.of("position", next), topic, null,
                        Schema.STRING_SCHEMA, "key-" + next, Schema.STRING_SCHEMA, "value-" + next));
            }
            return records;
        }

        @Override
        public void stop() {
        }

        @Override
        public String version() {
            return "1.0";
        }
    }
}
