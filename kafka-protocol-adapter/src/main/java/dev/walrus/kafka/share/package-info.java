/**
 * Share groups (KIP-932, "queues for Kafka"): members that read the same partitions together, each record delivered
 * to one member at a time and acknowledged one by one.
 *
 * <p>Map:
 * <ul>
 *   <li>{@link dev.walrus.kafka.share.ShareModule} opens everything (replaying the share group log) and hands its
 *       handlers to the adapter's table; {@link dev.walrus.kafka.share.ShareCoordinator} serves each API.</li>
 *   <li>{@code ShareGroupProtocol}: ShareGroupHeartbeat and ShareGroupDescribe over {@code ShareGroup} objects, which
 *       live in the group coordinator's map (one id space with classic and consumer groups) and on its thread;
 *       {@code SimpleShareAssignor} computes the target assignment with the rules of Kafka's simple assignor.</li>
 *   <li>{@code ShareSessions}: share sessions and their epochs (full, incremental, final), as Kafka's
 *       ShareSessionCache.</li>
 *   <li>{@code SharePartitions} and {@code SharePartition}: each share partition's start offset, in-flight records
 *       (AVAILABLE, ACQUIRED, ACKNOWLEDGED, ARCHIVED), delivery counts and acquisition locks (timed out on the thread
 *       {@code walrus-share-locks}).</li>
 *   <li>{@code ShareGroupLog} and {@code ShareRecords}: membership and share partition state in the engine topic
 *       {@code __walrus_share_groups}, replayed at open and compacted when it grows well past its live states.</li>
 * </ul>
 *
 * <p>Where this differs from Apache Kafka 4.4, and why: acknowledgements are fsynced before they are answered (Kafka's
 * share coordinator does not fsync on a single node); DescribeShareGroupOffsets reports the current start offset
 * (Kafka's may trail until its next state write); share groups are served without the {@code share.version} feature
 * being gated on; a dead-letter queue record (KIP-1191, {@code DeadLetterQueue}) is appended before the archived
 * state it goes with, where Kafka persists an ARCHIVING state first and writes it later.
 */
package dev.walrus.kafka.share;
