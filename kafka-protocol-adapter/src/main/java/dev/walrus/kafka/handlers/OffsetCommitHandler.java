package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.group.GroupCoordinator;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.concurrent.CompletableFuture;

/**
 * OffsetCommit (API key 8), versions 2-10: stores a group's committed offsets.
 *
 * <p>Behaviour: each offset is an engine named-reader checkpoint, durable before the response (Kafka's single node
 * only writes it to the page cache). Offset metadata must also fit the engine's checkpoint attachment (32 KiB): with
 * Kafka's default {@code offset.metadata.max.bytes} (4096 characters) it always does; only a limit raised past about
 * 10,000 characters of multi-byte text could meet OFFSET_METADATA_TOO_LARGE earlier than Kafka would answer it.
 * The retention time of v2-v4 is accepted and ignored (offsets do not expire here yet).
 *
 * <p>Version notes: v2 retention time; v3 throttle time; v4 same; v5 no retention time; v6 leader epoch (KIP-320);
 * v7 group.instance.id (KIP-345); v8 flexible; v9 member epoch of the consumer protocol (KIP-848),
 * GROUP_ID_NOT_FOUND for an unknown group; v10 topic ids instead of names.
 */
public final class OffsetCommitHandler implements ApiHandler<OffsetCommitRequestData> {

    private final GroupCoordinator coordinator;

    public OffsetCommitHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_COMMIT;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, OffsetCommitRequestData request, RequestContext context) {
        return coordinator.commitOffsets(request, header.apiVersion()).thenApply(r -> r);
    }
}
