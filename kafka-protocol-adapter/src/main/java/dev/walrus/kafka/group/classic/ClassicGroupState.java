package dev.walrus.kafka.group.classic;

/** The classic group state machine, with the names Kafka reports. */
public enum ClassicGroupState {
    /** No members; the group may still hold committed offsets. */
    EMPTY("Empty"),
    /** Waiting for every member to (re)join before a new generation starts. */
    PREPARING_REBALANCE("PreparingRebalance"),
    /** The new generation exists; waiting for the leader's assignment in SyncGroup. */
    COMPLETING_REBALANCE("CompletingRebalance"),
    /** Every member has its assignment. */
    STABLE("Stable"),
    /** Deleted; kept only by requests that still hold a reference. */
    DEAD("Dead");

    private final String kafkaName;

    ClassicGroupState(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    public String kafkaName() {
        return kafkaName;
    }
}
