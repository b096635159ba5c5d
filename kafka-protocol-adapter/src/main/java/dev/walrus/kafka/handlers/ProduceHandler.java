package dev.walrus.kafka.handlers;

import dev.walrus.engine.StorageFullException;
import dev.walrus.engine.Walrus;
import dev.walrus.kafka.CloseConnectionException;
import dev.walrus.kafka.fetch.FetchParking;
import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.log.AppendResult;
import dev.walrus.kafka.log.BatchValidation;
import dev.walrus.kafka.log.BatchValidator;
import dev.walrus.kafka.log.PartitionLog;
import dev.walrus.kafka.log.PartitionLogs;
import dev.walrus.kafka.log.RecordBatchHeader;
import dev.walrus.kafka.log.TransactionVerifier;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.Topics;
import dev.walrus.kafka.quota.ByteRateThrottle;
import dev.walrus.kafka.quota.QuotaKeys;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Produce (key 0), versions 3-13: validates each partition's record batch, appends it to the partition's engine
 * topic with its offsets assigned, and answers per partition.
 *
 * <p>Behaviour:
 * <ul>
 *   <li>acks=-1 is answered once the appended batches are fsynced: one {@link Walrus#syncAsync} per request, shared
 *       with every other append waiting at that moment (group commit). Kafka on one node never fsyncs by default.
 *       A topic whose {@code flush.messages}/{@code flush.ms} (or the broker's {@code log.flush.interval.*}) the
 *       user set follows those instead, as in Kafka. acks=1 is answered once written; acks=0 not at all.
 *   <li>A first batch whose header cannot be read (size below any format's, unknown magic) fails the whole request
 *       with CORRUPT_MESSAGE on every partition, as in Kafka, which iterates those headers before anything else.
 *   <li>Batches are validated by header and CRC, not decoded record by record (see {@link BatchValidator}).
 *   <li>An unknown topic is UNKNOWN_TOPIC_OR_PARTITION even with auto-creation on: as in Kafka, only Metadata
 *       requests create topics (the Java producer asks for metadata before it produces).
 *   <li>A transactional batch is appended only if its producer is the current one of the request's transactional
 *       id and its open transaction added the partition (AddPartitionsToTxn), Kafka's produce-side verification
 *       (KIP-890 part 1): else TRANSACTION_ABORTABLE (INVALID_TXN_STATE before v11), INVALID_PRODUCER_EPOCH for a
 *       fenced producer, INVALID_PRODUCER_ID_MAPPING for an unknown one, NOT_ENOUGH_REPLICAS while the transaction
 *       is being ended. From v12 (transaction version 2) the partition is added to the transaction first, durably,
 *       as Kafka's leader asks its coordinator to (the coordinator's refusal is the partition's error:
 *       INVALID_PRODUCER_EPOCH for a fenced producer, CONCURRENT_TRANSACTIONS while the last transaction ends).
 *   <li>acks=0: no response; as in Kafka, the connection is closed if any partition failed.
 *   <li>Fetches parked at a partition's end are completed right after its append, on this thread, as Kafka's
 *       produce path completes delayed fetches ({@link FetchParking#appended}).
 * </ul>
 *
 * <p>Authorization (with an authorizer): WRITE on each topic (TOPIC_AUTHORIZATION_FAILED, before whether it exists); transactional batches need WRITE on the transactional id (the whole request TRANSACTIONAL_ID_AUTHORIZATION_FAILED).
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0-2: removed in Kafka 4.0; advertised for librdkafka's sake (KAFKA-18659), refused.
 *   <li>v3: transactional id, record batch v2 only. v4-6: same as v3. v7 (KIP-110): zstd.
 *   <li>v8 (KIP-467): record errors and error message. v9: flexible. v10 (KIP-951): current leader (not set: this
 *       node leads everything). v11 (KIP-890): TRANSACTION_ABORTABLE. v12 (KIP-890 part 2): a transactional batch
 *       adds its partition to the transaction.
 *   <li>v13 (KIP-516): topics by ID, UNKNOWN_TOPIC_ID.
 * </ul>
 */
public final class ProduceHandler implements ApiHandler<ProduceRequestData> {

    private static final Logger log = LoggerFactory.getLogger(ProduceHandler.class);
    /** The first version whose clients know TRANSACTION_ABORTABLE (KIP-890). */
    private static final short TRANSACTION_ABORTABLE_SINCE = 11;
    /**
     * From Produce v12 a transactional batch adds its partition to the transaction (KIP-890 part 2; Kafka's
     * {@code produceRequestVersionToTransactionSupportedOperation}); clients send v12+ only with transaction version 2.
     */
    private static final short IMPLICIT_ADD_SINCE = 12;
    /** The client id Kafka lets append to its internal topics (its admin tools' historical id). */
    private static final String ADMIN_CLIENT_ID = "__admin_client";

    private final Walrus engine;
    private final Topics topics;
    private final PartitionLogs logs;
    private final FetchParking parking;
    private final TransactionVerifier transactions;
    private final ByteRateThrottle throttle;
    /**
     * Per connection, its last produce request still waiting for the transaction coordinator to add partitions (see
     * {@link #handle}). Kafka handles one request of a connection at a time, so a producer's pipelined batches reach
     * a partition in the order it sent them; a later request of that connection waits behind this one, or its batch
     * could be appended first and be refused as out of sequence.
     */
    private final Map<Long, CompletableFuture<ApiMessage>> waitingForAdds = new ConcurrentHashMap<>();

    public ProduceHandler(Walrus engine, Topics topics, PartitionLogs logs, FetchParking parking,
                          TransactionVerifier transactions, ByteRateThrottle throttle) {
        this.engine = engine;
        this.topics = topics;
        this.logs = logs;
        this.parking = parking;
        this.transactions = transactions;
        this.throttle = throttle;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.PRODUCE;
    }

    @Override
    public short maxVersion() {
        return ApiKeys.PRODUCE.latestVersion(false);
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, ProduceRequestData request, RequestContext context) {
        CompletableFuture<ApiMessage> before = waitingForAdds.isEmpty() ? null : waitingForAdds.get(context.connectionId());
        if (before != null && !before.isDone()) {
            copyRecords(request); // the request frame is released when this call returns
            return inOrder(context, before.handle((answer, failure) -> null)
                    .thenCompose(previousDone -> handleInTurn(header, request, context)));
        }
        return handleInTurn(header, request, context);
    }

    /** Remembers {@code answer} as its connection's last produce request still in progress, until it completes. */
    private CompletableFuture<ApiMessage> inOrder(RequestContext context, CompletableFuture<ApiMessage> answer) {
        long connection = context.connectionId();
        waitingForAdds.put(connection, answer);
        answer.whenComplete((done, failure) -> waitingForAdds.remove(connection, answer));
        return answer;
    }

    /** Handles the request once every earlier produce request of its connection has been. */
    private CompletableFuture<ApiMessage> handleInTurn(RequestHeader header, ProduceRequestData request,
                                                       RequestContext context) {
        short version = header.apiVersion();
        short acks = request.acks();
        String unreadable = firstUnreadableBatch(request);
        if (unreadable != null) {
            return failedRequest(request, version, acks, Errors.CORRUPT_MESSAGE, unreadable);
        }
        if (anyTransactionalBatch(request)) {
            if (request.transactionalId() == null) {
                return failedRequest(request, version, acks, Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
                        "transactional records need the request's transactional id");
            }
            if (!context.authorized(AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, request.transactionalId())) {
                return failedRequest(request, version, acks, Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
                        Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.message());
            }
            if (version >= IMPLICIT_ADD_SINCE) {
                ImplicitAdd add = partitionsToAdd(request, version, context);
                if (add != null) {
                    // Transaction version 2: the partitions join the transaction first; the appends then run on the
                    // coordinator's thread, which completes the add. The request frame is released when this call
                    // returns, so the record sets are copied first.
                    copyRecords(request);
                    return inOrder(context, transactions.addPartitionsImplicitly(request.transactionalId(),
                                    add.producerId(), add.epoch(), add.partitions())
                            .thenCompose(error -> produce(header, request, context, refusedByCoordinator(add, error))));
                }
            }
        }
        return produce(header, request, context, Map.of());
    }

    /** Replaces every record set of the request, which views the request frame, with a copy of its own. */
    private static void copyRecords(ProduceRequestData request) {
        for (ProduceRequestData.TopicProduceData topicData : request.topicData()) {
            for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
                if (partitionData.records() instanceof MemoryRecords records) {
                    ByteBuffer copy = ByteBuffer.allocate(records.sizeInBytes()).put(records.buffer().duplicate()).flip();
                    partitionData.setRecords(MemoryRecords.readableRecords(copy));
                }
            }
        }
    }

    /** The partitions a Produce v12+ must add to its transaction, with the producer of their batches; null if none. */
    private record ImplicitAdd(long producerId, short epoch, List<TopicPartition> partitions) {}

    /**
     * The known, writable partitions whose batch is transactional and not yet part of the producer's open transaction
     * (Kafka's leader skips those where the producer already has the transaction open); null if there are none.
     */
    private ImplicitAdd partitionsToAdd(ProduceRequestData request, short version, RequestContext context) {
        List<TopicPartition> partitions = new ArrayList<>();
        long producerId = -1;
        short epoch = -1;
        for (ProduceRequestData.TopicProduceData topicData : request.topicData()) {
            Optional<TopicInfo> topic = version >= 13 ? topics.byId(topicData.topicId()) : topics.byName(topicData.name());
            if (topic.isEmpty() || !context.authorized(AclOperation.WRITE, ResourceType.TOPIC, topic.get().name())) {
                continue;
            }
            for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
                if (!(partitionData.records() instanceof MemoryRecords records) || !topic.get().hasPartition(partitionData.index())
                        || records.sizeInBytes() < RecordBatchHeader.HEADER_SIZE
                        || RecordBatchHeader.magic(records.buffer()) != RecordBatchHeader.MAGIC_V2
                        || !RecordBatchHeader.isTransactional(records.buffer())) {
                    continue;
                }
                TopicPartition tp = new TopicPartition(topic.get().name(), partitionData.index());
                producerId = RecordBatchHeader.producerId(records.buffer());
                epoch = RecordBatchHeader.producerEpoch(records.buffer());
                if (transactions.verify(request.transactionalId(), producerId, epoch, tp) != Errors.NONE) {
                    partitions.add(tp);
                }
            }
        }
        return partitions.isEmpty() ? null : new ImplicitAdd(producerId, epoch, partitions);
    }

    /**
     * The coordinator's refusal of the implicit add, per partition, in the produce's words as Kafka's
     * {@code AddPartitionsToTxnManager} and {@code ReplicaManager} put it: PRODUCER_FENCED is INVALID_PRODUCER_EPOCH;
     * CONCURRENT_TRANSACTIONS stays (transaction version 2 clients retry it).
     */
    private static Map<TopicPartition, Errors> refusedByCoordinator(ImplicitAdd add, Errors error) {
        if (error == Errors.NONE) {
            return Map.of();
        }
        Errors answer = error == Errors.PRODUCER_FENCED ? Errors.INVALID_PRODUCER_EPOCH : error;
        Map<TopicPartition, Errors> refused = new HashMap<>();
        add.partitions().forEach(tp -> refused.put(tp, answer));
        return refused;
    }

    /**
     * Appends every partition's batch and answers.
     *
     * @param refused partitions the transaction coordinator refused to add (transaction version 2), not appended
     */
    private CompletableFuture<ApiMessage> produce(RequestHeader header, ProduceRequestData request,
                                                  RequestContext context, Map<TopicPartition, Errors> refused) {
        short version = header.apiVersion();
        short acks = request.acks();
        ProduceResponseData response = new ProduceResponseData().setThrottleTimeMs(0);
        List<ProduceResponseData.PartitionProduceResponse> awaitingSync = new ArrayList<>();
        long now = System.currentTimeMillis();
        String acksZeroFailure = null;
        for (ProduceRequestData.TopicProduceData topicData : request.topicData()) {
            ProduceResponseData.TopicProduceResponse topicResponse = new ProduceResponseData.TopicProduceResponse();
            Optional<TopicInfo> topic;
            Errors unknown;
            if (version >= 13) {
                topicResponse.setTopicId(topicData.topicId());
                topic = topics.byId(topicData.topicId());
                unknown = Errors.UNKNOWN_TOPIC_ID;
            } else {
                topicResponse.setName(topicData.name());
                // As in Kafka, a produce never creates a topic (clients create it through Metadata first).
                topic = topics.byName(topicData.name());
                unknown = Errors.UNKNOWN_TOPIC_OR_PARTITION;
            }
            // as Kafka: a topic id nobody knows first, then WRITE on the topic's name, then whether it exists
            String name = version < 13 ? topicData.name() : topic.isPresent() ? topic.get().name() : null;
            boolean writable = name == null || context.authorized(AclOperation.WRITE, ResourceType.TOPIC, name);
            for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
                ProduceResponseData.PartitionProduceResponse result;
                if (acks != 0 && acks != 1 && acks != -1) {
                    result = failed(partitionData.index(), Errors.INVALID_REQUIRED_ACKS, "acks must be -1, 0 or 1, got " + acks);
                } else if (!writable) {
                    result = failed(partitionData.index(), Errors.TOPIC_AUTHORIZATION_FAILED, null);
                } else if (topic.isEmpty()) {
                    result = failed(partitionData.index(), unknown, null);
                } else if (!topic.get().hasPartition(partitionData.index())) {
                    result = failed(partitionData.index(), Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
                } else if (Topic.isInternal(topic.get().name()) && !ADMIN_CLIENT_ID.equals(header.clientId())) {
                    // as Kafka's ReplicaManager: only the broker (and a client calling itself the admin client)
                    // writes __consumer_offsets
                    result = failed(partitionData.index(), Errors.INVALID_TOPIC_EXCEPTION,
                            "Cannot append to internal topic " + topic.get().name());
                } else if (refused.containsKey(new TopicPartition(topic.get().name(), partitionData.index()))) {
                    Errors error = refused.get(new TopicPartition(topic.get().name(), partitionData.index()));
                    result = failed(partitionData.index(), error, error == Errors.INVALID_TXN_STATE
                            ? "Partition was not added to the transaction" : null);
                } else {
                    PartitionLog partitionLog = logs.get(topic.get(), partitionData.index());
                    result = append(partitionLog, partitionData, version, now, request.transactionalId());
                    if (result.errorCode() == Errors.NONE.code()) {
                        // Long polls parked on this partition read the new batch now, on this thread, as Kafka
                        // completes delayed fetches after an append.
                        parking.appended(partitionLog.engineTopic());
                    }
                    if (acks == -1 && result.errorCode() == Errors.NONE.code() && partitionLog.config().syncBeforeAck()) {
                        awaitingSync.add(result);
                    }
                }
                if (acks == 0 && result.errorCode() != Errors.NONE.code() && acksZeroFailure == null) {
                    acksZeroFailure = "acks=0 produce to " + (version >= 13 ? topicData.topicId() : topicData.name())
                            + "-" + partitionData.index() + " failed with " + Errors.forCode(result.errorCode())
                            + (result.errorMessage() == null ? "" : ": " + result.errorMessage());
                }
                topicResponse.partitionResponses().add(result);
            }
            response.responses().add(topicResponse);
        }
        // the request counts against the client's producer byte-rate quota, if one applies
        int throttleMs = throttle.active() ? throttle.record(QuotaKeys.PRODUCER_BYTE_RATE, context.principalName(),
                header.clientId(), requestBytes(header, request, version), now) : 0;
        response.setThrottleTimeMs(throttleMs);
        if (acks == 0) {
            // Kafka closes the connection when an acks=0 produce fails: the client hears of no error otherwise. The
            // response is never sent (the dispatcher drops it), but its throttle time mutes the connection.
            return acksZeroFailure == null ? CompletableFuture.completedFuture(response)
                    : CompletableFuture.failedFuture(new CloseConnectionException(acksZeroFailure));
        }
        if (awaitingSync.isEmpty()) {
            return Throttling.answer(response, throttleMs, ApiKeys.PRODUCE, version);
        }
        return Throttling.answerLater(engine.syncAsync().handle((ok, failure) -> {
            if (failure != null) {
                log.error("fsync for an acks=all produce failed", failure);
                for (ProduceResponseData.PartitionProduceResponse p : awaitingSync) {
                    p.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code())
                            .setErrorMessage("the batch was written but could not be made durable: " + failure)
                            .setBaseOffset(-1).setLogAppendTimeMs(-1).setLogStartOffset(-1);
                }
            }
            return response;
        }), throttleMs, ApiKeys.PRODUCE, version);
    }

    /** The request's size as Kafka counts it against the producer byte rate: its header and body, as received. */
    private static long requestBytes(RequestHeader header, ProduceRequestData request, short version) {
        return header.size() + request.size(new ObjectSerializationCache(), version);
    }

    private static String firstUnreadableBatch(ProduceRequestData request) {
        for (ProduceRequestData.TopicProduceData topicData : request.topicData()) {
            for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
                if (partitionData.records() instanceof MemoryRecords records) {
                    String reason = BatchValidator.unreadableFirstBatch(records.buffer());
                    if (reason != null) {
                        return reason;
                    }
                }
            }
        }
        return null;
    }

    /** Whether a readable first batch of any partition is transactional. */
    private static boolean anyTransactionalBatch(ProduceRequestData request) {
        for (ProduceRequestData.TopicProduceData topicData : request.topicData()) {
            for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
                if (partitionData.records() instanceof MemoryRecords records
                        && records.sizeInBytes() >= RecordBatchHeader.HEADER_SIZE
                        && RecordBatchHeader.magic(records.buffer()) == RecordBatchHeader.MAGIC_V2
                        && RecordBatchHeader.isTransactional(records.buffer())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A request Kafka refuses whole, every partition with the same error, nothing written: one it cannot iterate
     * (CORRUPT_MESSAGE), or transactional records without a transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED).
     */
    private static CompletableFuture<ApiMessage> failedRequest(ProduceRequestData request, short version, short acks,
                                                               Errors error, String reason) {
        if (acks == 0) {
            return CompletableFuture.failedFuture(new CloseConnectionException("acks=0 produce failed with " + error + ": " + reason));
        }
        ProduceResponseData response = new ProduceResponseData().setThrottleTimeMs(0);
        for (ProduceRequestData.TopicProduceData topicData : request.topicData()) {
            ProduceResponseData.TopicProduceResponse topicResponse = new ProduceResponseData.TopicProduceResponse();
            if (version >= 13) {
                topicResponse.setTopicId(topicData.topicId());
            } else {
                topicResponse.setName(topicData.name());
            }
            for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
                topicResponse.partitionResponses().add(failed(partitionData.index(), error, reason));
            }
            response.responses().add(topicResponse);
        }
        return CompletableFuture.completedFuture(response);
    }

    private ProduceResponseData.PartitionProduceResponse append(PartitionLog partitionLog,
                                                                ProduceRequestData.PartitionProduceData data,
                                                                short version, long now, String transactionalId) {
        ByteBuffer records = data.records() == null ? null : ((MemoryRecords) data.records()).buffer();
        BatchValidation validation = BatchValidator.validate(records, version, partitionLog.config().maxMessageBytes());
        if (validation instanceof BatchValidation.Invalid invalid) {
            return failed(data.index(), invalid.error(), invalid.message());
        }
        ByteBuffer batch = ((BatchValidation.Valid) validation).batch();
        if (!partitionLog.config().logAppendTime()) {
            BatchValidation.Invalid badTime = BatchValidator.checkTimestamps(batch, now,
                    partitionLog.config().timestampBeforeMaxMs(), partitionLog.config().timestampAfterMaxMs());
            if (badTime != null) {
                return failed(data.index(), badTime.error(), badTime.message());
            }
        }
        if (partitionLog.config().cleanup().compact()) {
            List<Integer> keyless = BatchValidator.recordsWithoutKey(batch);
            if (!keyless.isEmpty()) {
                return keylessRecords(data.index(), partitionLog.topicPartition(), keyless);
            }
        }
        if (batch.isReadOnly()) {
            // The offsets are written into the batch before it is stored.
            batch = ByteBuffer.allocate(batch.remaining()).put(batch.duplicate()).flip();
        }
        AppendResult result;
        try {
            result = partitionLog.append(batch, now, transactionalId, transactions);
        } catch (StorageFullException e) { // logged once per episode by the engine
            return failed(data.index(), Errors.KAFKA_STORAGE_ERROR, "the broker's disk is full: " + e.getMessage());
        } catch (RuntimeException e) {
            log.error("Append to {} failed", partitionLog.topicPartition(), e);
            return failed(data.index(), Errors.KAFKA_STORAGE_ERROR, "the engine could not store the batch: " + e.getMessage());
        }
        if (result.error() == Errors.TRANSACTION_ABORTABLE && version < TRANSACTION_ABORTABLE_SINCE) {
            return failed(data.index(), Errors.INVALID_TXN_STATE, "Partition was not added to the transaction");
        }
        if (result.error() != Errors.NONE) {
            return failed(data.index(), result.error(), result.message());
        }
        return new ProduceResponseData.PartitionProduceResponse()
                .setIndex(data.index())
                .setErrorCode(Errors.NONE.code())
                .setBaseOffset(result.baseOffset())
                .setLogAppendTimeMs(result.logAppendTime())
                .setLogStartOffset(result.logStartOffset());
    }

    /** Kafka's answer to records without a key in a compacted topic: INVALID_RECORD, with an error per record. */
    private static ProduceResponseData.PartitionProduceResponse keylessRecords(int partition, TopicPartition tp,
                                                                               List<Integer> keyless) {
        String message = "Compacted topic cannot accept message without key in topic partition " + tp;
        List<ProduceResponseData.BatchIndexAndErrorMessage> errors = new ArrayList<>();
        StringBuilder shown = new StringBuilder();
        for (int index : keyless) {
            errors.add(new ProduceResponseData.BatchIndexAndErrorMessage().setBatchIndex(index)
                    .setBatchIndexErrorMessage(message));
            if (errors.size() <= 3) {
                shown.append(shown.isEmpty() ? "" : ", ").append("RecordError(batchIndex=").append(index)
                        .append(", message='").append(message).append("')");
            }
        }
        ProduceResponseData.PartitionProduceResponse response = failed(partition, Errors.INVALID_RECORD,
                "One or more records have been rejected due to " + keyless.size() + " record errors in total, and only "
                        + "showing the first three errors at most: [" + shown + "]");
        return response.setRecordErrors(errors);
    }

    private static ProduceResponseData.PartitionProduceResponse failed(int partition, Errors error, String message) {
        return new ProduceResponseData.PartitionProduceResponse()
                .setIndex(partition)
                .setErrorCode(error.code())
                .setErrorMessage(message)
                .setBaseOffset(-1)
                .setLogAppendTimeMs(-1)
                .setLogStartOffset(-1);
    }
}
