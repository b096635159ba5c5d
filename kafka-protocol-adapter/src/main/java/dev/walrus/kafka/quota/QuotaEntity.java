package dev.walrus.kafka.quota;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whom a client quota applies to, as Kafka names it: entity types ({@code user}, {@code client-id}, {@code ip}) with a
 * name each, a null name being that type's default entity ({@code --entity-default}), e.g. {user=alice,
 * client-id=null} for alice's clients without a quota of their own.
 *
 * @param names entity type to name (null for the default entity), in type order
 */
public record QuotaEntity(Map<String, String> names) {

    public static final String USER = "user";
    public static final String CLIENT_ID = "client-id";
    public static final String IP = "ip";

    public QuotaEntity {
        names = Collections.unmodifiableMap(new TreeMap<>(names));
    }

    public boolean has(String type) {
        return names.containsKey(type);
    }

    /** The name for {@code type}: null both for the default entity and when the type is absent (see {@link #has}). */
    public String name(String type) {
        return names.get(type);
    }

    @Override
    public String toString() {
        return names.toString();
    }
}
