package dev.walrus.kafka.security;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every user's SCRAM credentials, by user and mechanism: what SASL/SCRAM exchanges check and what
 * DescribeUserScramCredentials lists. The metadata log holds the changes; this is the state they leave.
 *
 * <p>Threading: written by the metadata registry under its lock, read by any thread.
 */
public final class ScramCredentials {

    private final Map<String, Map<ScramMechanism, ScramCredential>> byUser = new ConcurrentHashMap<>();

    public Optional<ScramCredential> get(String user, ScramMechanism mechanism) {
        Map<ScramMechanism, ScramCredential> credentials = byUser.get(user);
        return credentials == null ? Optional.empty() : Optional.ofNullable(credentials.get(mechanism));
    }

    /** Each user's credentials, users in name order, mechanisms in their order. */
    public Map<String, Map<ScramMechanism, ScramCredential>> all() {
        Map<String, Map<ScramMechanism, ScramCredential>> copy = new TreeMap<>();
        byUser.forEach((user, credentials) -> {
            synchronized (credentials) {
                copy.put(user, new EnumMap<>(credentials));
            }
        });
        return copy;
    }

    public void put(String user, ScramCredential credential) {
        Map<ScramMechanism, ScramCredential> credentials = byUser.computeIfAbsent(user,
                u -> Collections.synchronizedMap(new EnumMap<>(ScramMechanism.class)));
        credentials.put(credential.mechanism(), credential);
    }

    public void remove(String user, ScramMechanism mechanism) {
        byUser.computeIfPresent(user, (u, credentials) -> {
            credentials.remove(mechanism);
            return credentials.isEmpty() ? null : credentials;
        });
    }
}
