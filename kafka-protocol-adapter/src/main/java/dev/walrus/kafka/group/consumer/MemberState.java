package dev.walrus.kafka.group.consumer;

/** Where a consumer-protocol member is in reconciling towards its target assignment (KIP-848). */
public enum MemberState {
    /** The member owns its whole target assignment at the current epoch. */
    STABLE,
    /** The member must give up partitions first; its epoch stays until it confirms. */
    UNREVOKED_PARTITIONS,
    /** Some target partitions are still owned by others; the member gets them once they are released. */
    UNRELEASED_PARTITIONS
}
