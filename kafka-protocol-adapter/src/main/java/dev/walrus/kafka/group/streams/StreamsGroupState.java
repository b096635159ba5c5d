package dev.walrus.kafka.group.streams;

/** The streams group states, with the names Kafka reports (ListGroups, StreamsGroupDescribe). */
public enum StreamsGroupState {
    EMPTY("Empty"),
    /** Members are there but the topology is not ready (source topics missing, internal topics being created). */
    NOT_READY("NotReady"),
    ASSIGNING("Assigning"),
    RECONCILING("Reconciling"),
    STABLE("Stable"),
    DEAD("Dead");

    private final String kafkaName;

    StreamsGroupState(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    public String kafkaName() {
        return kafkaName;
    }
}
