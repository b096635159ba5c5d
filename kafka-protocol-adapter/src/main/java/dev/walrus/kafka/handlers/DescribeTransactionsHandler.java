package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TransactionState;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.concurrent.CompletableFuture;

/**
 * DescribeTransactions (API key 65), version 0: the state of transactional ids ({@code kafka-transactions describe},
 * {@code Admin.describeTransactions}). There are no transactions yet, so every id answers TRANSACTIONAL_ID_NOT_FOUND,
 * as Kafka answers an id it never saw.
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: first version (KIP-664), flexible.
 * </ul>
 */
public final class DescribeTransactionsHandler implements ApiHandler<DescribeTransactionsRequestData> {

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_TRANSACTIONS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, DescribeTransactionsRequestData request,
                                                RequestContext context) {
        DescribeTransactionsResponseData response = new DescribeTransactionsResponseData().setThrottleTimeMs(0);
        for (String id : request.transactionalIds()) {
            response.transactionStates().add(new TransactionState()
                    .setTransactionalId(id)
                    .setErrorCode(Errors.TRANSACTIONAL_ID_NOT_FOUND.code()));
        }
        return CompletableFuture.completedFuture(response);
    }
}
