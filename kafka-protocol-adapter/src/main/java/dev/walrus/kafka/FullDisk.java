package dev.walrus.kafka;

import dev.walrus.engine.StorageFullException;
import java.util.EnumSet;
import java.util.Set;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * What a client is told when the engine refused a write because the disk is full ({@link StorageFullException}).
 *
 * <p>Kafka's answers to a write that its log directory refused: KAFKA_STORAGE_ERROR for a produce (retriable: the
 * producer retries until {@code delivery.timeout.ms}), and NOT_COORDINATOR for a coordinator's own write (a group's
 * or a transaction's state; Kafka's coordinators map the storage error so, and the client finds the coordinator again
 * and retries). A Kafka broker whose only log directory fails stops altogether; this broker goes on reading, deleting
 * and configuring, and accepts writes again as soon as space is freed. The engine logs each episode once, so a refusal
 * here is not logged again.
 */
public final class FullDisk {

    /** The APIs whose writes are a coordinator's: their refusal is NOT_COORDINATOR. */
    private static final Set<ApiKeys> COORDINATOR_WRITES = EnumSet.of(
            ApiKeys.JOIN_GROUP, ApiKeys.SYNC_GROUP, ApiKeys.LEAVE_GROUP, ApiKeys.HEARTBEAT, ApiKeys.OFFSET_COMMIT,
            ApiKeys.TXN_OFFSET_COMMIT, ApiKeys.OFFSET_DELETE, ApiKeys.DELETE_GROUPS, ApiKeys.CONSUMER_GROUP_HEARTBEAT,
            ApiKeys.STREAMS_GROUP_HEARTBEAT, ApiKeys.SHARE_GROUP_HEARTBEAT, ApiKeys.INIT_PRODUCER_ID,
            ApiKeys.ADD_PARTITIONS_TO_TXN, ApiKeys.ADD_OFFSETS_TO_TXN, ApiKeys.END_TXN);

    private FullDisk() {
    }

    /** Whether {@code failure}, or one of its causes, is the engine refusing a write on a full disk. */
    public static boolean refused(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StorageFullException) {
                return true;
            }
        }
        return false;
    }

    /** The error a coordinator answers for a write the full disk refused. */
    public static Errors coordinatorError() {
        return Errors.NOT_COORDINATOR;
    }

    /** The exception whose error response answers a whole request of {@code api} that the full disk refused. */
    static RuntimeException answerFor(ApiKeys api, Throwable failure) {
        String message = "the broker's disk is full: " + failure.getMessage();
        return COORDINATOR_WRITES.contains(api) ? new NotCoordinatorException(message)
                : new KafkaStorageException(message);
    }
}
