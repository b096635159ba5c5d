package dev.walrus.kafka.group;

import dev.walrus.kafka.CoordinatorThread;

/**
 * The one thread that owns every group's state, and its timers (session expiry, rebalance and sync deadlines). See
 * {@link CoordinatorThread}: group objects are touched only from tasks run here; offset writes that wait for fsync
 * run elsewhere.
 */
public final class GroupThread extends CoordinatorThread {

    public GroupThread() {
        super("walrus-group-coordinator");
    }
}
