package dev.walrus.kafka.handlers;

import org.apache.kafka.common.protocol.Errors;

/** Error codes of the transaction APIs as each version knows them. */
final class TransactionErrors {

    private TransactionErrors() {}

    /**
     * PRODUCER_FENCED came with KIP-588; before {@code fencedSince} a fenced producer hears INVALID_PRODUCER_EPOCH,
     * as Kafka answers older clients.
     */
    static Errors forVersion(Errors error, short version, short fencedSince) {
        return error == Errors.PRODUCER_FENCED && version < fencedSince ? Errors.INVALID_PRODUCER_EPOCH : error;
    }
}
