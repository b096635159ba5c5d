package dev.walrus.kafka.fetch;

import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchMetadata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One fetch request seen through its session: which partitions to read, and which of the results go into the
 * response (all of them for a full fetch; for an incremental one only those with records, an error, or a changed
 * high watermark, last stable offset or log start offset, as Kafka's {@code CachedPartition.maybeUpdateResponseData}
 * decides).
 */
public final class FetchContext {

    private enum Kind { SESSIONLESS, FULL, INCREMENTAL, ERROR }

    private final Kind kind;
    private final FetchSession session;
    private final Map<FetchPartitionKey, FetchPosition> requested;
    private final Errors error;

    private FetchContext(Kind kind, FetchSession session, Map<FetchPartitionKey, FetchPosition> requested, Errors error) {
        this.kind = kind;
        this.session = session;
        this.requested = requested;
        this.error = error;
    }

    static FetchContext sessionless(Map<FetchPartitionKey, FetchPosition> requested) {
        return new FetchContext(Kind.SESSIONLESS, null, requested, Errors.NONE);
    }

    static FetchContext full(FetchSession session, Map<FetchPartitionKey, FetchPosition> requested) {
        return new FetchContext(Kind.FULL, session, requested, Errors.NONE);
    }

    static FetchContext incremental(FetchSession session) {
        return new FetchContext(Kind.INCREMENTAL, session, Map.of(), Errors.NONE);
    }

    static FetchContext error(Errors error) {
        return new FetchContext(Kind.ERROR, null, Map.of(), error);
    }

    /** The top-level error (a session error), NONE otherwise. */
    public Errors error() {
        return error;
    }

    /** The session id to put in the response: 0 when there is no session. */
    public int sessionId() {
        return session == null ? FetchMetadata.INVALID_SESSION_ID : session.id;
    }

    /** The partitions to read, in reading order. */
    public List<Map.Entry<FetchPartitionKey, FetchPosition>> partitionsToRead() {
        if (kind != Kind.INCREMENTAL) {
            return List.copyOf(requested.entrySet());
        }
        synchronized (session) {
            List<Map.Entry<FetchPartitionKey, FetchPosition>> list = new ArrayList<>(session.partitions.size());
            session.partitions.forEach((k, v) -> list.add(Map.entry(k, v.position)));
            return list;
        }
    }

    /**
     * The results that go into the response, in order; with {@code remember}, updating what the session remembers of
     * each partition (without, only to size the response: Kafka sizes a fetch for its quota before it decides to
     * send it). Results left out hold no records (the caller releases nothing for them).
     */
    public List<Map.Entry<FetchPartitionKey, FetchResponseData.PartitionData>> select(
            LinkedHashMap<FetchPartitionKey, FetchResponseData.PartitionData> results, boolean remember) {
        if (kind == Kind.SESSIONLESS || kind == Kind.ERROR) {
            return List.copyOf(results.entrySet());
        }
        List<Map.Entry<FetchPartitionKey, FetchResponseData.PartitionData>> selected = new ArrayList<>(results.size());
        synchronized (session) {
            for (Map.Entry<FetchPartitionKey, FetchResponseData.PartitionData> e : results.entrySet()) {
                FetchSession.Cached cached = session.partitions.get(e.getKey());
                FetchResponseData.PartitionData data = e.getValue();
                if (cached == null) {
                    selected.add(e);
                    continue;
                }
                boolean hasRecords = data.records() != null && data.records().sizeInBytes() > 0;
                boolean mustRespond = hasRecords || kind == Kind.FULL
                        || cached.highWatermark != data.highWatermark()
                        || cached.lastStableOffset != data.lastStableOffset()
                        || cached.logStartOffset != data.logStartOffset()
                        || data.errorCode() != Errors.NONE.code();
                if (!mustRespond) {
                    continue;
                }
                selected.add(e);
                if (!remember) {
                    continue;
                }
                cached.highWatermark = data.errorCode() != Errors.NONE.code() ? -1 : data.highWatermark();
                cached.lastStableOffset = data.lastStableOffset();
                cached.logStartOffset = data.logStartOffset();
                if (hasRecords && kind == Kind.INCREMENTAL) {
                    // Round-robin fairness: a partition that returned data is read last next time.
                    session.partitions.remove(e.getKey());
                    session.partitions.put(e.getKey(), cached);
                }
            }
        }
        return selected;
    }
}
