package dev.walrus.kafka.txn;

/**
 * The states of a transactional id, with the names Kafka's admin APIs report ({@code DescribeTransactions},
 * {@code ListTransactions}, {@code kafka-transactions}).
 *
 * <p>The prepare states last only while the coordinator makes the end of a transaction durable and writes its
 * markers; requests for the id meanwhile answer CONCURRENT_TRANSACTIONS, as in Kafka.
 */
public enum TransactionState {
    EMPTY("Empty"),
    ONGOING("Ongoing"),
    PREPARE_COMMIT("PrepareCommit"),
    PREPARE_ABORT("PrepareAbort"),
    COMPLETE_COMMIT("CompleteCommit"),
    COMPLETE_ABORT("CompleteAbort"),
    /** Expired (transactional.id.expiration.ms): only ever in the log, as the id's tombstone. */
    DEAD("Dead");

    private final String kafkaName;

    TransactionState(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    /** The name Kafka uses for this state. */
    public String kafkaName() {
        return kafkaName;
    }

    /** Between transactions: a new one may begin (AddPartitionsToTxn, AddOffsetsToTxn). */
    boolean idle() {
        return this == EMPTY || this == COMPLETE_COMMIT || this == COMPLETE_ABORT;
    }

    boolean preparing() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT;
    }
}
