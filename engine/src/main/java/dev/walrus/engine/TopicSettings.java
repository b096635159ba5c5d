package dev.walrus.engine;

import java.util.Objects;

/** The per-topic durability settings: when appends are fsynced, and how reader checkpoints are persisted. */
public record TopicSettings(FsyncSchedule fsync, ReadConsistency readConsistency) {
    public TopicSettings {
        Objects.requireNonNull(fsync, "fsync");
        Objects.requireNonNull(readConsistency, "readConsistency");
    }
}
