package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * ListTransactions (API key 66), versions 0-2: the transactions the coordinator knows
 * ({@code kafka-transactions list}, {@code Admin.listTransactions}). There are no transactions yet, so the list is
 * empty, as on a Kafka where none was started; state filters Kafka does not know are echoed back as unknown, as
 * Kafka echoes them.
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: first version (KIP-664), flexible. v1: duration filter (KIP-994). v2: transactional id pattern (KIP-1152).
 * </ul>
 */
public final class ListTransactionsHandler implements ApiHandler<ListTransactionsRequestData> {

    /** Kafka's transaction states, as the state filters name them. */
    private static final Set<String> STATES = Set.of("Empty", "Ongoing", "PrepareCommit", "PrepareAbort",
            "CompleteCommit", "CompleteAbort", "Dead", "PrepareEpochFence");

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_TRANSACTIONS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, ListTransactionsRequestData request, RequestContext context) {
        ListTransactionsResponseData response = new ListTransactionsResponseData().setThrottleTimeMs(0)
                .setErrorCode(Errors.NONE.code());
        for (String state : request.stateFilters()) {
            if (!STATES.contains(state)) {
                response.unknownStateFilters().add(state);
            }
        }
        return CompletableFuture.completedFuture(response);
    }
}
