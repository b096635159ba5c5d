package dev.walrus.kafka.quota;

import java.util.Map;

/**
 * The quota keys Kafka accepts per entity kind and the rules for their values (Kafka's {@code QuotaConfig}): for users
 * and client ids {@code producer_byte_rate} and {@code consumer_byte_rate} (whole bytes per second),
 * {@code request_percentage} and {@code controller_mutation_rate}; for IPs {@code connection_creation_rate} (whole
 * connections per second). Each message is Kafka's.
 */
public final class QuotaKeys {

    public static final String PRODUCER_BYTE_RATE = "producer_byte_rate";
    public static final String CONSUMER_BYTE_RATE = "consumer_byte_rate";
    public static final String CONNECTION_CREATION_RATE = "connection_creation_rate";

    /** Whether a key's values must be whole numbers, and the largest one. */
    private record Kind(boolean integral, double max, String typeName) {}

    private static final Kind LONG = new Kind(true, Long.MAX_VALUE, "a LONG");
    private static final Kind INT = new Kind(true, Integer.MAX_VALUE, "an INT");
    private static final Kind DOUBLE = new Kind(false, Double.MAX_VALUE, "a DOUBLE");

    private static final Map<String, Kind> USER_AND_CLIENT = Map.of(PRODUCER_BYTE_RATE, LONG, CONSUMER_BYTE_RATE, LONG,
            "request_percentage", DOUBLE, "controller_mutation_rate", DOUBLE);
    private static final Map<String, Kind> IP = Map.of(CONNECTION_CREATION_RATE, INT);

    private QuotaKeys() {}

    /** Why {@code entity} is not one Kafka takes (its type combination or names), or null. */
    public static String problemWithEntity(QuotaEntity entity) {
        if (entity.names().isEmpty()) {
            return "Invalid empty client quota entity";
        }
        for (Map.Entry<String, String> e : entity.names().entrySet()) {
            if (!e.getKey().equals(QuotaEntity.USER) && !e.getKey().equals(QuotaEntity.CLIENT_ID)
                    && !e.getKey().equals(QuotaEntity.IP)) {
                return "Unhandled client quota entity type: " + e.getKey();
            }
            if (e.getValue() != null && e.getValue().isEmpty()) {
                return "Empty " + e.getKey() + " not supported";
            }
        }
        if (entity.has(QuotaEntity.IP) && (entity.has(QuotaEntity.USER) || entity.has(QuotaEntity.CLIENT_ID))) {
            return "Invalid quota entity combination, IP entity shouldnot be combined with User or ClientId";
        }
        return null;
    }

    /** Why {@code key} = {@code value} is not a quota Kafka takes for {@code entity}, or null. */
    public static String problemWithValue(QuotaEntity entity, String key, double value) {
        Kind kind = (entity.has(QuotaEntity.IP) ? IP : USER_AND_CLIENT).get(key);
        if (kind == null) {
            return "Invalid configuration key " + key;
        }
        if (value <= 0.0) {
            return "Quota " + key + " must be greater than 0";
        }
        if (value > kind.max()) {
            return "Proposed value for " + key + " is too large for " + kind.typeName() + ".";
        }
        if (kind.integral() && Math.abs(value % 1.0) > 1e-6) {
            return key + " cannot be a fractional value.";
        }
        return null;
    }
}
