package dev.walrus.kafka.share;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.fetch.FetchParking;
import dev.walrus.kafka.log.EntryRecords;
import dev.walrus.kafka.log.PartitionLogs;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.Topics;
import dev.walrus.kafka.quota.ByteRateThrottle;
import dev.walrus.kafka.quota.QuotaKeys;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ShareAcknowledgeRequestData;
import org.apache.kafka.common.message.ShareAcknowledgeResponseData;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
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
 * Delivery to share group members (KIP-932): ShareFetch and ShareAcknowledge over share sessions and share partitions,
 * as Kafka's SharePartitionManager serves them.
 *
 * <p>Threading: runs on the network thread (each share partition is its own lock) and waits off it: long polls parked
 * in {@link FetchParking}, acknowledgements made durable by the engine's fsync before the answer.
 */
final class ShareDelivery {

    private final SharePartitions partitions;
    private final ShareSessions sessions;
    private final ShareGroupLog log;
    private final ShareConfigs configs;
    private final Topics topics;
    private final PartitionLogs logs;
    private final FetchParking parking;
    private final ByteRateThrottle throttle;
    private final int nodeId;

    ShareDelivery(SharePartitions partitions, ShareSessions sessions, ShareGroupLog log, ShareConfigs configs, Topics topics,
                  PartitionLogs logs, FetchParking parking, ByteRateThrottle throttle, int nodeId) {
        this.throttle = throttle;
        this.partitions = partitions;
        this.sessions = sessions;
        this.log = log;
        this.configs = configs;
        this.topics = topics;
        this.logs = logs;
        this.parking = parking;
        this.nodeId = nodeId;
    }

    // ---- ShareFetch -------------------------------------------------------------------------------------------------

    /** ShareFetch's answer per partition, built as the request is served. */
    private static final class PartitionAnswer {
        final ShareFetchResponseData.PartitionData data;
        boolean hasRecords;
        /** The request acknowledged records of this partition: the answer carries the outcome, as Kafka's does. */
        boolean acknowledged;

        PartitionAnswer(int partition, int nodeId) {
            data = new ShareFetchResponseData.PartitionData().setPartitionIndex(partition)
                    .setRecords(MemoryRecords.EMPTY)
                    .setCurrentLeader(new ShareFetchResponseData.LeaderIdAndEpoch().setLeaderId(nodeId).setLeaderEpoch(0));
        }
    }

