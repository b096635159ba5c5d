package dev.walrus.kafka.txn;

import dev.walrus.kafka.FullDisk;
import dev.walrus.kafka.CoordinatorThread;
import dev.walrus.kafka.fetch.FetchParking;
import dev.walrus.kafka.group.GroupCoordinator;
import dev.walrus.kafka.group.offsets.CommittedOffsets;
import dev.walrus.kafka.log.PartitionLog;
import dev.walrus.kafka.log.PartitionLogs;
import dev.walrus.kafka.log.TransactionVerifier;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.Topics;
import dev.walrus.kafka.producer.ProducerIdAllocator;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * The transaction coordinator of this node: transactional ids, their producer ids and epochs, and the two-phase end of
 * each transaction. Both of Kafka's client protocols are served, chosen per request as Kafka does: transaction version
 * 1 (the client adds partitions and groups explicitly, and one epoch serves many transactions) and transaction
 * version 2 (KIP-890 part 2: a Produce v12+ or TxnOffsetCommit v5+ adds its partition or group implicitly, and every
 * EndTxn v5+ bumps the epoch, the markers carrying the bumped epoch; an exhausted epoch moves the id to a new producer
 * id at epoch 0).
 *
 * <p>Ending a transaction: the state moves to PrepareCommit or PrepareAbort (with the offsets to commit) and that is
 * made durable; then a marker is appended to every partition the transaction added, the group offsets are committed
 * (or dropped), everything is fsynced, and only then is the state CompleteCommit or CompleteAbort and the client
 * answered. Kafka answers after the prepare step and writes markers later; answering after them means a client's
 * next transaction never meets CONCURRENT_TRANSACTIONS. A restart finishes what a crash interrupted (a prepared
 * transaction is completed) and carries an open one on, as Kafka's new coordinator does: its partitions, group offsets
 * (TxnOffsetCommit logs them) and start time are in the log, so its producer may still commit or abort it.
 *
 * <p>Threading: every change runs on one thread ({@code walrus-transactions}); handlers call in with futures. A
 * produce checks its batch against the state under the partition's lock ({@link #verify}), without this thread.
 */
