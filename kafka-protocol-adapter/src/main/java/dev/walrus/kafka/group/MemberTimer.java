package dev.walrus.kafka.group;

/**
 * A group member's pending deadline check on the group thread (consumer, streams and share members): its session,
 * and its rebalance timeout while it owes a revocation (plus, for classic members of a consumer group, its join and
 * sync deadlines). One check is armed at a
 * time, except that a nearer deadline than the armed check overtakes it: a second check is scheduled for the nearer
 * one, and the later one, when it runs, finds itself not due and does nothing. Without that, a rebalance timeout
 * shorter than the session timeout, or a session timeout lowered by a group config, would be enforced only when the
 * armed check came round. Group thread only.
 */
public final class MemberTimer {

    private boolean armed;
    private long atMs;

    /** Whether a check must be scheduled in {@code delayMs}: none is armed, or the armed one comes later. */
    public boolean arm(long nowMs, long delayMs) {
        if (armed && atMs <= nowMs + delayMs) {
            return false;
        }
        atMs = nowMs + delayMs;
        armed = true;
        return true;
    }

    /** At a scheduled check: whether it is the one due (an overtaken, later one is not); if so, disarms. */
    public boolean due(long nowMs) {
        if (nowMs < atMs) {
            return false;
        }
        armed = false;
        return true;
    }
}
