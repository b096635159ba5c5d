package dev.walrus.kafka.share;

/**
 * A run of consecutive offsets of a share partition in the same state with the same delivery count, as Kafka's share
 * coordinator persists them (its "state batches").
 */
record StateBatch(long firstOffset, long lastOffset, DeliveryState state, short deliveryCount) {}
