package dev.walrus.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * When a topic's appends reach the disk.
 *
 * <ul>
 *   <li>{@link #syncEach()}: {@code append} returns only once its bytes are durable; concurrent appends share one fsync.
 *   <li>{@link #every(Duration)}: a background flusher fsyncs at most this long after an append.
 *   <li>{@link #none()}: the engine never fsyncs on its own; {@link Walrus#flush()} and {@link Walrus#syncAsync()} still do.
 * </ul>
 */
public sealed interface FsyncSchedule {

    record SyncEach() implements FsyncSchedule {}

    record Every(Duration interval) implements FsyncSchedule {
        public Every {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("fsync interval must be positive, got " + interval);
            }
        }
    }

    record None() implements FsyncSchedule {}

    static FsyncSchedule syncEach() {
        return new SyncEach();
    }

    static FsyncSchedule every(Duration interval) {
        return new Every(interval);
    }

    static FsyncSchedule none() {
        return new None();
    }
}