    CompletableFuture<ShareFetchResponseData> fetch(ShareFetchRequestData request, short version, String clientId,
                                                    RequestContext context) {
        String groupId = request.groupId();
        String memberId = request.memberId();
        if (groupId == null || groupId.isEmpty() || memberId == null || memberId.isEmpty()) {
            return CompletableFuture.completedFuture(new ShareFetchResponseData().setErrorCode(Errors.INVALID_REQUEST.code())
                    .setErrorMessage(groupId == null || groupId.isEmpty() ? "GroupId can't be empty." : "MemberId can't be empty."));
        }
        List<ShareSessions.Partition> requested = new ArrayList<>();
        boolean acknowledges = false;
        for (ShareFetchRequestData.FetchTopic t : request.topics()) {
            for (ShareFetchRequestData.FetchPartition p : t.partitions()) {
                requested.add(new ShareSessions.Partition(t.topicId(), p.partitionIndex()));
                acknowledges |= !p.acknowledgementBatches().isEmpty();
            }
        }
        List<ShareSessions.Partition> forgotten = new ArrayList<>();
        for (ShareFetchRequestData.ForgottenTopic t : request.forgottenTopicsData()) {
            for (int p : t.partitions()) {
                forgotten.add(new ShareSessions.Partition(t.topicId(), p));
            }
        }
        ShareSessions.Context session;
        try {
            session = sessions.forFetch(groupId, memberId, request.shareSessionEpoch(), requested, forgotten,
                    acknowledges, context.connectionId());
        } catch (ShareSessions.SessionError e) {
            return CompletableFuture.completedFuture(new ShareFetchResponseData().setErrorCode(e.error.code())
                    .setErrorMessage(e.error.message()));
        }
        LinkedHashMap<ShareSessions.Partition, PartitionAnswer> answers = new LinkedHashMap<>();
        List<CompletableFuture<Void>> durable = new ArrayList<>();
        for (ShareFetchRequestData.FetchTopic t : request.topics()) {
            for (ShareFetchRequestData.FetchPartition p : t.partitions()) {
                if (p.acknowledgementBatches().isEmpty()) {
                    continue;
                }
                ShareSessions.Partition key = new ShareSessions.Partition(t.topicId(), p.partitionIndex());
                PartitionAnswer answer = answers.computeIfAbsent(key, k -> new PartitionAnswer(k.partition(), nodeId));
                List<SharePartition.AckBatch> batches = p.acknowledgementBatches().stream()
                        .map(b -> new SharePartition.AckBatch(b.firstOffset(), b.lastOffset(), b.acknowledgeTypes())).toList();
                AckOutcome outcome = acknowledge(groupId, memberId, key, batches, context);
                answer.data.setAcknowledgeErrorCode(outcome.error.code()).setAcknowledgeErrorMessage(outcome.message);
                answer.acknowledged = true;
                if (outcome.durable) {
                    durable.add(log.durable());
                }
            }
        }
        int lockMs = configs.recordLockDurationMs(groupId);
        CompletableFuture<ShareFetchResponseData> response = new CompletableFuture<>();
        if (session.closing()) {
            releaseSession(session.session());
            sessions.remove(session.session());
            response.complete(respond(answers, lockMs, version, true));
        } else {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, request.maxWaitMs()));
            // as Kafka: MaxBytes capped at what one window of the consumer_byte_rate quota allows, MinBytes at that
            long quotaWindowBytes = throttle == null ? Long.MAX_VALUE
                    : throttle.maxValueInWindow(QuotaKeys.CONSUMER_BYTE_RATE, context.principalName(), clientId);
            int maxBytes = (int) Math.max(0, Math.min(request.maxBytes(), quotaWindowBytes));
            attempt(new PendingFetch(request, version, context, clientId, session, answers, deadline, lockMs, maxBytes,
                    response), false);
        }
        if (durable.isEmpty()) {
            return response;
        }
        // acknowledgements are answered once on disk
        return CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)).thenCombine(response, (v, r) -> r);
    }

    private record PendingFetch(ShareFetchRequestData request, short version, RequestContext context, String clientId,
                                ShareSessions.Context session, LinkedHashMap<ShareSessions.Partition, PartitionAnswer> answers,
                                long deadlineNanos, int lockMs, int maxBytes,
                                CompletableFuture<ShareFetchResponseData> response) {}

    /** A requested partition that exists and may be read, with its log's end (what a parked fetch waits past). */
    private record Readable(ShareSessions.Partition partition, TopicInfo topic, PartitionAnswer answer) {}

    /**
     * One round of a fetch, as Kafka's DelayedShareFetch: unless the wait is over, first checks that {@code MinBytes}
     * could be acquired (bytes from each partition's next acquirable offset, capped per partition at an even share
     * of {@code MaxBytes}) and parks without acquiring if not; else acquires, and answers if anything was acquired
     * (or on an error, or when no time is left), parking again otherwise. Woken by appends and by records becoming
     * available again.
     */
    private void attempt(PendingFetch pending, boolean answerNow) {
        try {
            ShareFetchRequestData request = pending.request();
            boolean anyError = false;
            Map<String, Long> waitPast = new HashMap<>();
            List<Readable> readable = new ArrayList<>();
            for (ShareSessions.Partition p : pending.session().toFetch()) {
                PartitionAnswer answer = pending.answers().computeIfAbsent(p, k -> new PartitionAnswer(k.partition(), nodeId));
                if (answer.hasRecords) {
                    continue;
                }
                Optional<TopicInfo> topic = topics.byId(p.topicId());
                Errors error = Errors.NONE;
                if (topic.isEmpty()) {
                    error = Errors.UNKNOWN_TOPIC_ID;
                } else if (!pending.context().authorized(AclOperation.READ, ResourceType.TOPIC, topic.get().name())) {
                    error = Errors.TOPIC_AUTHORIZATION_FAILED;
                } else if (!topic.get().hasPartition(p.partition())) {
                    error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
                }
                if (error != Errors.NONE) {
                    answer.data.setErrorCode(error.code());
                    anyError = true;
                    continue;
                }
                waitPast.put(topic.get().engineTopic(p.partition()),
                        logs.get(topic.get(), p.partition()).read(Long.MAX_VALUE, 0, false).endPosition());
                readable.add(new Readable(p, topic.get(), answer));
            }
            long remaining = pending.deadlineNanos() - System.nanoTime();
            boolean acks = pending.answers().values().stream().anyMatch(a -> a.data.acknowledgeErrorCode() != 0);
            boolean waitOver = answerNow || anyError || acks || remaining <= 0 || readable.isEmpty();
            // Kafka caps MinBytes at the fetch's MaxBytes
            int minBytes = Math.min(request.minBytes(), pending.maxBytes());
            // MinBytes 1 (the Java client's default) needs no look ahead: acquiring finds out whether there is anything
            if (!waitOver && minBytes > 1 && acquirableBytes(request, pending.maxBytes(), readable) < minBytes) {
                park(pending, waitPast, remaining);
                return;
            }
            int acquired = 0;
            boolean strict = request.shareAcquireMode() == 1;
            int budget = request.maxRecords() > 0 ? request.maxRecords() : 500;
            int bytesLeft = pending.maxBytes();
            for (Readable r : readable) {
                if (budget <= 0 || bytesLeft <= 0) {
                    break;
                }
                SharePartition.Acquisition a = partitions.acquire(
                        new SharePartitionKey(request.groupId(), r.partition().topicId(), r.partition().partition()),
                        r.topic(), request.memberId(), budget, bytesLeft, strict, request.batchSize());
                if (a.error() != Errors.NONE) {
                    r.answer().data.setErrorCode(a.error().code());
                    anyError = true;
                    continue;
                }
                if (a.count() > 0) {
                    r.answer().hasRecords = true;
                    r.answer().data.setRecords(a.records());
                    for (SharePartition.AcquiredRange range : a.acquired()) {
                        r.answer().data.acquiredRecords().add(new ShareFetchResponseData.AcquiredRecords()
                                .setFirstOffset(range.firstOffset()).setLastOffset(range.lastOffset())
                                .setDeliveryCount(range.deliveryCount()));
                    }
                    budget -= a.count();
                    bytesLeft -= a.records().sizeInBytes();
                    acquired += a.count();
                }
            }
            // MinBytes 0 asks for no wait at all (Kafka's DelayedShareFetch completes at once)
            if (waitOver || acquired > 0 || anyError || minBytes <= 0) {
                pending.response().complete(respondWithinQuota(pending));
                return;
            }
            park(pending, waitPast, remaining);
        } catch (RuntimeException e) {
            pending.answers().values().forEach(a -> release(a.data));
            pending.response().completeExceptionally(e);
        }
    }

    /**
     * The answer, counted whole against the member's {@code consumer_byte_rate} quota as Kafka's KafkaApis counts it: over
     * the quota, the bytes are taken back and the answer is empty but for its throttle time, while the records it
     * acquired stay acquired by the member until their lock runs out (then they are delivered again), as in Kafka.
     */
    private ShareFetchResponseData respondWithinQuota(PendingFetch pending) {
        ShareFetchResponseData response = respond(pending.answers(), pending.lockMs(), pending.version(),
                pending.session().full());
        if (throttle != null && throttle.active()) {
            long bytes = ByteRateThrottle.responseBytes(response, pending.version());
            String user = pending.context().principalName();
            long now = System.currentTimeMillis();
            int throttleMs = throttle.record(QuotaKeys.CONSUMER_BYTE_RATE, user, pending.clientId(), bytes, now);
            if (throttleMs > 0) {
                throttle.unrecord(QuotaKeys.CONSUMER_BYTE_RATE, user, pending.clientId(), bytes, now);
                pending.answers().values().forEach(a -> release(a.data));
                return new ShareFetchResponseData().setErrorCode(Errors.NONE.code()).setThrottleTimeMs(throttleMs)
                        .setAcquisitionLockTimeoutMs(pending.lockMs());
            }
        }
        return response;
    }

    /** The bytes the fetch could acquire now, each partition counting at most an even share of MaxBytes. */
    private int acquirableBytes(ShareFetchRequestData request, int maxBytes, List<Readable> readable) {
        int perPartition = Math.max(1, maxBytes / Math.max(1, readable.size()));
        long total = 0;
        for (Readable r : readable) {
            total += partitions.acquirableBytes(
                    new SharePartitionKey(request.groupId(), r.partition().topicId(), r.partition().partition()),
                    r.topic(), perPartition);
        }
        return (int) Math.min(Integer.MAX_VALUE, total);
    }

    private void park(PendingFetch pending, Map<String, Long> waitPast, long remainingNanos) {
        parking.park(pending.context().connectionId(), waitPast, Math.max(1, TimeUnit.NANOSECONDS.toMillis(remainingNanos)),
                wake -> {
                    if (wake == FetchParking.Wake.CONNECTION_CLOSED) {
                        // nobody reads the answer: acquiring now would only lock records until they time out
                        pending.response().complete(respond(pending.answers(), pending.lockMs(), pending.version(), false));
                    } else {
                        attempt(pending, wake != FetchParking.Wake.APPENDED);
                    }
                });
    }

    private static void release(ShareFetchResponseData.PartitionData data) {
        if (data.records() instanceof EntryRecords entries) {
            entries.close();
        }
    }

    private ShareFetchResponseData respond(Map<ShareSessions.Partition, PartitionAnswer> answers, int lockMs, short version,
                                           boolean full) {
        ShareFetchResponseData response = new ShareFetchResponseData().setErrorCode(Errors.NONE.code())
                .setAcquisitionLockTimeoutMs(lockMs);
        Map<Uuid, ShareFetchResponseData.ShareFetchableTopicResponse> byTopic = new LinkedHashMap<>();
        answers.forEach((p, a) -> {
            boolean worthSaying = full || a.hasRecords || a.acknowledged || a.data.errorCode() != 0;
            if (!worthSaying) {
                return;
            }
            byTopic.computeIfAbsent(p.topicId(), id -> {
                ShareFetchResponseData.ShareFetchableTopicResponse t = new ShareFetchResponseData.ShareFetchableTopicResponse().setTopicId(id);
                response.responses().add(t);
                return t;
            }).partitions().add(a.data);
        });
        return response;
    }

    /** What acknowledging one partition did. */
    private record AckOutcome(Errors error, String message, boolean durable) {}

    private AckOutcome acknowledge(String groupId, String memberId, ShareSessions.Partition p,
                                   List<SharePartition.AckBatch> batches, RequestContext context) {
        Optional<TopicInfo> topic = topics.byId(p.topicId());
        if (topic.isEmpty()) {
            return new AckOutcome(Errors.UNKNOWN_TOPIC_ID, null, false);
        }
        if (!context.authorized(AclOperation.READ, ResourceType.TOPIC, topic.get().name())) {
            return new AckOutcome(Errors.TOPIC_AUTHORIZATION_FAILED, null, false);
        }
        if (!topic.get().hasPartition(p.partition())) {
            return new AckOutcome(Errors.UNKNOWN_TOPIC_OR_PARTITION, null, false);
        }
        SharePartition.AckResult r = partitions.acknowledge(new SharePartitionKey(groupId, p.topicId(), p.partition()),
                topic.get(), memberId, batches);
        return new AckOutcome(r.error(), r.message(), r.changed());
    }

    /** A closed session's member gives back what it still holds. */
    private void releaseSession(ShareSessions.Session session) {
        List<SharePartitionKey> keys = new ArrayList<>();
        for (ShareSessions.Partition p : sessions.partitionsOf(session)) {
            keys.add(new SharePartitionKey(session.groupId, p.topicId(), p.partition()));
        }
        partitions.releaseMember(session.memberId, keys, id -> topics.byId(id).orElse(null));
    }

    /** A connection closed: its share sessions end, and their members' acquired records are released. */
    void connectionClosed(long connectionId) {
        for (ShareSessions.Session s : sessions.connectionClosed(connectionId)) {
            releaseSession(s);
        }
    }

    // ---- ShareAcknowledge -------------------------------------------------------------------------------------------

    CompletableFuture<ShareAcknowledgeResponseData> acknowledge(ShareAcknowledgeRequestData request, short version,
                                                                      RequestContext context) {
        String groupId = request.groupId();
        String memberId = request.memberId();
        int lockMs = groupId == null ? 0 : configs.recordLockDurationMs(groupId);
        ShareAcknowledgeResponseData response = new ShareAcknowledgeResponseData().setErrorCode(Errors.NONE.code())
                .setAcquisitionLockTimeoutMs(lockMs);
        if (groupId == null || groupId.isEmpty() || memberId == null || memberId.isEmpty()) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.INVALID_REQUEST.code()));
        }
        ShareSessions.Session session;
        try {
            session = sessions.forAcknowledge(groupId, memberId, request.shareSessionEpoch());
        } catch (ShareSessions.SessionError e) {
            return CompletableFuture.completedFuture(response.setErrorCode(e.error.code()).setErrorMessage(e.error.message()));
        }
        List<CompletableFuture<Void>> durable = new ArrayList<>();
        for (ShareAcknowledgeRequestData.AcknowledgeTopic t : request.topics()) {
            ShareAcknowledgeResponseData.ShareAcknowledgeTopicResponse rt =
                    new ShareAcknowledgeResponseData.ShareAcknowledgeTopicResponse().setTopicId(t.topicId());
            response.responses().add(rt);
            for (ShareAcknowledgeRequestData.AcknowledgePartition p : t.partitions()) {
                List<SharePartition.AckBatch> batches = p.acknowledgementBatches().stream()
                        .map(b -> new SharePartition.AckBatch(b.firstOffset(), b.lastOffset(), b.acknowledgeTypes())).toList();
                AckOutcome outcome = acknowledge(groupId, memberId, new ShareSessions.Partition(t.topicId(), p.partitionIndex()),
                        batches, context);
                if (outcome.durable) {
                    durable.add(log.durable());
                }
                rt.partitions().add(new ShareAcknowledgeResponseData.PartitionData()
                        .setPartitionIndex(p.partitionIndex())
                        .setErrorCode(outcome.error.code())
                        .setErrorMessage(outcome.message)
                        .setCurrentLeader(new ShareAcknowledgeResponseData.LeaderIdAndEpoch().setLeaderId(nodeId).setLeaderEpoch(0)));
            }
        }
        if (request.shareSessionEpoch() == ShareSessions.FINAL_EPOCH) {
            releaseSession(session);
            sessions.remove(session);
        }
        return CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)).thenApply(v -> response);
    }
}
