package dev.walrus.kafka.log;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Whether a transactional batch may be appended: its producer is the current one of its transactional id, and the
 * open transaction added the partition (Kafka's produce-side transaction verification, KIP-890 part 1). Called under
 * the partition's lock, so a marker the coordinator writes for the transaction lands after any batch it accepted.
 */
@FunctionalInterface
public interface TransactionVerifier {

    /** Accepts nothing: a broker without transactions. */
    TransactionVerifier NONE = (transactionalId, producerId, epoch, partition) -> Errors.INVALID_TXN_STATE;

    /** {@link Errors#NONE} to append; else the error the produce answers for the partition. */
    Errors verify(String transactionalId, long producerId, short epoch, TopicPartition partition);

    /**
     * Transaction version 2 (KIP-890 part 2, Produce v12+): adds the partitions to the producer's transaction (which
     * begins if none is open) before its batches are appended, as Kafka's partition leader asks the coordinator to;
     * the future completes with the coordinator's AddPartitionsToTxn error, never on a network thread.
     */
    default CompletableFuture<Errors> addPartitionsImplicitly(String transactionalId, long producerId, short epoch,
                                                              List<TopicPartition> partitions) {
        return CompletableFuture.completedFuture(Errors.INVALID_TXN_STATE);
    }
}
