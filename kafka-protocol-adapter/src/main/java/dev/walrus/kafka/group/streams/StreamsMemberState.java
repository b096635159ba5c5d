package dev.walrus.kafka.group.streams;

/** Where a streams-protocol member is in reconciling towards its target assignment (KIP-1071, as KIP-848's members). */
public enum StreamsMemberState {
    /** The member owns its whole target assignment at the current epoch. */
    STABLE,
    /** The member must give up tasks first; its epoch stays until it reports them gone. */
    UNREVOKED_TASKS,
    /** Some target tasks are still owned by others; the member gets them once they are released. */
    UNRELEASED_TASKS
}
