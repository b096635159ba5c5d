package dev.walrus.engine;

/**
 * How durable a reader's checkpoint is.
 *
 * <ul>
 *   <li>{@link #strictlyAtOnce()}: every checkpoint is persisted before the read or commit call returns.
 *   <li>{@link #atLeastOnce(int)}: the checkpoint is persisted every {@code persistEvery} advances, so a restart may
 *       replay up to that many entries.
 * </ul>
 */
public sealed interface ReadConsistency {

    record StrictlyAtOnce() implements ReadConsistency {}

    record AtLeastOnce(int persistEvery) implements ReadConsistency {
        public AtLeastOnce {
            if (persistEvery < 1) {
                throw new IllegalArgumentException("persistEvery must be at least 1, got " + persistEvery);
            }
        }
    }

    static ReadConsistency strictlyAtOnce() {
        return new StrictlyAtOnce();
    }

    static ReadConsistency atLeastOnce(int persistEvery) {
        return new AtLeastOnce(persistEvery);
    }
}
