package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData.UserName;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeUserScramCredentials (API key 50), version 0: the SCRAM credentials of users
 * ({@code kafka-configs --describe --entity-type users}, {@code Admin.describeUserScramCredentials}). There is no
 * SASL here, so no user has credentials: all users describe as none, and each user named describes with no
 * credentials, as on a Kafka where none were set. A user named twice answers DUPLICATE_RESOURCE with Kafka's message.
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: first version (KIP-554), flexible.
 * </ul>
 */
public final class DescribeUserScramCredentialsHandler implements ApiHandler<DescribeUserScramCredentialsRequestData> {

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, DescribeUserScramCredentialsRequestData request,
                                                RequestContext context) {
        DescribeUserScramCredentialsResponseData response = new DescribeUserScramCredentialsResponseData()
                .setThrottleTimeMs(0).setErrorCode(Errors.NONE.code());
        if (request.users() == null) {
            return CompletableFuture.completedFuture(response);
        }
        Map<String, Integer> named = new HashMap<>();
        for (UserName user : request.users()) {
            named.merge(user.name(), 1, Integer::sum);
        }
        for (Map.Entry<String, Integer> user : named.entrySet()) {
            DescribeUserScramCredentialsResult result = new DescribeUserScramCredentialsResult().setUser(user.getKey());
            if (user.getValue() > 1) {
                result.setErrorCode(Errors.DUPLICATE_RESOURCE.code()).setErrorMessage(
                        "Cannot describe SCRAM credentials for the same user twice in a single request: " + user.getKey());
            } else {
                result.setErrorCode(Errors.NONE.code());
            }
            response.results().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }
}
