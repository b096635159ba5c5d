package dev.walrus.kafka.txn;

import dev.walrus.engine.Walrus;
import dev.walrus.kafka.config.BrokerSettings;
import dev.walrus.kafka.fetch.FetchParking;
import dev.walrus.kafka.group.GroupCoordinator;
import dev.walrus.kafka.handlers.AddOffsetsToTxnHandler;
import dev.walrus.kafka.handlers.AddPartitionsToTxnHandler;
import dev.walrus.kafka.handlers.ApiHandler;
import dev.walrus.kafka.handlers.DescribeTransactionsHandler;
import dev.walrus.kafka.handlers.EndTxnHandler;
import dev.walrus.kafka.handlers.ListTransactionsHandler;
import dev.walrus.kafka.handlers.TxnOffsetCommitHandler;
import dev.walrus.kafka.log.PartitionLogs;
import dev.walrus.kafka.metadata.Topics;
import dev.walrus.kafka.producer.ProducerIdAllocator;

import java.util.List;
import java.util.function.IntSupplier;

/**
 * Transactions: the transaction coordinator, its log ({@code __walrus_transactions}) and the handlers of the
 * transaction APIs. InitProducerId and Produce, shared with idempotent producers, live with the data path and call
 * the coordinator.
 *
 * <p>Opening replays the log and finishes the transactions a crash interrupted (after the partition logs are open,
 * since that writes markers to them).
 */
public final class TransactionModule implements AutoCloseable {

    private final TransactionCoordinator coordinator;
    private final List<ApiHandler<?>> handlers;

    private TransactionModule(TransactionCoordinator coordinator, List<ApiHandler<?>> handlers) {
        this.coordinator = coordinator;
        this.handlers = handlers;
    }

    /** @param transactionVersion the finalized {@code transaction.version}, read when a transaction is fenced */
    public static TransactionModule open(Walrus engine, BrokerSettings settings, Topics topics, PartitionLogs logs,
                                         FetchParking parking, GroupCoordinator groups, ProducerIdAllocator producerIds,
                                         IntSupplier transactionVersion) {
        TransactionCoordinator coordinator = new TransactionCoordinator(new TransactionLog(engine), producerIds, topics,
                logs, parking, groups, TransactionSettings.from(settings), transactionVersion);
        coordinator.start();
        List<ApiHandler<?>> handlers = List.of(
                new AddPartitionsToTxnHandler(coordinator),
                new AddOffsetsToTxnHandler(coordinator),
                new EndTxnHandler(coordinator),
                new TxnOffsetCommitHandler(coordinator, topics),
                new ListTransactionsHandler(coordinator),
                new DescribeTransactionsHandler(coordinator));
        return new TransactionModule(coordinator, handlers);
    }

    public TransactionCoordinator coordinator() {
        return coordinator;
    }

    public List<ApiHandler<?>> handlers() {
        return handlers;
    }

    @Override
    public void close() {
        coordinator.close();
    }
}
