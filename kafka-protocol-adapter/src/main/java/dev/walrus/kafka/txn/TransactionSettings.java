package dev.walrus.kafka.txn;

import dev.walrus.kafka.config.BrokerSettings;

/**
 * The transaction coordinator's broker configs, Kafka's keys and defaults.
 *
 * @param maxTimeoutMs {@code transaction.max.timeout.ms}: InitProducerId with a longer transaction timeout gets
 *        INVALID_TRANSACTION_TIMEOUT
 * @param abortCheckIntervalMs {@code transaction.abort.timed.out.transaction.cleanup.interval.ms}: how often timed-out
 *        transactions are looked for and aborted
 * @param offsetsTopicPartitions {@code offsets.topic.num.partitions}: how Kafka spreads groups over
 *        {@code __consumer_offsets}, which DescribeTransactions shows for the groups a transaction added
 */
record TransactionSettings(int maxTimeoutMs, long abortCheckIntervalMs, int offsetsTopicPartitions) {

    static TransactionSettings from(BrokerSettings settings) {
        return new TransactionSettings(
                settings.getInt("transaction.max.timeout.ms"),
                settings.getLong("transaction.abort.timed.out.transaction.cleanup.interval.ms"),
                settings.getInt("offsets.topic.num.partitions"));
    }
}
