package dev.walrus.kafka.txn;

import dev.walrus.kafka.group.offsets.CommittedOffsets;
import org.apache.kafka.common.TopicPartition;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One transactional id as the coordinator knows it: its producer id and epoch, its timeout, and its current
 * transaction (state, partitions, consumer groups).
 *
 * <p>Threading: changed only on the coordinator's thread. The fields a produce checks under a partition's lock
 * ({@link TransactionCoordinator#verify}) are volatile or concurrent, and the coordinator changes the state before it
 * writes a marker, so a batch either lands before the marker or is refused.
 */
final class Transaction {

    final String transactionalId;
    volatile long producerId;
    volatile short epoch;
    /**
     * The epoch before the last bump asked for by the producer itself (KIP-360, or an EndTxn of transaction version 2),
     * for its retry; -1 if none.
     */
    short lastEpoch = -1;
    /**
     * Whether the last transition came from a client of transaction version 2 (KIP-890 part 2: implicit adds, an epoch
     * bump at every end), or was a fence under that finalized version, Kafka's {@code clientTransactionVersion}.
     */
    boolean tv2;
    /** The producer id before the last transition (Kafka's {@code PrevProducerId}); -1 if none. */
    long prevProducerId = -1;
    /**
     * The producer id the next transaction gets once the one being ended completes, because this end exhausts the
     * epoch (Kafka's {@code NextProducerId}, transaction version 2 only); -1 if none.
     */
    long nextProducerId = -1;
    int timeoutMs;
    volatile TransactionState state = TransactionState.EMPTY;
    final Set<TopicPartition> partitions = ConcurrentHashMap.newKeySet();
    final Set<String> groups = new LinkedHashSet<>();
    /** When the current or last transaction began (its first AddPartitionsToTxn/AddOffsetsToTxn); -1 after init. */
    long startMs = -1;
    long updateMs;
    /**
     * The group offsets of the transaction, logged with it: while ONGOING those TxnOffsetCommit accepted so far (a
     * restart hands them back to the group coordinator), in PREPARE_COMMIT those to commit (a restart commits them).
     */
    Map<String, List<CommittedOffsets.Write>> offsetsToCommit = Map.of();
    /** The partitions that already have this transaction's marker (so a retried end writes none twice). */
    final Set<TopicPartition> marked = new java.util.HashSet<>();
    /**
     * A change is on its way to the disk (a new epoch, a new producer id): requests for the id answer
     * CONCURRENT_TRANSACTIONS meanwhile, as during Kafka's pending transitions. Coordinator thread only.
     */
    boolean pending;

    Transaction(String transactionalId, long producerId, short epoch, int timeoutMs, long nowMs) {
        this.transactionalId = transactionalId;
        this.producerId = producerId;
        this.epoch = epoch;
        this.timeoutMs = timeoutMs;
        this.updateMs = nowMs;
    }

    /** A transition is under way (see {@link #pending}) or the transaction is being ended. */
    boolean busy() {
        return pending || state.preparing();
    }

    /** Begins a new transaction if none is open: ONGOING from now. */
    void beginIfIdle(long nowMs) {
        if (state.idle()) {
            state = TransactionState.ONGOING;
            partitions.clear();
            groups.clear();
            marked.clear();
            offsetsToCommit = Map.of();
            startMs = nowMs;
        }
    }

    /** Offsets TxnOffsetCommit accepted for a group: a later one of the same partition replaces the earlier. */
    void pendOffsets(String groupId, List<CommittedOffsets.Write> writes) {
        Map<String, List<CommittedOffsets.Write>> all = new LinkedHashMap<>(offsetsToCommit);
        Map<CommittedOffsets.Key, CommittedOffsets.Write> byPartition = new LinkedHashMap<>();
        for (CommittedOffsets.Write w : all.getOrDefault(groupId, List.of())) {
            byPartition.put(new CommittedOffsets.Key(w.topic().id(), w.partition()), w);
        }
        for (CommittedOffsets.Write w : writes) {
            byPartition.put(new CommittedOffsets.Key(w.topic().id(), w.partition()), w);
        }
        all.put(groupId, List.copyOf(byPartition.values()));
        offsetsToCommit = all;
    }

    /** The partitions in a stable order (for markers and descriptions). */
    List<TopicPartition> sortedPartitions() {
        return partitions.stream()
                .sorted((a, b) -> a.topic().equals(b.topic()) ? Integer.compare(a.partition(), b.partition())
                        : a.topic().compareTo(b.topic()))
                .toList();
    }
}
