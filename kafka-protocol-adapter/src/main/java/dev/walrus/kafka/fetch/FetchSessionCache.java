package dev.walrus.kafka.fetch;

import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchMetadata;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The broker's incremental fetch sessions (KIP-227), and the rules that turn a fetch request's session id and epoch
 * into a {@link FetchContext}, as Kafka's {@code FetchManager.newContext} does:
 *
 * <ul>
 *   <li>epoch -1 (final): a sessionless full fetch; a session named by the id is closed.
 *   <li>epoch 0 (initial): a full fetch; a session named by the id is closed and a new one created if there is room.
 *   <li>epoch > 0: an incremental fetch on an existing session: FETCH_SESSION_ID_NOT_FOUND if there is none,
 *       INVALID_FETCH_SESSION_EPOCH if the epoch is not the expected one, FETCH_SESSION_TOPIC_ID_ERROR if the
 *       request version disagrees with the session on topic IDs; else the session is updated and its epoch advanced.
 * </ul>
 *
 * <p>Behaviour: when the cache is full, the session least recently used is evicted if it has been idle for
 * {@value #EVICTION_MS} ms (Kafka's {@code min.incremental.fetch.session.eviction.ms}); otherwise no session is
 * created and the fetch is served sessionless. Kafka also weighs session size and follower privilege; a single node
 * has no followers.
 *
 * <p>Threading: synchronized.
 */
public final class FetchSessionCache {

    /** Kafka's {@code max.incremental.fetch.session.cache.slots}. */
    public static final int DEFAULT_MAX_SESSIONS = 1000;
    static final long EVICTION_MS = 120_000;

    private final int maxSessions;
    private final Map<Integer, FetchSession> sessions = new HashMap<>();

    public FetchSessionCache(int maxSessions) {
        this.maxSessions = maxSessions;
    }

    /**
     * @param usesTopicIds the request version is 13 or more
     * @param requested the partitions in the request (for an incremental fetch: the added or changed ones)
     * @param forgotten the partitions the request removes from its session
     */
    public synchronized FetchContext newContext(boolean usesTopicIds, int sessionId, int epoch,
                                                Map<FetchPartitionKey, FetchPosition> requested,
                                                List<FetchPartitionKey> forgotten, long nowMs) {
        if (epoch == FetchMetadata.FINAL_EPOCH || epoch == FetchMetadata.INITIAL_EPOCH) {
            if (sessionId != FetchMetadata.INVALID_SESSION_ID) {
                sessions.remove(sessionId);
            }
            if (epoch == FetchMetadata.FINAL_EPOCH) {
                return FetchContext.sessionless(requested);
            }
            FetchSession session = maybeCreate(usesTopicIds, nowMs);
            if (session == null) {
                return FetchContext.sessionless(requested);
            }
            synchronized (session) {
                session.update(requested, List.of());
            }
            return FetchContext.full(session, requested);
        }
        FetchSession session = sessions.get(sessionId);
        if (session == null) {
            return FetchContext.error(Errors.FETCH_SESSION_ID_NOT_FOUND);
        }
        synchronized (session) {
            if (session.epoch != epoch) {
                return FetchContext.error(Errors.INVALID_FETCH_SESSION_EPOCH);
            }
            if (session.usesTopicIds != usesTopicIds) {
                return FetchContext.error(Errors.FETCH_SESSION_TOPIC_ID_ERROR);
            }
            session.update(requested, forgotten);
            if (session.partitions.isEmpty()) {
                sessions.remove(session.id);
                return FetchContext.sessionless(requested);
            }
            session.epoch = FetchMetadata.nextEpoch(session.epoch);
            session.lastUsedMs = nowMs;
            return FetchContext.incremental(session);
        }
    }

    public synchronized int size() {
        return sessions.size();
    }

    private FetchSession maybeCreate(boolean usesTopicIds, long nowMs) {
        if (sessions.size() >= maxSessions && !evictIdle(nowMs)) {
            return null;
        }
        int id;
        do {
            id = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        } while (sessions.containsKey(id));
        FetchSession session = new FetchSession(id, usesTopicIds, FetchMetadata.nextEpoch(FetchMetadata.INITIAL_EPOCH), nowMs);
        sessions.put(id, session);
        return session;
    }

    private boolean evictIdle(long nowMs) {
        FetchSession oldest = null;
        for (FetchSession s : sessions.values()) {
            if (oldest == null || s.lastUsedMs < oldest.lastUsedMs) {
                oldest = s;
            }
        }
        if (oldest != null && nowMs - oldest.lastUsedMs >= EVICTION_MS) {
            sessions.remove(oldest.id);
            return true;
        }
        return false;
    }
}
