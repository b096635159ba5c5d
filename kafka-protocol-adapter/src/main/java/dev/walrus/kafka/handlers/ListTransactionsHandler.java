package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.txn.TransactionCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * ListTransactions (API key 66), versions 0-2: the transactional ids the coordinator knows, with their producer id
 * and state ({@code kafka-transactions list}, {@code Admin.listTransactions}).
 *
 * <p>Behaviour: as Kafka's coordinator: filters by state name (names Kafka does not know are echoed back as
 * unknown), by producer id, by how long the transaction has been open (an id between transactions always passes,
 * as in Kafka) and by a regular expression matching the whole id (INVALID_REGULAR_EXPRESSION if it does not compile).
 *
 * <p>Authorization: transactional ids the client may not DESCRIBE are left out, silently, as in Kafka.
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

    private final TransactionCoordinator transactions;

    public ListTransactionsHandler(TransactionCoordinator transactions) {
        this.transactions = transactions;
    }

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
        Pattern pattern;
        try {
            String regex = request.transactionalIdPattern();
            pattern = regex == null || regex.isEmpty() ? null : Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.INVALID_REGULAR_EXPRESSION.code()));
        }
        Set<String> states = new HashSet<>(request.stateFilters());
        Set<Long> producerIds = new HashSet<>(request.producerIdFilters());
        long now = System.currentTimeMillis();
        return transactions.describe(null).thenApply(all -> {
            for (TransactionCoordinator.Description d : all) {
                if ((states.isEmpty() || states.contains(d.state().kafkaName()))
                        && (producerIds.isEmpty() || producerIds.contains(d.producerId()))
                        && (request.durationFilter() < 0 || now - d.startMs() > request.durationFilter())
                        && (pattern == null || pattern.matcher(d.transactionalId()).matches())
                        && context.authorized(AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, d.transactionalId())) {
                    response.transactionStates().add(new ListTransactionsResponseData.TransactionState()
                            .setTransactionalId(d.transactionalId())
                            .setProducerId(d.producerId())
                            .setTransactionState(d.state().kafkaName()));
                }
            }
            return response;
        });
    }
}
