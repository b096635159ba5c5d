package dev.walrus.kafka.txn;

import dev.walrus.engine.Walrus;
import dev.walrus.kafka.EngineReplay;
import dev.walrus.kafka.metadata.TopicInfo;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The transaction coordinator's durable state: the internal engine topic {@value #TOPIC}, one snapshot per change of
 * a transactional id ({@link TransactionRecords}), replayed at open (the last one of an id wins). Kafka's
 * {@code __transaction_state}, which it writes with acks=all before answering; here {@link #save} returns a future
 * that completes once the snapshot is fsynced.
 *
 * <p>Compaction: when the log holds many more records than live ids, the live snapshots are appended as one
 * all-or-nothing batch and everything before it is truncated.
 */
final class TransactionLog {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionLog.class);
    static final String TOPIC = "__walrus_transactions";
    private static final int COMPACT_MIN_RECORDS = 10_000;

    private final Walrus engine;
    private long recordsSinceCompaction;
    /** The last snapshot saved of each id: compaction rewrites what was saved, never the live (maybe preparing) state. */
    private final Map<String, byte[]> lastSaved = new java.util.HashMap<>();

    TransactionLog(Walrus engine) {
        this.engine = engine;
    }

    /** Appends the id's snapshot; the future completes once it is durable. */
    CompletableFuture<Void> save(Transaction t) {
        byte[] snapshot = TransactionRecords.snapshot(t);
        lastSaved.put(t.transactionalId, snapshot);
        engine.append(TOPIC, snapshot);
        recordsSinceCompaction++;
        return engine.syncAsync();
    }

    /** Appends the id's tombstone: a restart forgets it. Nobody waits (an expiry lost to a crash happens again). */
    void delete(Transaction t) {
        t.state = TransactionState.DEAD;
        engine.append(TOPIC, TransactionRecords.snapshot(t));
        lastSaved.remove(t.transactionalId);
        recordsSinceCompaction++;
    }

    /** Completes once everything appended so far, to any engine topic, is durable. */
    CompletableFuture<Void> sync() {
        return engine.syncAsync();
    }

    Map<String, Transaction> replay(Function<Uuid, Optional<TopicInfo>> topicsById) {
        Map<String, Transaction> transactions = new LinkedHashMap<>();
        long records = EngineReplay.forEachEntry(engine, TOPIC, e -> {
            try {
                byte[] record = e.bytes();
                Transaction t = TransactionRecords.decode(record, topicsById);
                if (t.state == TransactionState.DEAD) {
                    transactions.remove(t.transactionalId);
                    lastSaved.remove(t.transactionalId);
                } else {
                    transactions.put(t.transactionalId, t);
                    lastSaved.put(t.transactionalId, record);
                }
            } catch (IllegalArgumentException bad) {
                LOG.warn("skipping unreadable transaction record at position {} of {}: {}", e.position(), TOPIC,
                        bad.getMessage());
            }
        });
        recordsSinceCompaction = records;
        LOG.info("replayed {} transaction records: {} transactional ids", records, transactions.size());
        return transactions;
    }

    /** Rewrites the last snapshot of each id and drops the rest once the log holds four times more records than ids. */
    void maybeCompact() {
        if (recordsSinceCompaction < COMPACT_MIN_RECORDS || recordsSinceCompaction < 4L * lastSaved.size()) {
            return;
        }
        List<byte[]> snapshots = new ArrayList<>(lastSaved.values());
        long keepFrom = snapshots.isEmpty() ? engine.endPosition(TOPIC) : engine.appendBatch(TOPIC, snapshots);
        engine.syncAsync().thenRun(() -> engine.truncateBefore(TOPIC, keepFrom));
        LOG.info("compacted {}: {} records down to {}", TOPIC, recordsSinceCompaction, snapshots.size());
        recordsSinceCompaction = snapshots.size();
    }
}