public final class TransactionCoordinator implements TransactionVerifier, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionCoordinator.class);
    /** Kafka's internal topic of group offsets, which Kafka's transactions name for the groups they add. */
    private static final String OFFSETS_TOPIC = "__consumer_offsets";
    /** TxnOffsetCommit v5+ comes from a client of transaction version 2, which sends no AddOffsetsToTxn (KIP-890). */
    private static final short IMPLICIT_GROUP_ADD_SINCE = 5;

    /** The outcome of InitProducerId. */
    public record InitResult(Errors error, long producerId, short epoch) {
        static InitResult failed(Errors error) {
            return new InitResult(error, -1, (short) -1);
        }
    }

    /** The outcome of EndTxn: the producer id and epoch for the next transaction (transaction version 2). */
    public record EndResult(Errors error, long producerId, short epoch) {
        static EndResult failed(Errors error) {
            return new EndResult(error, -1, (short) -1);
        }
    }

    /** One transactional id as DescribeTransactions and ListTransactions report it. */
    public record Description(String transactionalId, TransactionState state, long producerId, short epoch,
                              int timeoutMs, long startMs, List<TopicPartition> partitions) {}

    private final CoordinatorThread thread = new CoordinatorThread("walrus-transactions");
    /** By transactional id; coordinator thread only. */
    private final Map<String, Transaction> byId = new HashMap<>();
    /** By producer id, for {@link #verify} on produce threads. */
    private final Map<Long, Transaction> byProducerId = new ConcurrentHashMap<>();
    private final TransactionLog log;
    private final ProducerIdAllocator producerIds;
    private final Topics topics;
    private final PartitionLogs logs;
    private final FetchParking parking;
    private final GroupCoordinator groups;
    private final TransactionSettings settings;
    /** The finalized {@code transaction.version}, which decides how a fence ends an open transaction. */
    private final IntSupplier transactionVersion;

    TransactionCoordinator(TransactionLog log, ProducerIdAllocator producerIds, Topics topics, PartitionLogs logs,
                           FetchParking parking, GroupCoordinator groups, TransactionSettings settings,
                           IntSupplier transactionVersion) {
        this.log = log;
        this.producerIds = producerIds;
        this.topics = topics;
        this.logs = logs;
        this.parking = parking;
        this.groups = groups;
        this.settings = settings;
        this.transactionVersion = transactionVersion;
    }

    /** Replays the log, finishes what a crash left half done, and starts the timeout checks. Blocks until done. */
    void start() {
        thread.call(() -> {
            Map<String, Transaction> replayed = log.replay(topics::byId);
            List<CompletableFuture<Errors>> finishing = new ArrayList<>();
            for (Transaction t : replayed.values()) {
                byId.put(t.transactionalId, t);
                byProducerId.put(t.producerId, t);
                switch (t.state) {
                    case PREPARE_COMMIT -> finishing.add(complete(t, true, true));
                    case PREPARE_ABORT -> finishing.add(complete(t, false, true));
                    case ONGOING -> {
                        // Carried on, as by Kafka's new coordinator: its producer may still commit or abort it, or
                        // its timeout (counted from its start) ends it. Its group offsets are pending again.
                        LOG.info("transactional id {}: its transaction goes on after the restart", t.transactionalId);
                        t.offsetsToCommit.forEach((group, writes) -> finishing.add(
                                groups.restoreTransactionalOffsets(group, t.producerId, writes).thenApply(v -> Errors.NONE)));
                    }
                    default -> { }
                }
            }
            return CompletableFuture.allOf(finishing.toArray(CompletableFuture[]::new)).thenApply(v -> null);
        }).join();
        thread.every(settings.abortCheckIntervalMs(), this::abortTimedOut);
        thread.every(settings.expiryCheckIntervalMs(), this::removeExpiredIds);
    }

    // ---- InitProducerId ------------------------------------------------------------------------------------------

    /**
     * InitProducerId with a transactional id: a new id gets a producer id at epoch 0; a known one gets its epoch
     * bumped (a new producer id when the epoch is exhausted), which fences its previous producer. An open transaction
     * is aborted first and the caller answered CONCURRENT_TRANSACTIONS, as Kafka does; its retry gets the epoch.
     *
     * @param expectedProducerId the caller's producer id (KIP-360), -1 for none
     */
    public CompletableFuture<InitResult> initProducerId(String transactionalId, int timeoutMs, long expectedProducerId,
                                                        short expectedEpoch) {
        if (transactionalId.isEmpty() || (expectedProducerId < 0) != (expectedEpoch < 0)) {
            return CompletableFuture.completedFuture(InitResult.failed(Errors.INVALID_REQUEST));
        }
        if (timeoutMs <= 0 || timeoutMs > settings.maxTimeoutMs()) {
            return CompletableFuture.completedFuture(InitResult.failed(Errors.INVALID_TRANSACTION_TIMEOUT));
        }
        return thread.call(() -> {
            Transaction t = byId.get(transactionalId);
            if (t == null) {
                return create(transactionalId, timeoutMs);
            }
            if (t.busy()) {
                return done(InitResult.failed(Errors.CONCURRENT_TRANSACTIONS));
            }
            boolean producerAsks = expectedProducerId >= 0;
            if (producerAsks && expectedProducerId != t.producerId) {
                return done(InitResult.failed(Errors.PRODUCER_FENCED));
            }
            if (producerAsks && expectedEpoch == t.lastEpoch && t.state.idle()) {
                // A retry of the bump this producer asked for: it already happened.
                return done(new InitResult(Errors.NONE, t.producerId, t.epoch));
            }
            if (producerAsks && expectedEpoch != t.epoch) {
                return done(InitResult.failed(Errors.PRODUCER_FENCED));
            }
            t.timeoutMs = timeoutMs;
            if (t.state == TransactionState.ONGOING) {
                // As Kafka's coordinator (PrepareEpochFence): the open transaction is aborted under the next epoch,
                // which no caller ever gets, and the caller is told CONCURRENT_TRANSACTIONS to retry. Its retry then
                // finds the abort complete and takes the paths above and below: a new producer gets one epoch more;
                // the producer asking with its own epoch (KIP-360) gets the abort's epoch under transaction version 2
                // (that end remembers the epoch before it) and is fenced under version 1.
                return fenceAndAbort(t).thenApply(error -> InitResult.failed(
                        error == Errors.NONE ? Errors.CONCURRENT_TRANSACTIONS : error));
            }
            return bumpEpoch(t, true, producerAsks);
        });
    }

    /**
     * Coordinator thread: InitProducerId's bump of an idle id (a new producer id when the epoch is exhausted), durable
     * before the answer; busy until then.
     *
     * @param keepLastEpoch whether the epoch before the bump is remembered for the producer's own retry (KIP-360)
     */
    private CompletableFuture<InitResult> bumpEpoch(Transaction t, boolean keepLastEpoch, boolean producerAsks) {
        short before = t.epoch;
        t.pending = true;
        long producerIdBefore = t.producerId;
        return newEpoch(t).thenComposeAsync(v -> {
            t.lastEpoch = producerAsks && keepLastEpoch ? before : -1;
            t.prevProducerId = producerIdBefore;
            t.state = TransactionState.EMPTY;
            t.startMs = -1;
            t.updateMs = System.currentTimeMillis();
            InitResult result = new InitResult(Errors.NONE, t.producerId, t.epoch); // what this caller gets
            return log.save(t).thenApply(saved -> result);
        }, thread.executor()).whenCompleteAsync((result, failure) -> t.pending = false, thread.executor());
    }

    /** A new transactional id: a producer id at epoch 0, durable before the answer; busy until then. */
    private CompletableFuture<InitResult> create(String transactionalId, int timeoutMs) {
        Transaction created = new Transaction(transactionalId, -1, (short) 0, timeoutMs, System.currentTimeMillis());
        created.pending = true;
        byId.put(transactionalId, created);
        return producerIds.nextProducerId().thenComposeAsync(id -> {
            created.producerId = id;
            byProducerId.put(id, created);
            return log.save(created).thenApply(v -> new InitResult(Errors.NONE, id, (short) 0));
        }, thread.executor()).whenCompleteAsync((result, failure) -> {
            created.pending = false;
            if (failure != null) {
                if (FullDisk.refused(failure)) {
                    LOG.debug("transactional id {}: no producer id on the full disk", transactionalId);
                } else {
                    LOG.error("transactional id {}: could not give it a producer id", transactionalId, failure);
                }
                byId.remove(transactionalId);
                byProducerId.remove(created.producerId);
            }
        }, thread.executor());
    }

    /**
     * The next epoch for InitProducerId; when the epoch is exhausted, a new producer id at epoch 0 (as Kafka does).
     * A fence never takes this path: see {@link #fenceAndAbort}.
     */
    private CompletableFuture<Void> newEpoch(Transaction t) {
        if (t.epoch < Short.MAX_VALUE - 1) {
            t.epoch++;
            return CompletableFuture.completedFuture(null);
        }
        return producerIds.nextProducerId().thenAcceptAsync(id -> {
            byProducerId.remove(t.producerId);
            t.producerId = id;
            t.epoch = 0;
            byProducerId.put(id, t);
        }, thread.executor());
    }

    // ---- AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit ----------------------------------------------------

    /**
     * AddPartitionsToTxn: the partitions join the producer's transaction, which begins if none is open. With
     * {@code verifyOnly}, only checks that they already belong to it. Partitions of {@code unwritableTopics} (the
     * client may not WRITE them) or unknown ones fail the whole request: they get TOPIC_AUTHORIZATION_FAILED or
     * UNKNOWN_TOPIC_OR_PARTITION and the others OPERATION_NOT_ATTEMPTED, as in Kafka, which checks the topics first.
     */
    public CompletableFuture<Map<TopicPartition, Errors>> addPartitions(String transactionalId, long producerId,
                                                                        short epoch, List<TopicPartition> partitions,
                                                                        Set<String> unwritableTopics,
                                                                        boolean verifyOnly) {
        if (!unwritableTopics.isEmpty()) {
            return CompletableFuture.completedFuture(refused(partitions, unwritableTopics));
        }
        if (transactionalId == null || transactionalId.isEmpty()) {
            return CompletableFuture.completedFuture(allFailed(partitions, Errors.INVALID_REQUEST));
        }
        Map<TopicPartition, Errors> refused = refused(partitions, Set.of());
        if (!refused.isEmpty()) {
            return CompletableFuture.completedFuture(refused);
        }
        return thread.call(() -> {
            Transaction t = byId.get(transactionalId);
            Errors error = checkBeforeAdding(t, producerId, epoch);
            if (error == Errors.NONE && verifyOnly) {
                Map<TopicPartition, Errors> result = new LinkedHashMap<>();
                partitions.forEach(tp -> result.put(tp, t.state == TransactionState.ONGOING && t.partitions.contains(tp)
                        ? Errors.NONE : Errors.INVALID_TXN_STATE));
                return done(result);
            }
            if (error != Errors.NONE) {
                return done(allFailed(partitions, error));
            }
            long now = System.currentTimeMillis();
            if (t.state == TransactionState.ONGOING && t.partitions.containsAll(partitions)) {
                return done(allFailed(partitions, Errors.NONE));
            }
            t.beginIfIdle(now);
            t.partitions.addAll(partitions);
            t.tv2 = false;
            t.updateMs = now;
            return log.save(t).thenApply(v -> allFailed(partitions, Errors.NONE));
        });
    }

    /**
     * Transaction version 2 (KIP-890 part 2): the partitions a Produce v12+ writes transactional batches to join the
     * producer's transaction, which begins if none is open, durably before the batches are appended: Kafka's partition
     * leader sends the coordinator an AddPartitionsToTxn for them (not verify-only) and appends once it answers. The
     * coordinator's checks are AddPartitionsToTxn's; the future completes on the coordinator thread.
     */
    @Override
    public CompletableFuture<Errors> addPartitionsImplicitly(String transactionalId, long producerId, short epoch,
                                                             List<TopicPartition> partitions) {
        return thread.call(() -> {
            Transaction t = byId.get(transactionalId);
            Errors error = checkBeforeAdding(t, producerId, epoch);
            if (error == Errors.NONE && t.state.preparing()) {
                error = Errors.CONCURRENT_TRANSACTIONS;
            }
            if (error != Errors.NONE || (t.state == TransactionState.ONGOING && t.partitions.containsAll(partitions))) {
                return done(error);
            }
            long now = System.currentTimeMillis();
            t.beginIfIdle(now);
            t.partitions.addAll(partitions);
            t.tv2 = true;
            t.updateMs = now;
            return log.save(t).thenApplyAsync(v -> Errors.NONE, thread.executor());
        });
    }

    /** AddOffsetsToTxn: the group's offsets will be committed with the producer's transaction. */
    public CompletableFuture<Errors> addOffsets(String transactionalId, long producerId, short epoch, String groupId) {
        if (transactionalId == null || transactionalId.isEmpty()) {
            return CompletableFuture.completedFuture(Errors.INVALID_REQUEST);
        }
        return thread.call(() -> {
            Transaction t = byId.get(transactionalId);
            Errors error = checkBeforeAdding(t, producerId, epoch);
            if (error != Errors.NONE) {
                return done(error);
            }
            long now = System.currentTimeMillis();
            if (t.state == TransactionState.ONGOING && t.groups.contains(groupId)) {
                return done(Errors.NONE);
            }
            t.beginIfIdle(now);
            t.groups.add(groupId);
            t.tv2 = false;
            t.updateMs = now;
            return log.save(t).thenApply(v -> Errors.NONE);
        });
    }

    /**
     * TxnOffsetCommit: Kafka's transaction verification for the group's offsets (the producer is the current one and
     * its open transaction added the group; TRANSACTION_ABORTABLE if it did not), then the group's own checks, started
     * on this thread so that the group thread queues the offsets before any end of this transaction. The accepted
     * offsets are logged with the transaction, durably before the answer (Kafka writes them to
     * {@code __consumer_offsets} first), so that the transaction can still commit them after a restart.
     *
     * @param refuse the answer for a verification error
     */
    public CompletableFuture<TxnOffsetCommitResponseData> commitOffsets(TxnOffsetCommitRequestData request, short version,
                                                                        Function<Errors, TxnOffsetCommitResponseData> refuse) {
        String transactionalId = request.transactionalId();
        long producerId = request.producerId();
        short epoch = request.producerEpoch();
        String groupId = request.groupId();
        return thread.call(() -> {
            Transaction t = byId.get(transactionalId);
            Errors error;
            if (t == null || t.producerId != producerId) {
                error = Errors.INVALID_PRODUCER_ID_MAPPING;
            } else if (epoch != t.epoch) {
                error = Errors.INVALID_PRODUCER_EPOCH;
            } else if (t.busy()) {
                error = Errors.CONCURRENT_TRANSACTIONS;
            } else if (version >= IMPLICIT_GROUP_ADD_SINCE
                    && (t.state != TransactionState.ONGOING || !t.groups.contains(groupId))) {
                // Transaction version 2: the group joins the transaction here (Kafka's coordinator adds the group's
                // __consumer_offsets partition), durably before its offsets are taken.
                long now = System.currentTimeMillis();
                t.beginIfIdle(now);
                t.groups.add(groupId);
                t.tv2 = true;
                t.updateMs = now;
                return log.save(t).thenComposeAsync(added -> commitOffsetsOfAddedGroup(t, request, version),
                        thread.executor());
            } else if (t.state != TransactionState.ONGOING || !t.groups.contains(groupId)) {
                error = Errors.TRANSACTION_ABORTABLE;
            } else {
                return commitOffsetsOfAddedGroup(t, request, version);
            }
            return done(refuse.apply(error));
        });
    }

    /** Coordinator thread: the group's own checks and the offsets it accepts, logged with the transaction. */
    private CompletableFuture<TxnOffsetCommitResponseData> commitOffsetsOfAddedGroup(Transaction t,
                                                                                     TxnOffsetCommitRequestData request,
                                                                                     short version) {
        return groups.commitTransactionalOffsets(request, version).thenComposeAsync(result -> {
            if (result.accepted().isEmpty() || t.state != TransactionState.ONGOING) {
                return done(result.response()); // nothing new, or the transaction ended meanwhile
            }
            t.pendOffsets(request.groupId(), result.accepted());
            return log.save(t).thenApply(saved -> result.response());
        }, thread.executor());
    }

    /** Kafka's checks of AddPartitionsToTxn and AddOffsetsToTxn, in its order (a transition in progress first). */
    private static Errors checkBeforeAdding(Transaction t, long producerId, short epoch) {
        if (t == null) {
            return Errors.INVALID_PRODUCER_ID_MAPPING;
        }
        if (t.busy()) {
            return Errors.CONCURRENT_TRANSACTIONS;
        }
        if (t.producerId != producerId) {
            return Errors.INVALID_PRODUCER_ID_MAPPING;
        }
        return epoch != t.epoch ? Errors.PRODUCER_FENCED : Errors.NONE;
    }

    /** Kafka's checks of EndTxn, in its order (the producer first, then a transition in progress). */
    private static Errors checkBeforeEnding(Transaction t, long producerId, short epoch) {
        if (t == null || t.producerId != producerId) {
            return Errors.INVALID_PRODUCER_ID_MAPPING;
        }
        if (epoch != t.epoch) {
            return Errors.PRODUCER_FENCED;
        }
        return t.busy() ? Errors.CONCURRENT_TRANSACTIONS : Errors.NONE;
    }

    /**
     * Kafka's topic checks of AddPartitionsToTxn: each partition of an unwritable topic TOPIC_AUTHORIZATION_FAILED,
     * else of an unknown partition UNKNOWN_TOPIC_OR_PARTITION, the others OPERATION_NOT_ATTEMPTED; empty if none
     * fails.
     */
    private Map<TopicPartition, Errors> refused(List<TopicPartition> partitions, Set<String> unwritableTopics) {
        Map<TopicPartition, Errors> failed = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            Optional<TopicInfo> topic = topics.byName(tp.topic());
            if (unwritableTopics.contains(tp.topic())) {
                failed.put(tp, Errors.TOPIC_AUTHORIZATION_FAILED);
            } else if (topic.isEmpty() || !topic.get().hasPartition(tp.partition())) {
                failed.put(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION);
            }
        }
        if (failed.isEmpty()) {
            return failed;
        }
        Map<TopicPartition, Errors> result = new LinkedHashMap<>();
        partitions.forEach(tp -> result.put(tp, failed.getOrDefault(tp, Errors.OPERATION_NOT_ATTEMPTED)));
        return result;
    }

    private static Map<TopicPartition, Errors> allFailed(List<TopicPartition> partitions, Errors error) {
        Map<TopicPartition, Errors> result = new LinkedHashMap<>();
        partitions.forEach(tp -> result.put(tp, error));
        return result;
    }

    /**
     * Kafka's produce-side verification, as the partition leader hears it from the coordinator: a fenced producer gets
     * INVALID_PRODUCER_EPOCH (never PRODUCER_FENCED on a produce), a transaction being ended NOT_ENOUGH_REPLICAS
     * (retriable), a partition the transaction did not add TRANSACTION_ABORTABLE (INVALID_TXN_STATE before Produce
     * v11; the handler says which).
     */
    @Override
    public Errors verify(String transactionalId, long producerId, short epoch, TopicPartition partition) {
        Transaction t = transactionalId == null ? null : byProducerId.get(producerId);
        if (t == null || !t.transactionalId.equals(transactionalId)) {
            return Errors.INVALID_PRODUCER_ID_MAPPING;
        }
        if (epoch != t.epoch) {
            return Errors.INVALID_PRODUCER_EPOCH;
        }
        if (t.state.preparing()) {
            return Errors.NOT_ENOUGH_REPLICAS;
        }
        if (t.state != TransactionState.ONGOING || !t.partitions.contains(partition)) {
            return Errors.TRANSACTION_ABORTABLE;
        }
        return Errors.NONE;
    }

    // ---- EndTxn --------------------------------------------------------------------------------------------------

    /**
     * EndTxn: commits or aborts the producer's open transaction; a retry of a completed end answers NONE. With
     * {@code tv2} (EndTxn v5+), Kafka's transaction version 2 rules apply (see {@link #endTransactionV2}); otherwise
     * the answer's producer id and epoch are the request's.
     */
    public CompletableFuture<EndResult> endTransaction(String transactionalId, long producerId, short epoch,
                                                       boolean commit, boolean tv2) {
        if (transactionalId == null || transactionalId.isEmpty()) {
            return CompletableFuture.completedFuture(EndResult.failed(Errors.INVALID_REQUEST));
        }
        if (tv2) {
            return thread.call(() -> endTransactionV2(byId.get(transactionalId), producerId, epoch, commit));
        }
        return thread.call(() -> endTransactionV1(transactionalId, producerId, epoch, commit))
                .thenApply(error -> new EndResult(error, producerId, epoch));
    }

    /**
     * Coordinator thread: EndTxn v5+ as Kafka's coordinator judges it for transaction version 2. Every end bumps the
     * epoch, so an epoch one below the current one is a retry of the last end (or of an end that moved the id to a new
     * producer id, whose epoch is then 0); an abort is allowed with nothing in the transaction (the client may have
     * failed to write anything); the answer names the producer id and epoch of the next transaction.
     */
    private CompletableFuture<EndResult> endTransactionV2(Transaction t, long producerId, short epoch, boolean commit) {
        if (t == null) {
            return done(EndResult.failed(Errors.INVALID_PRODUCER_ID_MAPPING));
        }
        if (t.pending) {
            return done(EndResult.failed(Errors.CONCURRENT_TRANSACTIONS));
        }
        boolean retryOnOverflow = t.prevProducerId == producerId && epoch == Short.MAX_VALUE - 1 && t.epoch == 0;
        boolean retryOnEpochBump = t.epoch == epoch + 1;
        if (t.producerId != producerId && !retryOnOverflow) {
            return done(EndResult.failed(Errors.INVALID_PRODUCER_ID_MAPPING));
        }
        boolean validEpoch = switch (t.state) {
            case ONGOING, EMPTY, DEAD -> epoch == t.epoch;
            case PREPARE_COMMIT, PREPARE_ABORT -> retryOnEpochBump;
            case COMPLETE_COMMIT, COMPLETE_ABORT -> retryOnEpochBump || retryOnOverflow || epoch == t.epoch;
        };
        if (!validEpoch) {
            return done(EndResult.failed(Errors.PRODUCER_FENCED));
        }
        boolean retry = retryOnEpochBump || retryOnOverflow;
        EndResult current = new EndResult(Errors.NONE, t.producerId, t.epoch);
        EndResult invalid = EndResult.failed(Errors.INVALID_TXN_STATE);
        return switch (t.state) {
            case ONGOING -> endWithBump(t, commit);
            case COMPLETE_COMMIT -> commit ? done(retry ? current : invalid)
                    : retry ? done(invalid) : endWithBump(t, false);
            case COMPLETE_ABORT -> commit ? done(invalid) : retry ? done(current) : endWithBump(t, false);
            case EMPTY -> commit ? done(invalid) : endWithBump(t, false);
            case PREPARE_COMMIT -> done(commit ? EndResult.failed(Errors.CONCURRENT_TRANSACTIONS) : invalid);
            case PREPARE_ABORT -> done(commit ? invalid : EndResult.failed(Errors.CONCURRENT_TRANSACTIONS));
            case DEAD -> done(invalid);
        };
    }

    /**
     * Coordinator thread: ends the transaction as transaction version 2 does (Kafka's {@code prepareAbortOrCommit}):
     * the epoch goes up by one before the prepare step, so the markers carry the new epoch and fence every batch of the
     * old one; an epoch that reaches {@code Short.MAX_VALUE - 1} or more also takes a new producer id, which the id
     * moves to, at epoch 0, once the transaction completes. An abort with nothing added (empty, or after a completed
     * transaction) writes no marker but still bumps the epoch.
     */
    private CompletableFuture<EndResult> endWithBump(Transaction t, boolean commit) {
        CompletableFuture<Long> next = t.epoch >= Short.MAX_VALUE - 1 ? producerIds.nextProducerId() : done(-1L);
        t.pending = true;
        return next.thenComposeAsync(nextProducerId -> {
            t.pending = false;
            long now = System.currentTimeMillis();
            if (!t.state.idle() && t.state != TransactionState.ONGOING) {
                return done(EndResult.failed(Errors.CONCURRENT_TRANSACTIONS)); // a timeout ended it meanwhile
            }
            if (t.state != TransactionState.ONGOING) {
                // Kafka's empty abort: a transaction with nothing added, started now.
                t.beginIfIdle(now);
            }
            t.lastEpoch = t.epoch;
            if (t.epoch < Short.MAX_VALUE) { // an epoch at the maximum (a fence of an exhausted one) only rotates
                t.epoch++;
            }
            t.prevProducerId = t.producerId;
            t.nextProducerId = nextProducerId;
            t.tv2 = true;
            return complete(t, commit, false).thenApply(error -> error == Errors.NONE
                    ? new EndResult(Errors.NONE, t.producerId, t.epoch) : EndResult.failed(error));
        }, thread.executor()).whenCompleteAsync((result, failure) -> t.pending = false, thread.executor());
    }

    /** Coordinator thread: EndTxn v0-4 (transaction version 1). */
    private CompletableFuture<Errors> endTransactionV1(String transactionalId, long producerId, short epoch,
                                                       boolean commit) {
        Transaction t = byId.get(transactionalId);
        Errors error = checkBeforeEnding(t, producerId, epoch);
        if (error != Errors.NONE) {
            return done(error);
        }
        return switch (t.state) {
            case ONGOING -> {
                t.tv2 = false;
                yield complete(t, commit, false);
            }
            case COMPLETE_COMMIT -> done(commit ? Errors.NONE : Errors.INVALID_TXN_STATE);
            case COMPLETE_ABORT -> done(commit ? Errors.INVALID_TXN_STATE : Errors.NONE);
            default -> done(Errors.INVALID_TXN_STATE);
        };
    }

    /**
     * Fences the producer and aborts its open transaction: a timeout, a new producer. The epoch goes up by one, as in
     * Kafka, by the rules of the finalized {@code transaction.version} (not the transaction's own client's, since no
     * client asked for this end, as Kafka's coordinator decides): at 2 as an end of transaction version 2 would (the
     * epoch before it remembered, a new producer id once the transaction is aborted, if that exhausts the epoch);
     * otherwise never to a new producer id, since the partitions know the open transaction by this producer id.
     */
    private CompletableFuture<Errors> fenceAndAbort(Transaction t) {
        if (transactionVersion.getAsInt() >= 2) {
            return endWithBump(t, false).thenApply(EndResult::error);
        }
        t.epoch = (short) Math.min(t.epoch + 1, Short.MAX_VALUE);
        t.lastEpoch = -1;
        return complete(t, false, false);
    }

    /**
     * Coordinator thread: the two-phase end of {@code t}'s transaction (see the class comment), for an open
     * transaction, or with {@code recovering} for a prepared one found at start (its decision and offsets to commit
     * came from the log). The state is a prepare state from this call on, so nothing else touches the transaction
     * until it completes. A failure is retried a second later: the decision stands, and markers already written are
     * not written again.
     */
    private CompletableFuture<Errors> complete(Transaction t, boolean commit, boolean recovering) {
        t.state = commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT;
        t.updateMs = System.currentTimeMillis();
        CompletableFuture<Map<String, List<CommittedOffsets.Write>>> offsets = recovering || !commit
                ? CompletableFuture.completedFuture(t.offsetsToCommit) : pendingOffsets(t);
        return offsets.thenComposeAsync(toCommit -> {
            t.offsetsToCommit = toCommit;
            return recovering ? CompletableFuture.completedFuture(null) : log.save(t);
        }, thread.executor()).thenComposeAsync(prepared -> {
            writeMarkers(t, commit, recovering);
            List<CompletableFuture<Void>> groupsDone = new ArrayList<>();
            for (String group : t.groups) {
                groupsDone.add(groups.completeTransactionalOffsets(group, t.producerId,
                        commit ? t.offsetsToCommit.getOrDefault(group, List.of()) : null));
            }
            groupsDone.add(log.sync());
            return CompletableFuture.allOf(groupsDone.toArray(CompletableFuture[]::new));
        }, thread.executor()).handleAsync((v, failure) -> {
            if (failure != null) {
                if (FullDisk.refused(failure)) { // the engine logged the full disk; Kafka's answer: NOT_COORDINATOR
                    LOG.warn("transactional id {}: could not {} its transaction on the full disk; retrying in a second",
                            t.transactionalId, commit ? "commit" : "abort");
                    thread.schedule(1000, () -> complete(t, commit, true));
                    return FullDisk.coordinatorError();
                }
                LOG.error("transactional id {}: could not {} its transaction; retrying in a second", t.transactionalId,
                        commit ? "commit" : "abort", failure);
                thread.schedule(1000, () -> complete(t, commit, true));
                return Errors.KAFKA_STORAGE_ERROR;
            }
            t.state = commit ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT;
            if (t.nextProducerId >= 0) {
                // transaction version 2 exhausted the epoch: the next transaction runs under the new producer id
                byProducerId.remove(t.producerId, t);
                t.prevProducerId = t.producerId;
                t.producerId = t.nextProducerId;
                t.epoch = 0;
                t.nextProducerId = -1;
                byProducerId.put(t.producerId, t);
            }
            t.partitions.clear();
            t.groups.clear();
            t.marked.clear();
            t.offsetsToCommit = Map.of();
            t.updateMs = System.currentTimeMillis();
            log.save(t); // nobody waits: a restart that finds it prepared completes it again
            log.maybeCompact();
            return Errors.NONE;
        }, thread.executor());
    }

    /** The offsets each of the transaction's groups holds pending for its producer. */
    private CompletableFuture<Map<String, List<CommittedOffsets.Write>>> pendingOffsets(Transaction t) {
        Map<String, List<CommittedOffsets.Write>> result = new LinkedHashMap<>();
        CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
        for (String group : t.groups) {
            all = all.thenCombine(groups.pendingTransactionalOffsets(group, t.producerId),
                    (v, writes) -> {
                        synchronized (result) {
                            result.put(group, writes);
                        }
                        return null;
                    });
        }
        return all.thenApply(v -> result);
    }

    /**
     * A marker in every partition the transaction added that still exists, once. When completing after a restart or
     * a failure, only where the producer still has the transaction open: the others got theirs before.
     */
    private void writeMarkers(Transaction t, boolean commit, boolean onlyWhereOpen) {
        long now = System.currentTimeMillis();
        for (TopicPartition tp : t.sortedPartitions()) {
            Optional<TopicInfo> topic = topics.byName(tp.topic());
            if (topic.isEmpty() || !topic.get().hasPartition(tp.partition()) || t.marked.contains(tp)) {
                continue;
            }
            PartitionLog partition = logs.get(topic.get(), tp.partition());
            if (onlyWhereOpen && partition.openTransactionStart(t.producerId) < 0) {
                continue;
            }
            partition.appendMarker(t.producerId, t.epoch, commit, now);
            t.marked.add(tp);
            parking.appended(partition.engineTopic());
        }
    }

    // ---- timeouts ------------------------------------------------------------------------------------------------

    /** Aborts, fencing their producers, the transactions open longer than their timeout (Kafka's periodic check). */
    private void abortTimedOut() {
        long now = System.currentTimeMillis();
        for (Transaction t : List.copyOf(byId.values())) {
            if (t.state == TransactionState.ONGOING && !t.busy() && now - t.startMs > t.timeoutMs) {
                LOG.info("transactional id {}: aborting its transaction, open for {} ms (timeout {} ms)",
                        t.transactionalId, now - t.startMs, t.timeoutMs);
                fenceAndAbort(t);
            }
        }
    }

    /**
     * Forgets the transactional ids with no transaction open and no change for {@code transactional.id.expiration.ms}
     * (Kafka's periodic expiry): the next InitProducerId of such an id starts afresh with a new producer id.
     */
    private void removeExpiredIds() {
        long now = System.currentTimeMillis();
        for (Transaction t : List.copyOf(byId.values())) {
            if (t.state.idle() && !t.busy() && now - t.updateMs >= settings.idExpirationMs()) {
                LOG.info("transactional id {}: expired after {} ms without a transaction", t.transactionalId,
                        now - t.updateMs);
                byId.remove(t.transactionalId);
                byProducerId.remove(t.producerId, t);
                log.delete(t);
            }
        }
    }

    // ---- descriptions --------------------------------------------------------------------------------------------

    /** Every transactional id (ListTransactions), or the named ones that exist (DescribeTransactions). */
    public CompletableFuture<List<Description>> describe(List<String> transactionalIds) {
        return thread.call(() -> {
            List<Description> result = new ArrayList<>();
            if (transactionalIds == null) {
                byId.values().forEach(t -> result.add(describe(t)));
            } else {
                for (String id : transactionalIds) {
                    Transaction t = byId.get(id);
                    if (t != null) {
                        result.add(describe(t));
                    }
                }
            }
            return done(result);
        });
    }

    /** As Kafka describes it: a group the transaction added shows as its {@code __consumer_offsets} partition. */
    private Description describe(Transaction t) {
        List<TopicPartition> partitions = new ArrayList<>(t.sortedPartitions());
        for (String group : t.groups) {
            int hash = group.hashCode();
            int abs = hash == Integer.MIN_VALUE ? 0 : Math.abs(hash); // Kafka's Utils.abs
            partitions.add(new TopicPartition(OFFSETS_TOPIC, abs % settings.offsetsTopicPartitions()));
        }
        return new Description(t.transactionalId, t.state, t.producerId, t.epoch, t.timeoutMs, t.startMs, partitions);
    }

    // ---- plumbing ------------------------------------------------------------------------------------------------

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    @Override
    public void close() {
        thread.close();
    }
}
