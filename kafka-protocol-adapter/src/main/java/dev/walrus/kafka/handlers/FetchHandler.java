package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.fetch.FetchContext;
import dev.walrus.kafka.fetch.FetchParking;
import dev.walrus.kafka.fetch.FetchPartitionKey;
import dev.walrus.kafka.fetch.FetchPosition;
import dev.walrus.kafka.fetch.FetchSessionCache;
import dev.walrus.kafka.log.PartitionLog;
import dev.walrus.kafka.log.PartitionLogs;
import dev.walrus.kafka.log.PartitionRead;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.Topics;
import dev.walrus.kafka.quota.ByteRateThrottle;
import dev.walrus.kafka.quota.QuotaKeys;
import dev.walrus.kafka.quota.RequestTimeThrottle;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fetch (key 1), versions 4-18: record batches straight from the engine's mapped files (zero copy), long polls, and
 * incremental fetch sessions.
 *
 * <p>Behaviour:
 * <ul>
 *   <li>The high watermark is the log end offset: a single node is its whole ISR. The last stable offset is the
 *       first offset of the oldest open transaction (the high watermark when none is open); read_committed fetches
 *       stop there and get the aborted transactions among the returned batches, as from Kafka. Markers are
 *       appends, so they wake fetches parked at the last stable offset.
 *   <li>A fetch with less than {@code min.bytes} waits up to {@code max.wait.ms} off the network thread and is woken
 *       by an append to any of its partitions (Kafka's DelayedFetch, driven by engine append notifications).
 *   <li>Byte limits: the partitions are read in order; each gets at most its own limit and what is left of the
 *       request's; the first batch of the first partition with data is returned even if it is larger, as Kafka does.
 *   <li>Follower fetches (replica id >= 0) are served like a consumer's: there are no replicas.
 *   <li>No preferred read replica, no diverging epochs (one leader epoch, 0, forever).
 * </ul>
 *
 * <p>Authorization (with an authorizer): READ on each topic for consumers, CLUSTER_ACTION for followers (TOPIC_AUTHORIZATION_FAILED per partition, before whether it exists).
 *
 * <p>Version notes:
 * <ul>
 *   <li>v4: isolation level, last stable offset, aborted transactions. v5: log start offset. v6: same as v5.
 *   <li>v7 (KIP-227): incremental fetch sessions, forgotten topics. v8: same as v7. v9 (KIP-320): current leader
 *       epoch (ignored: it is always 0). v10: same as v9. v11 (KIP-392): rack id, preferred read replica (-1).
 *   <li>v12 (KIP-595): flexible, last fetched epoch, diverging epoch (never set). v13 (KIP-516): topic IDs,
 *       UNKNOWN_TOPIC_ID. v14: same as v13. v15 (KIP-903): replica state. v16: same as v15 (KIP-951).
 *       v17 (KIP-853): replica directory id. v18 (KIP-1166): follower high watermark (ignored).
 * </ul>
 */
public final class FetchHandler implements ApiHandler<FetchRequestData> {

    private final Topics topics;
    private final PartitionLogs logs;
    private final FetchSessionCache sessions;
    private final FetchParking parking;
    private final ByteRateThrottle throttle;
    private final RequestTimeThrottle requestQuota;
    /**
     * From Fetch v8 the client waits out a throttle itself (KIP-219); before, the broker delays the answer. Checked
     * here on every fetch so that a modern client's answer goes out with no extra stage ({@link Throttling} applies
     * Kafka's rule to the rest).
     */
    private static final short CLIENT_THROTTLES_SINCE = 8;

    public FetchHandler(Topics topics, PartitionLogs logs, FetchSessionCache sessions, FetchParking parking,
                        ByteRateThrottle throttle, RequestTimeThrottle requestQuota) {
        this.topics = topics;
        this.logs = logs;
        this.sessions = sessions;
        this.parking = parking;
        this.throttle = throttle;
        this.requestQuota = requestQuota;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FETCH;
    }

    @Override
    public short maxVersion() {
        return ApiKeys.FETCH.latestVersion(false);
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, FetchRequestData request, RequestContext context) {
        boolean byId = header.apiVersion() >= 13;
        LinkedHashMap<FetchPartitionKey, FetchPosition> requested = new LinkedHashMap<>();
        for (FetchRequestData.FetchTopic topic : request.topics()) {
            for (FetchRequestData.FetchPartition p : topic.partitions()) {
                requested.put(key(byId, topic.topicId(), topic.topic(), p.partition()),
                        new FetchPosition(p.fetchOffset(), p.partitionMaxBytes(), p.logStartOffset()));
            }
        }
        List<FetchPartitionKey> forgotten = new ArrayList<>();
        for (FetchRequestData.ForgottenTopic topic : request.forgottenTopicsData()) {
            for (int partition : topic.partitions()) {
                forgotten.add(key(byId, topic.topicId(), topic.topic(), partition));
            }
        }
        FetchContext fetchContext = sessions.newContext(byId, request.sessionId(), request.sessionEpoch(), requested,
                forgotten, System.currentTimeMillis());
        if (fetchContext.error() != Errors.NONE) {
            return CompletableFuture.completedFuture(new FetchResponseData()
                    .setErrorCode(fetchContext.error().code())
                    .setSessionId(fetchContext.sessionId()));
        }
        CompletableFuture<ApiMessage> response = new CompletableFuture<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, request.maxWaitMs()));
        attempt(new Pending(request, header.apiVersion(), fetchContext, byId, deadline, context, header.clientId(),
                response), false);
        if (header.apiVersion() >= CLIENT_THROTTLES_SINCE) {
            return response;
        }
        return response.thenCompose(r -> Throttling.answer(r, ((FetchResponseData) r).throttleTimeMs(), ApiKeys.FETCH,
                header.apiVersion()));
    }

    /** A replica's fetch (a replica id in the request), which Kafka exempts from client quotas. */
    private static boolean follower(FetchRequestData request) {
        return request.replicaId() >= 0 || request.replicaState().replicaId() >= 0;
    }

    private record Pending(FetchRequestData request, short version, FetchContext context, boolean byId, long deadlineNanos,
                           RequestContext connection, String clientId, CompletableFuture<ApiMessage> response) {

        long connectionId() {
            return connection.connectionId();
        }

        /**
         * Whether the fetcher may read {@code topic}, as Kafka checks it: a follower (a replica id in the request)
         * needs CLUSTER_ACTION, a consumer READ on the topic.
         */
        boolean mayRead(String topic) {
            return follower(request) ? connection.authorizedOnCluster(AclOperation.CLUSTER_ACTION)
                    : connection.authorized(AclOperation.READ, ResourceType.TOPIC, topic);
        }
    }

    private record Round(LinkedHashMap<FetchPartitionKey, FetchResponseData.PartitionData> results,
                         Map<String, Long> waitPast, int bytes, boolean anyError) {}

    /** Reads once; answers if there is enough (or no more time), else parks and tries again when woken. */
    private void attempt(Pending pending, boolean answerNow) {
        long roundStart = System.nanoTime();
        try {
            List<Map.Entry<FetchPartitionKey, FetchPosition>> toRead = pending.context().partitionsToRead();
            Round round = read(pending, toRead);
            long remainingNanos = pending.deadlineNanos() - System.nanoTime();
            if (answerNow || remainingNanos <= 0 || round.bytes() >= pending.request().minBytes() || round.anyError()
                    || toRead.isEmpty()) {
                pending.response().complete(respond(pending, round, System.nanoTime() - roundStart));
                return;
            }
            round.results().values().forEach(FetchHandler::release);
            parking.park(pending.connectionId(), round.waitPast(),
                    Math.max(1, TimeUnit.NANOSECONDS.toMillis(remainingNanos)),
                    wake -> attempt(pending, wake != FetchParking.Wake.APPENDED));
        } catch (RuntimeException e) {
            pending.response().completeExceptionally(e);
        }
    }

    private Round read(Pending pending, List<Map.Entry<FetchPartitionKey, FetchPosition>> toRead) {
        FetchRequestData request = pending.request();
        boolean readCommitted = request.isolationLevel() == IsolationLevel.READ_COMMITTED.id();
        LinkedHashMap<FetchPartitionKey, FetchResponseData.PartitionData> results = new LinkedHashMap<>();
        Map<String, Long> waitPast = new HashMap<>();
        int remaining = request.maxBytes();
        boolean minOneBatch = true;
        int bytes = 0;
        boolean anyError = false;
        for (Map.Entry<FetchPartitionKey, FetchPosition> entry : toRead) {
            FetchPartitionKey key = entry.getKey();
            FetchPosition position = entry.getValue();
            FetchResponseData.PartitionData data = new FetchResponseData.PartitionData()
                    .setPartitionIndex(key.partition())
                    .setPreferredReadReplica(-1)
                    .setAbortedTransactions(readCommitted ? new ArrayList<>() : null);
            Optional<TopicInfo> topic = key.usesTopicId() ? topics.byId(key.topicId()) : topics.byName(key.topic());
            Errors error = Errors.NONE;
            if (topic.isEmpty() && key.usesTopicId()) {
                error = Errors.UNKNOWN_TOPIC_ID;
            } else if (!pending.mayRead(topic.isPresent() ? topic.get().name() : key.topic())) {
                error = Errors.TOPIC_AUTHORIZATION_FAILED;   // before whether it exists, as in Kafka
            } else if (topic.isEmpty()) {
                error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
            } else if (!topic.get().hasPartition(key.partition())) {
                error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
            }
            if (error != Errors.NONE) {
                anyError = true;
                results.put(key, errorData(data, error));
                continue;
            }
            PartitionLog log = logs.get(topic.get(), key.partition());
            int limit = Math.min(position.maxBytes(), remaining);
            PartitionRead read = log.read(position.fetchOffset(), limit, minOneBatch, readCommitted);
            waitPast.put(log.engineTopic(), read.endPosition());
            if (read.error() != Errors.NONE) {
                anyError = true;
                results.put(key, errorData(data, read.error()));
                continue;
            }
            data.setErrorCode(Errors.NONE.code())
                    .setHighWatermark(read.highWatermark())
                    .setLastStableOffset(read.lastStableOffset())
                    .setLogStartOffset(read.logStartOffset())
                    .setRecords(read.records());
            if (read.abortedTransactions() != null) {
                for (PartitionRead.AbortedTransaction aborted : read.abortedTransactions()) {
                    data.abortedTransactions().add(new FetchResponseData.AbortedTransaction()
                            .setProducerId(aborted.producerId())
                            .setFirstOffset(aborted.firstOffset()));
                }
            }
            if (read.sizeInBytes() > 0) {
                minOneBatch = false;
                remaining -= read.sizeInBytes();
                bytes += read.sizeInBytes();
            }
            results.put(key, data);
        }
        return new Round(results, waitPast, bytes, anyError);
    }

    /** @param workNanos the time this answer took to read, counted against the client's request quota (KIP-124) */
    private FetchResponseData respond(Pending pending, Round round, long workNanos) {
        if (throttle.active()) {
            int throttleMs = throttleTime(pending, round, workNanos);
            if (throttleMs > 0) {
                // as Kafka: over its consumer byte-rate or request quota a client gets an empty answer with the
                // throttle time, and fetches the same offsets again once it has waited (the session remembers nothing
                // of this one)
                round.results().values().forEach(FetchHandler::release);
                return new FetchResponseData().setThrottleTimeMs(throttleMs).setErrorCode(Errors.NONE.code())
                        .setSessionId(pending.context().sessionId());
            }
        }
        List<Map.Entry<FetchPartitionKey, FetchResponseData.PartitionData>> selected =
                pending.context().select(round.results(), true);
        if (selected.size() != round.results().size()) {
            java.util.Set<FetchPartitionKey> kept = new java.util.HashSet<>();
            selected.forEach(e -> kept.add(e.getKey()));
            round.results().forEach((k, v) -> {
                if (!kept.contains(k)) {
                    release(v);
                }
            });
        }
        return response(pending, selected);
    }

    /**
     * Counts the answer against the client's quotas as Kafka's KafkaApis does: the response's size as Kafka's
     * {@code FetchResponse.sizeOf} gives it (4 bytes and the body as the session would send it, not the header)
     * against {@code consumer_byte_rate}, taken back again if the answer is throttled; a consumer's handling time
     * against its request quota. The throttle time, or 0.
     */
    private int throttleTime(Pending pending, Round round, long workNanos) {
        RequestContext connection = pending.connection();
        long now = System.currentTimeMillis();
        FetchResponseData wouldSend = response(pending, pending.context().select(round.results(), false));
        int responseBytes = ByteRateThrottle.responseBytes(wouldSend, pending.version());
        int throttleMs = throttle.record(QuotaKeys.CONSUMER_BYTE_RATE, connection.principalName(), pending.clientId(),
                responseBytes, now);
        if (!follower(pending.request())) {
            // Kafka's fetch path: the request quota is counted here (the dispatcher leaves fetches to this handler)
            throttleMs = Math.max(throttleMs, requestQuota.record(connection.principalName(), pending.clientId(),
                    workNanos, now));
        }
        if (throttleMs > 0) {
            throttle.unrecord(QuotaKeys.CONSUMER_BYTE_RATE, connection.principalName(), pending.clientId(),
                    responseBytes, now);
        }
        return throttleMs;
    }

    /** The response holding {@code selected}, grouped by topic in their order. */
    private static FetchResponseData response(Pending pending,
                                              List<Map.Entry<FetchPartitionKey, FetchResponseData.PartitionData>> selected) {
        FetchResponseData response = new FetchResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(Errors.NONE.code())
                .setSessionId(pending.context().sessionId());
        FetchResponseData.FetchableTopicResponse current = null;
        FetchPartitionKey currentKey = null;
        for (Map.Entry<FetchPartitionKey, FetchResponseData.PartitionData> e : selected) {
            FetchPartitionKey key = e.getKey();
            if (current == null || !sameTopic(currentKey, key)) {
                current = new FetchResponseData.FetchableTopicResponse();
                if (pending.byId()) {
                    current.setTopicId(key.topicId());
                } else {
                    current.setTopic(key.topic());
                }
                response.responses().add(current);
                currentKey = key;
            }
            current.partitions().add(e.getValue());
        }
        return response;
    }

    private static boolean sameTopic(FetchPartitionKey a, FetchPartitionKey b) {
        return a.topicId().equals(b.topicId()) && java.util.Objects.equals(a.topic(), b.topic());
    }

    private static FetchResponseData.PartitionData errorData(FetchResponseData.PartitionData data, Errors error) {
        return data.setErrorCode(error.code())
                .setHighWatermark(-1)
                .setLastStableOffset(-1)
                .setLogStartOffset(-1)
                .setRecords(MemoryRecords.EMPTY);
    }

    private static void release(FetchResponseData.PartitionData data) {
        if (data.records() instanceof dev.walrus.kafka.log.EntryRecords entries) {
            entries.close();
        }
    }

    private static FetchPartitionKey key(boolean byId, org.apache.kafka.common.Uuid topicId, String topic, int partition) {
        return byId ? FetchPartitionKey.byId(topicId, partition) : FetchPartitionKey.byName(topic, partition);
    }
}
