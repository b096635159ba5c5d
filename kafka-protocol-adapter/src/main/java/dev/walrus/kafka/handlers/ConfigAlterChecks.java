package dev.walrus.kafka.handlers;

import dev.walrus.kafka.metadata.Outcome;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.protocol.Errors;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The checks Kafka's broker makes on an AlterConfigs or IncrementalAlterConfigs request before it authorizes anything
 * (its config preprocessing): a resource named twice, a config named twice or given no value, an unknown resource
 * type, and for a broker resource the whole change validated. A malformed request is so refused with INVALID_REQUEST
 * even for a client that may not alter the resource, as on Kafka.
 */
final class ConfigAlterChecks {

    private ConfigAlterChecks() {}

    /** The keys ({@link #key}) that appear more than once: each such resource is refused, every copy of it. */
    static Set<String> repeated(List<String> keys) {
        Set<String> seen = new HashSet<>();
        Set<String> repeated = new HashSet<>();
        for (String key : keys) {
            if (!seen.add(key)) {
                repeated.add(key);
            }
        }
        return repeated;
    }

    /** A resource's identity within a request. */
    static String key(byte type, String name) {
        return type + ":" + name;
    }

    static final String REPEATED_RESOURCE = "Each resource must appear at most once.";

    /**
     * One resource's answer in Kafka's order: a resource named twice, then {@code preprocess}, then the permission,
     * then {@code apply}.
     */
    static Outcome<?> ladder(boolean repeated, Supplier<Outcome<Void>> preprocess, Supplier<Errors> denial,
                             Supplier<Outcome<?>> apply) {
        if (repeated) {
            return Outcome.fail(Errors.INVALID_REQUEST, REPEATED_RESOURCE);
        }
        Outcome<Void> checked = preprocess.get();
        if (!checked.isOk()) {
            return checked;
        }
        Errors denied = denial.get();
        return denied != Errors.NONE ? Outcome.fail(denied, denied.message()) : apply.get();
    }

    /**
     * The request-level rungs for one resource, in Kafka's order; {@code brokerValidation} runs the whole change
     * validate-only on a broker resource; {@code typesPassed} are the resource types Kafka hands on to authorization.
     */
    static Outcome<Void> preprocess(byte resourceType, List<String> names, List<String> withoutValue,
                                    Set<ConfigResource.Type> typesPassed, Supplier<Outcome<Void>> brokerValidation) {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                return Outcome.fail(Errors.INVALID_REQUEST, "Error due to duplicate config keys");
            }
        }
        if (!withoutValue.isEmpty()) {
            return Outcome.fail(Errors.INVALID_REQUEST, "Null value not supported for : " + String.join(", ", withoutValue));
        }
        ConfigResource.Type type = ConfigResource.Type.forId(resourceType);
        if (type == ConfigResource.Type.BROKER) {
            return brokerValidation.get();
        }
        if (!typesPassed.contains(type)) {
            return Outcome.fail(Errors.INVALID_REQUEST, "Unknown resource type " + resourceType);
        }
        return Outcome.ok(null);
    }
}
