package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.metadata.TopicRegistry;
import dev.walrus.kafka.security.ScramCredential;
import dev.walrus.kafka.security.ScramMechanism;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialDeletion;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialUpsertion;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * AlterUserScramCredentials (API key 51), version 0: sets and deletes users' SCRAM credentials
 * ({@code kafka-configs --alter --add-config 'SCRAM-SHA-256=[password=...]' --entity-type users},
 * {@code Admin.alterUserScramCredentials}). The client sends the salted password; the broker keeps only the keys
 * derived from it. Changes are logged in the metadata log and answered once durable; SASL/SCRAM uses them at once.
 *
 * <p>Each user's changes are checked as Kafka's controller checks them: an empty name, an unknown mechanism, an
 * iteration count outside 4096..16384, a user changed twice in the request (even for two mechanisms), the deletion
 * of a credential that does not exist; a user with a bad change has none applied, and each user gets one result.
 *
 * <p>Authorization (with an authorizer): ALTER on the cluster (else CLUSTER_AUTHORIZATION_FAILED for every user).
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: first version (KIP-554), flexible.
 * </ul>
 */
public final class AlterUserScramCredentialsHandler implements ApiHandler<AlterUserScramCredentialsRequestData> {

    private final TopicRegistry registry;

    public AlterUserScramCredentialsHandler(TopicRegistry registry) {
        this.registry = registry;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_USER_SCRAM_CREDENTIALS;
    }

    private record Failure(Errors error, String message) {}

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, AlterUserScramCredentialsRequestData request,
                                                RequestContext context) {
        context.requireOnCluster(AclOperation.ALTER, header);   // else CLUSTER_AUTHORIZATION_FAILED for the request
        // Kafka's controller walks the deletions, then the upsertions: a user's first bad change is its error, a
        // second change of a user whose first was fine is DUPLICATE_RESOURCE (even for another mechanism).
        Map<String, ScramCredentialDeletion> deletions = new LinkedHashMap<>();
        Map<String, ScramCredentialUpsertion> upsertions = new LinkedHashMap<>();
        Map<String, Failure> failures = new LinkedHashMap<>();
        for (ScramCredentialDeletion d : request.deletions()) {
            if (failures.containsKey(d.name())) {
                continue;
            }
            Failure failure = deletions.remove(d.name()) != null ? DUPLICATE : checkDeletion(d);
            if (failure != null) {
                failures.put(d.name(), failure);
            } else {
                deletions.put(d.name(), d);
            }
        }
        for (ScramCredentialUpsertion u : request.upsertions()) {
            if (failures.containsKey(u.name())) {
                continue;
            }
            boolean duplicate = deletions.remove(u.name()) != null | upsertions.remove(u.name()) != null;
            Failure failure = duplicate ? DUPLICATE : checkUpsertion(u);
            if (failure != null) {
                failures.put(u.name(), failure);
            } else {
                upsertions.put(u.name(), u);
            }
        }
        AlterUserScramCredentialsResponseData response = new AlterUserScramCredentialsResponseData().setThrottleTimeMs(0);
        List<Map.Entry<String, ScramMechanism>> deleted = new ArrayList<>();
        for (ScramCredentialDeletion d : deletions.values()) {
            deleted.add(Map.entry(d.name(), ScramMechanism.forType(d.mechanism()).orElseThrow()));
            response.results().add(new AlterUserScramCredentialsResult().setUser(d.name()).setErrorCode(Errors.NONE.code()));
        }
        List<ScramCredential.Named> set = new ArrayList<>();
        for (ScramCredentialUpsertion u : upsertions.values()) {
            ScramMechanism mechanism = ScramMechanism.forType(u.mechanism()).orElseThrow();
            set.add(new ScramCredential.Named(u.name(), mechanism.credential(u.salt(), u.saltedPassword(), u.iterations())));
            response.results().add(new AlterUserScramCredentialsResult().setUser(u.name()).setErrorCode(Errors.NONE.code()));
        }
        failures.forEach((user, failure) -> response.results().add(new AlterUserScramCredentialsResult().setUser(user)
                .setErrorCode(failure.error().code()).setErrorMessage(failure.message())));
        if (set.isEmpty() && deleted.isEmpty()) {
            return CompletableFuture.completedFuture(response);
        }
        registry.changeScramCredentials(set, deleted);
        return registry.durable().thenApply(done -> response);
    }

    private static final Failure DUPLICATE = new Failure(Errors.DUPLICATE_RESOURCE,
            "A user credential cannot be altered twice in the same request");

    private Failure checkDeletion(ScramCredentialDeletion d) {
        Failure failure = checkNameAndMechanism(d.name(), d.mechanism());
        if (failure == null && registry.scramCredentials()
                .get(d.name(), ScramMechanism.forType(d.mechanism()).orElseThrow()).isEmpty()) {
            failure = new Failure(Errors.RESOURCE_NOT_FOUND, "Attempt to delete a user credential that does not exist");
        }
        return failure;
    }

    private static Failure checkUpsertion(ScramCredentialUpsertion u) {
        Failure failure = checkNameAndMechanism(u.name(), u.mechanism());
        if (failure == null && u.iterations() < ScramMechanism.MIN_ITERATIONS) {
            failure = new Failure(Errors.UNACCEPTABLE_CREDENTIAL, "Too few iterations");
        } else if (failure == null && u.iterations() > ScramMechanism.MAX_ITERATIONS) {
            failure = new Failure(Errors.UNACCEPTABLE_CREDENTIAL, "Too many iterations");
        }
        return failure;
    }

    private static Failure checkNameAndMechanism(String user, byte mechanism) {
        if (user.isEmpty()) {
            return new Failure(Errors.UNACCEPTABLE_CREDENTIAL, "Username must not be empty");
        }
        if (ScramMechanism.forType(mechanism).isEmpty()) {
            return new Failure(Errors.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism");
        }
        return null;
    }
}
