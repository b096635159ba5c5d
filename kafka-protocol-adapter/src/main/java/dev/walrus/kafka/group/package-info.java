/**
 * Consumer groups: the group coordinator of this single node.
 *
 * <p>Map:
 * <ul>
 *   <li>{@link dev.walrus.kafka.group.GroupModule} opens everything and hands its handlers to the adapter's table.</li>
 *   <li>{@link dev.walrus.kafka.group.GroupCoordinator} is the entry point of every group API: which group an id names,
 *       the offset validation ladder, describe/list/delete.</li>
 *   <li>{@code classic}: JoinGroup/SyncGroup/Heartbeat/LeaveGroup rules ({@code ClassicGroupProtocol}) over
 *       {@code ClassicGroup} state; the assignors run in the clients.</li>
 *   <li>{@code consumer}: the KIP-848 protocol ({@code ConsumerGroupProtocol}): group epoch, target assignment from the
 *       server assignors {@code uniform} and {@code range}, per-member reconciliation (revoke first, assign once
 *       released), classic-protocol members of a consumer group ({@code ClassicProtocolMembers}).</li>
 *   <li>{@link dev.walrus.kafka.group.HeartbeatGroup}: the rules the two heartbeat protocols share (which member a
 *       heartbeat names, member epoch fencing, which group a describe names), over
 *       {@link dev.walrus.kafka.group.HeartbeatMember}.</li>
 *   <li>{@code streams}: the KIP-1071 streams protocol ({@code StreamsGroupProtocol}): the topology the first member
 *       brings, checked against the topics ({@code TopologyConfigurer}, which names the internal topics to create),
 *       task assignment by {@code StickyTaskAssignor}, per-member reconciliation as in {@code consumer}.</li>
 *   <li>{@code offsets}: committed offsets as engine named-reader checkpoints ({@code group:<id>} on the partition's
 *       engine topic), durable before OffsetCommit is answered; each commit and deletion, and each classic group's
 *       generation, is also written in Kafka's record format to the internal topic {@code __consumer_offsets}
 *       ({@code OffsetsTopic}), a record for its readers (console consumer formatters, Burrow) that is never read
 *       back.</li>
 *   <li>{@code store}: group membership state as snapshots in the internal engine topic {@code __walrus_groups},
 *       replayed at open.</li>
 * </ul>
 *
 * <p>Threading: one thread ({@link dev.walrus.kafka.group.GroupThread}) owns every group object and runs every timer
 * (session expiry, rebalance and sync deadlines, the offset retention check); network threads only hand requests over
 * and get futures back. Offset checkpoints, which wait for fsync, run on a small writer pool.
 *
 * <p>Offset retention, as Kafka 4.x applies {@code offsets.retention.minutes}: every
 * {@code offsets.retention.check.interval.ms} the coordinator removes each group's expired offsets and the empty
 * groups left without any ({@code OffsetRetentionCheck}); when an offset starts to age is the
 * group's {@link dev.walrus.kafka.group.OffsetExpiration} (an empty classic group's from when it became empty, which
 * the group log keeps across a restart).
 *
 * <p>Where this differs from Apache Kafka 4.x, and why: committed offsets are fsynced before the answer (Kafka's
 * single node does not fsync); {@code group.initial.rebalance.delay.ms} defaults to 0; offset metadata is limited to
 * what fits an engine checkpoint attachment (32 KiB, more than Kafka's default 4096 characters need); streams groups have no warm-up tasks and no rack-aware
 * standby placement, and create their missing internal topics within the heartbeat that finds them missing. Share groups (KIP-932) live in the same
 * map and id space but are served by {@code dev.walrus.kafka.share}.
 *
 * <p>Online migration between the protocols (KIP-848, {@code group.consumer.migration.policy}, bidirectional by
 * default as in Kafka 4.4): a consumer-protocol member joining a classic group with members upgrades it
 * ({@code GroupMigration}, {@code consumer.GroupConversion}); classic members of a consumer group are served by
 * {@code consumer.ClassicProtocolMembers}; the group goes back to classic when its last consumer-protocol member
 * leaves. The group log keeps a converted group in its new form, classic members' JoinGroup details included.
 */
package dev.walrus.kafka.group;
