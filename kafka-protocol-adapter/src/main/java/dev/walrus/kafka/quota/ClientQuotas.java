package dev.walrus.kafka.quota;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every client quota set with AlterClientQuotas ({@code kafka-configs --entity-type users|clients|ips}), by entity:
 * what DescribeClientQuotas lists and what the broker enforces. The metadata log holds the changes
 * ({@code ClientQuotaChanged}); this is the state they leave.
 *
 * <p>Threading: changed by the metadata registry under its lock, read by any thread.
 */
public final class ClientQuotas {

    private final Map<QuotaEntity, Map<String, Double>> byEntity = new ConcurrentHashMap<>();
    /**
     * {@link #resolve}'s answers by quota key, user and client id, so that a request does not walk the eight levels
     * again (empty: no quota applies). Every change replaces it after changing the quotas, so an answer computed from
     * the quotas before lands in a map no one reads any more.
     */
    private volatile Map<String, java.util.Optional<Applied>> resolved = new ConcurrentHashMap<>();

    /** Sets ({@code value} non-null) or removes one quota of one entity. */
    public void apply(QuotaEntity entity, String key, Double value) {
        byEntity.compute(entity, (e, quotas) -> {
            Map<String, Double> next = quotas == null ? new LinkedHashMap<>() : new LinkedHashMap<>(quotas);
            if (value == null) {
                next.remove(key);
            } else {
                next.put(key, value);
            }
            return next.isEmpty() ? null : Collections.unmodifiableMap(next);
        });
        resolved = new ConcurrentHashMap<>();
    }

    /** The quotas of exactly {@code entity} (empty when none). */
    public Map<String, Double> of(QuotaEntity entity) {
        return byEntity.getOrDefault(entity, Map.of());
    }

    public boolean isEmpty() {
        return byEntity.isEmpty();
    }

    /**
     * The entities DescribeClientQuotas selects, as Kafka's broker does: every entity whose name for each type in
     * {@code exact} is the one given (null: the default entity), and which has each type in {@code specified} (with
     * any name, the default entity's too); with {@code strict}, only entities of exactly those types. No component at all selects every entity,
     * unless strict.
     */
    public Map<QuotaEntity, Map<String, Double>> matching(Map<String, String> exact, Set<String> specified, boolean strict) {
        Map<QuotaEntity, Map<String, Double>> found = new LinkedHashMap<>();
        if (exact.isEmpty() && specified.isEmpty() && strict) {
            return found;
        }
        for (Map.Entry<QuotaEntity, Map<String, Double>> e : byEntity.entrySet()) {
            QuotaEntity entity = e.getKey();
            boolean matches = exact.entrySet().stream().allMatch(x -> entity.has(x.getKey())
                    && java.util.Objects.equals(entity.name(x.getKey()), x.getValue()))
                    && specified.stream().allMatch(entity::has)
                    && (!strict || entity.names().size() == exact.size() + specified.size());
            if (matches) {
                found.put(entity, e.getValue());
            }
        }
        return found;
    }

    /**
     * The quota on {@code key} that applies to a client, and the entity whose rate it shares, with Kafka's precedence:
     * user and client id, user and default client, user, default user and client id, default user and default
     * client, default user, client id, default client. Null when none applies.
     */
    public Applied resolve(String user, String clientId, String key) {
        return resolved.computeIfAbsent(key + "\u0000" + user + "\u0000" + clientId,
                k -> java.util.Optional.ofNullable(walk(user, clientId, key))).orElse(null);
    }

    private Applied walk(String user, String clientId, String key) {
        List<QuotaEntity> levels = List.of(
                entity(QuotaEntity.USER, user, QuotaEntity.CLIENT_ID, clientId),
                entity(QuotaEntity.USER, user, QuotaEntity.CLIENT_ID, null),
                entity(QuotaEntity.USER, user),
                entity(QuotaEntity.USER, null, QuotaEntity.CLIENT_ID, clientId),
                entity(QuotaEntity.USER, null, QuotaEntity.CLIENT_ID, null),
                entity(QuotaEntity.USER, null),
                entity(QuotaEntity.CLIENT_ID, clientId),
                entity(QuotaEntity.CLIENT_ID, null));
        for (QuotaEntity level : levels) {
            Double quota = of(level).get(key);
            if (quota != null) {
                // clients of one entity share its rate; a default entity stands for each user or client on its own
                String sharedUser = level.has(QuotaEntity.USER) ? user : "";
                String sharedClient = level.has(QuotaEntity.CLIENT_ID) ? clientId : "";
                return new Applied(quota, key + "\u0000" + sharedUser + "\u0000" + sharedClient);
            }
        }
        return null;
    }

    private static QuotaEntity entity(String... typesAndNames) {
        Map<String, String> names = new java.util.HashMap<>();
        for (int i = 0; i < typesAndNames.length; i += 2) {
            names.put(typesAndNames[i], typesAndNames[i + 1]);
        }
        return new QuotaEntity(names);
    }

    /** A quota in force for a client: its bound and the key of the rate it counts against. */
    public record Applied(double bound, String rateKey) {}

    /** Every entity with quotas (a copy). */
    public List<QuotaEntity> entities() {
        return new ArrayList<>(byEntity.keySet());
    }
}
