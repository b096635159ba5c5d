package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.metadata.TopicRegistry;
import dev.walrus.kafka.security.ScramCredential;
import dev.walrus.kafka.security.ScramMechanism;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * AlterUserScramCredentials (API key 51), version 0: sets and deletes users' SCRAM credentials
 * ({@code kafka-configs --alter --add-config 'SCRAM-SHA-256=[password=...]' --entity-type users},
 * {@code Admin.alterUserScramCredentials}). The client sends the salted password; the broker keeps only the keys
 * derived from it. Changes are logged in the metadata log and answered once durable; SASL/SCRAM uses them at once.
 *
 * <p>Each user's changes are checked as Kafka's controller checks them: an empty name, an unknown mechanism, an
 * iteration count outside 4096..16384, a credential altered twice in the request, the deletion of one that does not
 * exist; a user with any bad change has none applied, and each user gets one result.
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
        Map<String, Failure> failures = new LinkedHashMap<>();
        Map<String, Boolean> users = new LinkedHashMap<>();
        Set<String> altered = new HashSet<>();
        for (ScramCredentialDeletion d : request.deletions()) {
            users.put(d.name(), true);
            check(d.name(), d.mechanism(), null, altered, failures);
        }
        for (ScramCredentialUpsertion u : request.upsertions()) {
            users.put(u.name(), true);
            check(u.name(), u.mechanism(), u.iterations(), altered, failures);
        }
        for (ScramCredentialDeletion d : request.deletions()) {
            Optional<ScramMechanism> mechanism = ScramMechanism.forType(d.mechanism());
            if (!failures.containsKey(d.name()) && mechanism.isPresent()
                    && registry.scramCredentials().get(d.name(), mechanism.get()).isEmpty()) {
                failures.put(d.name(), new Failure(Errors.RESOURCE_NOT_FOUND,
                        "Attempt to delete a user credential that does not exist"));
            }
        }
        List<ScramCredential.Named> set = new ArrayList<>();
        List<Map.Entry<String, ScramMechanism>> deleted = new ArrayList<>();
        for (ScramCredentialDeletion d : request.deletions()) {
            if (!failures.containsKey(d.name())) {
                deleted.add(Map.entry(d.name(), ScramMechanism.forType(d.mechanism()).orElseThrow()));
            }
        }
        for (ScramCredentialUpsertion u : request.upsertions()) {
            if (!failures.containsKey(u.name())) {
                ScramMechanism mechanism = ScramMechanism.forType(u.mechanism()).orElseThrow();
                set.add(new ScramCredential.Named(u.name(),
                        mechanism.credential(u.salt(), u.saltedPassword(), u.iterations())));
            }
        }
        AlterUserScramCredentialsResponseData response = new AlterUserScramCredentialsResponseData().setThrottleTimeMs(0);
        for (String user : users.keySet()) {
            Failure failure = failures.get(user);
            response.results().add(new AlterUserScramCredentialsResult().setUser(user)
                    .setErrorCode(failure == null ? Errors.NONE.code() : failure.error().code())
                    .setErrorMessage(failure == null ? null : failure.message()));
        }
        if (set.isEmpty() && deleted.isEmpty()) {
            return CompletableFuture.completedFuture(response);
        }
        registry.changeScramCredentials(set, deleted);
        return registry.durable().thenApply(done -> response);
    }

    /** Kafka's checks of one change; the user's first failure is kept. */
    private static void check(String user, byte mechanismType, Integer iterations, Set<String> altered,
                              Map<String, Failure> failures) {
        if (failures.containsKey(user)) {
            return;
        }
        Optional<ScramMechanism> mechanism = ScramMechanism.forType(mechanismType);
        Failure failure = null;
        if (user.isEmpty()) {
            failure = new Failure(Errors.UNACCEPTABLE_CREDENTIAL, "Username must not be empty");
        } else if (mechanism.isEmpty()) {
            failure = new Failure(Errors.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism");
        } else if (!altered.add(user + "\u0000" + mechanismType)) {
            failure = new Failure(Errors.DUPLICATE_RESOURCE, "A user credential cannot be altered twice in the same request");
        } else if (iterations != null && iterations < ScramMechanism.MIN_ITERATIONS) {
            failure = new Failure(Errors.UNACCEPTABLE_CREDENTIAL, "Too few iterations");
        } else if (iterations != null && iterations > ScramMechanism.MAX_ITERATIONS) {
            failure = new Failure(Errors.UNACCEPTABLE_CREDENTIAL, "Too many iterations");
        }
        if (failure != null) {
            failures.put(user, failure);
        }
    }
}
