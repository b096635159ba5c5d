package dev.walrus.kafka.share;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Share sessions (KIP-932; Kafka's ShareSessionCache and ShareSessionContext): one per (group, member), holding the
 * partitions the member fetches from and the epoch its next request must carry. Epoch 0 opens a session (full: the
 * request names every partition, and may not acknowledge anything), a positive epoch continues it (incremental: the
 * request names what it adds, and forgets what it drops), -1 closes it (final: acknowledgements only). A wrong epoch
 * is INVALID_SHARE_SESSION_EPOCH, a session that is not there SHARE_SESSION_NOT_FOUND, more than
 * {@code group.share.max.share.sessions} SHARE_SESSION_LIMIT_REACHED, as in Kafka.
 *
 * <p>Threading: synchronized; network threads only.
 */
final class ShareSessions {

    static final int INITIAL_EPOCH = 0;
    static final int FINAL_EPOCH = -1;

    /** A topic partition of a session. */
    record Partition(Uuid topicId, int partition) {}

    /** One session: its partitions, the epoch expected next, and the connection that opened it. */
    static final class Session {
        final String groupId;
        final String memberId;
        final LinkedHashSet<Partition> partitions = new LinkedHashSet<>();
        int epoch;
        long connectionId;

        Session(String groupId, String memberId) {
            this.groupId = groupId;
            this.memberId = memberId;
        }
    }

    /** A request's view of its session: what to fetch, whether the session opens (full) or closes (final). */
    record Context(Session session, List<Partition> toFetch, boolean full, boolean closing) {}

    /** A session rule the request broke. */
    static final class SessionError extends RuntimeException {
        final Errors error;

        SessionError(Errors error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }

    private record Key(String groupId, String memberId) {}

    private final Map<Key, Session> sessions = new HashMap<>();
    private final java.util.function.IntSupplier maxSessions;

    ShareSessions(java.util.function.IntSupplier maxSessions) {
        this.maxSessions = maxSessions;
    }

    static int nextEpoch(int epoch) {
        return epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
    }

    /** ShareFetch's session step. */
    synchronized Context forFetch(String groupId, String memberId, int epoch, List<Partition> requested,
                                  List<Partition> forgotten, boolean acknowledges, long connectionId) {
        Key key = new Key(groupId, memberId);
        if (epoch == FINAL_EPOCH) {
            Session s = sessions.get(key);
            if (s == null) {
                throw new SessionError(Errors.SHARE_SESSION_NOT_FOUND);
            }
            return new Context(s, List.of(), false, true);
        }
        if (epoch == INITIAL_EPOCH) {
            if (acknowledges) {
                throw new SessionError(Errors.INVALID_REQUEST);
            }
            sessions.remove(key);
            if (sessions.size() >= maxSessions.getAsInt()) {
                throw new SessionError(Errors.SHARE_SESSION_LIMIT_REACHED);
            }
            Session s = new Session(groupId, memberId);
            s.partitions.addAll(requested);
            s.epoch = nextEpoch(INITIAL_EPOCH);
            s.connectionId = connectionId;
            sessions.put(key, s);
            return new Context(s, List.copyOf(s.partitions), true, false);
        }
        Session s = sessions.get(key);
        if (s == null) {
            throw new SessionError(Errors.SHARE_SESSION_NOT_FOUND);
        }
        if (s.epoch != epoch) {
            throw new SessionError(Errors.INVALID_SHARE_SESSION_EPOCH);
        }
        s.partitions.addAll(requested);
        forgotten.forEach(s.partitions::remove);
        s.epoch = nextEpoch(s.epoch);
        s.connectionId = connectionId;
        return new Context(s, List.copyOf(s.partitions), false, false);
    }

    /** ShareAcknowledge's session step: the session must be there at this epoch; -1 closes it afterwards. */
    synchronized Session forAcknowledge(String groupId, String memberId, int epoch) {
        if (epoch == INITIAL_EPOCH) {
            throw new SessionError(Errors.INVALID_SHARE_SESSION_EPOCH);
        }
        Session s = sessions.get(new Key(groupId, memberId));
        if (s == null) {
            throw new SessionError(Errors.SHARE_SESSION_NOT_FOUND);
        }
        if (epoch != FINAL_EPOCH) {
            if (s.epoch != epoch) {
                throw new SessionError(Errors.INVALID_SHARE_SESSION_EPOCH);
            }
            s.epoch = nextEpoch(s.epoch);
        }
        return s;
    }

    /** Removes a closed session (if it is still this one). */
    synchronized void remove(Session session) {
        sessions.remove(new Key(session.groupId, session.memberId), session);
    }

    /** The sessions a closed connection opened: they end with it, and their members' records are released. */
    synchronized List<Session> connectionClosed(long connectionId) {
        List<Session> closed = new ArrayList<>();
        sessions.values().removeIf(s -> {
            if (s.connectionId == connectionId) {
                closed.add(s);
                return true;
            }
            return false;
        });
        return closed;
    }

    /** The sessions of a group's members (a deleted group's are dropped). */
    synchronized void dropGroup(String groupId) {
        sessions.keySet().removeIf(k -> k.groupId().equals(groupId));
    }

    synchronized Set<Partition> partitionsOf(Session s) {
        return Set.copyOf(s.partitions);
    }
}
