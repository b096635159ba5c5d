package dev.walrus.kafka.group.consumer;

/** The consumer-protocol group states, with the names Kafka reports. */
public enum ConsumerGroupState {
    EMPTY("Empty"),
    /** The group epoch moved past the target assignment: a new assignment is due. */
    ASSIGNING("Assigning"),
    /** Members are moving towards the target assignment. */
    RECONCILING("Reconciling"),
    STABLE("Stable"),
    DEAD("Dead");

    private final String kafkaName;

    ConsumerGroupState(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    public String kafkaName() {
        return kafkaName;
    }
}
