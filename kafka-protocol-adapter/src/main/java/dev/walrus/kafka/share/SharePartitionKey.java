package dev.walrus.kafka.share;

import org.apache.kafka.common.Uuid;

/** A share partition: one topic partition as one share group reads it (KIP-932). */
public record SharePartitionKey(String groupId, Uuid topicId, int partition) {}
