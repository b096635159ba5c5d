package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.concurrent.CompletableFuture;

/**
 * DescribeAcls (API key 29), versions 1-3: answers as a Kafka broker without an authorizer does, SECURITY_DISABLED
 * with Kafka's message, so {@code kafka-acls --list} and {@code Admin.describeAcls} fail the way they do there.
 *
 * <p>Behaviour: this broker authorizes nothing (there is no authentication either), which is Kafka's default
 * ({@code authorizer.class.name} empty).
 *
 * <p>Version notes:
 * <ul>
 *   <li>v1 (KIP-290): pattern type filter. v2: flexible versions. v3: the USER resource type.
 * </ul>
 */
public final class DescribeAclsHandler implements ApiHandler<DescribeAclsRequestData> {

    /** What Kafka's broker says to an ACL listing when it has no authorizer (changes get another message). */
    static final String NO_AUTHORIZER = "No Authorizer is configured on the broker";

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_ACLS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, DescribeAclsRequestData request, RequestContext context) {
        return CompletableFuture.completedFuture(new DescribeAclsResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(Errors.SECURITY_DISABLED.code())
                .setErrorMessage(NO_AUTHORIZER));
    }
}
