/**
 * Cluster metadata: the topics, their IDs, partition counts and config overrides, the cluster id, and the finalized
 * KIP-584 feature levels ({@link dev.walrus.kafka.metadata.Features}).
 *
 * <p>Durable home: the internal engine topic {@code __walrus_metadata} (never a Kafka topic), one entry per change
 * ({@link dev.walrus.kafka.metadata.MetadataRecord}; byte layout in {@code MetadataRecordCodec}). At start the log is
 * replayed in order into {@link dev.walrus.kafka.metadata.TopicRegistry}'s in-memory view; a new data directory gets
 * a cluster id first. A change is appended, shown in the view, and answered to the client only after
 * {@code Walrus.syncAsync()} completes, so an acknowledged change survives kill -9 and power loss.
 *
 * <p>Recovery: partition logs ({@code p-<topicId>-<n>}) that no live topic owns after replay (a deletion logged but
 * not finished, a creation that never became durable) are deleted at start.
 *
 * <p>Threading: changes are serialized on the registry; readers (every request) take the current immutable view
 * without locking. Handlers of the metadata APIs live in {@code dev.walrus.kafka.handlers} and only translate
 * requests into registry calls.
 */
package dev.walrus.kafka.metadata;
