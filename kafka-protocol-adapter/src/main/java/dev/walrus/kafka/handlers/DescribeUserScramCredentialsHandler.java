package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.security.ScramCredential;
import dev.walrus.kafka.security.ScramCredentials;
import dev.walrus.kafka.security.ScramMechanism;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData.UserName;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.CredentialInfo;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeUserScramCredentials (API key 50), version 0: the SCRAM credentials of users, their mechanisms and
 * iteration counts, never their keys ({@code kafka-configs --describe --entity-type users},
 * {@code Admin.describeUserScramCredentials}). No names: every user with credentials. A named user without any
 * answers RESOURCE_NOT_FOUND, one named twice DUPLICATE_RESOURCE, with Kafka's messages.
 *
 * <p>Authorization (with an authorizer): DESCRIBE on the cluster (else CLUSTER_AUTHORIZATION_FAILED).
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: first version (KIP-554), flexible.
 * </ul>
 */
public final class DescribeUserScramCredentialsHandler implements ApiHandler<DescribeUserScramCredentialsRequestData> {

    private final ScramCredentials credentials;

    public DescribeUserScramCredentialsHandler(ScramCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, DescribeUserScramCredentialsRequestData request,
                                                RequestContext context) {
        if (!context.authorizedOnCluster(AclOperation.DESCRIBE)) {
            // Kafka answers with the request's error response, without a message
            throw Errors.CLUSTER_AUTHORIZATION_FAILED.exception();
        }
        DescribeUserScramCredentialsResponseData response = new DescribeUserScramCredentialsResponseData()
                .setThrottleTimeMs(0).setErrorCode(Errors.NONE.code());
        Map<String, Map<ScramMechanism, ScramCredential>> all = credentials.all();
        if (request.users() == null || request.users().isEmpty()) {
            all.forEach((user, byMechanism) -> response.results().add(described(user, byMechanism)));
            return CompletableFuture.completedFuture(response);
        }
        Map<String, Integer> named = new LinkedHashMap<>();
        for (UserName user : request.users()) {
            named.merge(user.name(), 1, Integer::sum);
        }
        for (Map.Entry<String, Integer> user : named.entrySet()) {
            if (user.getValue() > 1) {
                response.results().add(new DescribeUserScramCredentialsResult().setUser(user.getKey())
                        .setErrorCode(Errors.DUPLICATE_RESOURCE.code()).setErrorMessage(
                        "Cannot describe SCRAM credentials for the same user twice in a single request: " + user.getKey()));
            } else if (!all.containsKey(user.getKey())) {
                response.results().add(new DescribeUserScramCredentialsResult().setUser(user.getKey())
                        .setErrorCode(Errors.RESOURCE_NOT_FOUND.code())
                        .setErrorMessage("Attempt to describe a user credential that does not exist: " + user.getKey()));
            } else {
                response.results().add(described(user.getKey(), all.get(user.getKey())));
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private static DescribeUserScramCredentialsResult described(String user, Map<ScramMechanism, ScramCredential> byMechanism) {
        DescribeUserScramCredentialsResult result = new DescribeUserScramCredentialsResult().setUser(user)
                .setErrorCode(Errors.NONE.code());
        byMechanism.forEach((mechanism, credential) -> result.credentialInfos().add(new CredentialInfo()
                .setMechanism(mechanism.type()).setIterations(credential.iterations())));
        return result;
    }
}
