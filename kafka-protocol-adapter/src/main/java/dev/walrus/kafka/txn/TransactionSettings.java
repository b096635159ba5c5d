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
 * @param idExpirationMs {@code transactional.id.expiration.ms}: a transactional id with no transaction open and no
 *        change for this long is forgotten
 * @param expiryCheckIntervalMs {@code transaction.remove.expired.transaction.cleanup.interval.ms}: how often
 */
record TransactionSettings(int maxTimeoutMs, long abortCheckIntervalMs, int offsetsTopicPartitions,
                           long idExpirationMs, long expiryCheckIntervalMs) {

    static TransactionSettings from(BrokerSettings settings) {
        return new TransactionSettings(
                settings.getInt("transaction.max.timeout.ms"),
                settings.getLong("transaction.abort.timed.out.transaction.cleanup.interval.ms"),
                settings.getInt("offsets.topic.num.partitions"),
                settings.getLong("transactional.id.expiration.ms"),
                settings.getLong("transaction.remove.expired.transaction.cleanup.interval.ms"));
    }
}
