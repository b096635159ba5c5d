package dev.walrus.kafka.quota;

import dev.walrus.kafka.config.BrokerSettings;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kafka's limits on connections, decided when one is accepted, as its broker's {@code ConnectionQuotas} decides:
 * <ol>
 *   <li>{@code max.connection.creation.rate}, broker-wide and per listener ({@code listener.name.NAME.} prefixed, the
 *       broker-wide value by default): a connection over it is counted, then held unread for the throttle time, and
 *       the listener accepts nothing else meanwhile (Kafka's acceptor waits);</li>
 *   <li>{@code max.connections} (or {@code listener.name.NAME.max.connections}): at the limit a new connection waits,
 *       unread, until another closes (Kafka's acceptor stops accepting);</li>
 *   <li>{@code connection_creation_rate} of the client quotas of its IP address, or of the default IP (KIP-612): a
 *       connection over the rate is not served and is closed after the throttle time (at most one quota window), and
 *       does not count against the rate;</li>
 *   <li>{@code max.connections.per.ip}, or the address's entry in {@code max.connections.per.ip.overrides}: one
 *       connection more is refused and closed at once.</li>
 * </ol>
 * The limits are read at each connection, so dynamic broker configs and quota changes apply to the next one.
 *
 * <p>Threading: any thread; the counts are guarded by this object.
 */
public final class ConnectionQuotas {

    /** What becomes of a new connection. */
    public sealed interface Admission {
        /** Served: counted until {@link #released}. */
        record Admitted() implements Admission {}

        /**
         * Over the broker's or its listener's connection creation rate: counted in those rates already; hold it
         * unread for {@code delayMs} (its listener accepting nothing else), then ask again with {@code rateRecorded}.
         */
        record Delayed(int delayMs) implements Admission {}

        /** The broker is at {@code max.connections}: hold the connection unread and ask again once one closes. */
        record AtCapacity(int max) implements Admission {}

        /** Over its IP's connection creation rate: not served, closed after {@code closeAfterMs}; not counted. */
        record Throttled(int closeAfterMs) implements Admission {}

        /** Its IP has {@code max} connections already: closed at once; not counted. */
        record Refused(int max) implements Admission {}
    }

    private static final Admission ADMITTED = new Admission.Admitted();

    private final BrokerSettings settings;
    private final ClientQuotas quotas;
    private final Map<InetAddress, Integer> byAddress = new HashMap<>();
    private final Map<String, Integer> byListener = new HashMap<>();
    private int total;
    /** One rate per IP address over its connection creation quota (KIP-612); created on its first connection. */
    private final Map<InetAddress, SampledRate> creationRates = new ConcurrentHashMap<>();
    /** Every connection's creation, broker-wide (max.connection.creation.rate); recorded with no limit set too. */
    private SampledRate brokerCreationRate;
    /** Each listener's connection creations (listener.name.NAME.max.connection.creation.rate). */
    private final Map<String, SampledRate> listenerCreationRates = new HashMap<>();
    /** {@code max.connections.per.ip.overrides} as last parsed, with the string it came from. */
    private volatile ParsedOverrides overrides = new ParsedOverrides("", Map.of());

    private record ParsedOverrides(String source, Map<InetAddress, Integer> limits) {}

    public ConnectionQuotas(BrokerSettings settings, ClientQuotas quotas) {
        this.settings = settings;
        this.quotas = quotas;
    }

    /**
     * Decides on a new connection from {@code address} on {@code listener}; counts it if admitted. {@code rateRecorded}:
     * it is asked again after a {@link Admission.Delayed} or {@link Admission.AtCapacity}, so it is in the broker's
     * and listener's creation rates already.
     */
    public synchronized Admission admit(String listener, InetAddress address, boolean rateRecorded) {
        long now = System.currentTimeMillis();
        if (!rateRecorded) {
            int delayMs = recordListenerCreation(listener, now);
            if (delayMs > 0) {
                return new Admission.Delayed(delayMs);
            }
        }
        int max = maxConnections(listener);
        if (total >= max) {
            return new Admission.AtCapacity(max);
        }
        int throttleMs = recordCreation(address, now);
        if (throttleMs > 0) {
            // as Kafka: a connection its IP's rate turns away does not count in the broker's and listener's rates
            brokerCreationRate().unrecord(1, now);
            listenerCreationRate(listener).unrecord(1, now);
            return new Admission.Throttled(throttleMs);
        }
        int fromAddress = byAddress.getOrDefault(address, 0);
        int perAddress = maxConnectionsPerIp(address);
        if (fromAddress >= perAddress) {
            return new Admission.Refused(perAddress);
        }
        byAddress.put(address, fromAddress + 1);
        byListener.merge(listener, 1, Integer::sum);
        total++;
        return ADMITTED;
    }

    /** An admitted connection closed. */
    public synchronized void released(String listener, InetAddress address) {
        byAddress.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
        byListener.computeIfPresent(listener, (l, n) -> n > 1 ? n - 1 : null);
        total = Math.max(0, total - 1);
    }

    /** Kafka counts {@code max.connections} over every listener; a listener's own limit counts its connections only. */
    private int maxConnections(String listener) {
        String own = settings.get(listenerKey(listener, "max.connections"));
        if (own != null && !own.isBlank()) {
            int perListener = Integer.parseInt(own.trim());
            if (byListener.getOrDefault(listener, 0) >= perListener) {
                return total; // this listener is full: as if the broker were
            }
        }
        return settings.getInt("max.connections");
    }

    private int maxConnectionsPerIp(InetAddress address) {
        String source = settings.get("max.connections.per.ip.overrides");
        source = source == null ? "" : source;
        ParsedOverrides parsed = overrides;
        if (!parsed.source().equals(source)) {
            parsed = new ParsedOverrides(source, parseOverrides(source));
            overrides = parsed;
        }
        Integer own = parsed.limits().get(address);
        return own != null ? own : settings.getInt("max.connections.per.ip");
    }

    /**
     * {@code host:count,...}, hosts by name or address, as Kafka reads it (names are resolved once, when the value
     * changes). A malformed value is refused when it is set ({@link #checkOverrides}).
     */
    static Map<InetAddress, Integer> parseOverrides(String value) {
        Map<InetAddress, Integer> limits = new HashMap<>();
        for (String entry : value.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.lastIndexOf(':');
            if (colon <= 0 || colon == trimmed.length() - 1) {
                throw new IllegalArgumentException("Invalid max.connections.per.ip.overrides entry '" + trimmed
                        + "': expected host:count");
            }
            try {
                limits.put(InetAddress.getByName(trimmed.substring(0, colon).trim()),
                        Integer.parseInt(trimmed.substring(colon + 1).trim()));
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("Invalid max.connections.per.ip.overrides entry '" + trimmed + "': " + e.getMessage());
            }
        }
        return limits;
    }

    /** Validates a {@code max.connections.per.ip.overrides} value; the problem, or null. */
    public static String checkOverrides(String value) {
        try {
            parseOverrides(value);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * Records one connection against its address's creation rate quota, if one applies; the throttle time (at most
     * one quota window), having taken the connection back out of the rate, or 0.
     */
    private int recordCreation(InetAddress address, long nowMs) {
        Double bound = quotas.of(new QuotaEntity(Map.of(QuotaEntity.IP, address.getHostAddress())))
                .get(QuotaKeys.CONNECTION_CREATION_RATE);
        if (bound == null) {
            bound = quotas.of(defaultIp()).get(QuotaKeys.CONNECTION_CREATION_RATE);
        }
        if (bound == null) {
            creationRates.remove(address);
            return 0;
        }
        int windowMs = settings.getInt("quota.window.size.seconds") * 1000;
        SampledRate rate = creationRates.computeIfAbsent(address, a -> newRate());
        int throttleMs = rate.recordAndThrottle(1, bound, nowMs, windowMs);
        if (throttleMs > 0) {
            rate.unrecord(1, nowMs); // a connection not accepted does not count
        }
        return throttleMs;
    }

    /**
     * Records one connection in the broker-wide creation rate and in its listener's, as Kafka records both (this broker
     * has no inter-broker listener to spare); the longer of their throttle times, at most one quota window, or 0.
     */
    private int recordListenerCreation(String listener, long nowMs) {
        int windowMs = settings.getInt("quota.window.size.seconds") * 1000;
        int brokerLimit = settings.getInt("max.connection.creation.rate");
        String own = settings.get(listenerKey(listener, "max.connection.creation.rate"));
        int listenerLimit = own == null || own.isBlank() ? brokerLimit : Integer.parseInt(own.trim());
        int brokerThrottleMs = brokerCreationRate().recordAndThrottle(1, brokerLimit, nowMs, windowMs);
        int listenerThrottleMs = listenerCreationRate(listener).recordAndThrottle(1, listenerLimit, nowMs, windowMs);
        return Math.max(brokerThrottleMs, listenerThrottleMs);
    }

    private SampledRate brokerCreationRate() {
        if (brokerCreationRate == null) {
            brokerCreationRate = newRate();
        }
        return brokerCreationRate;
    }

    private SampledRate listenerCreationRate(String listener) {
        return listenerCreationRates.computeIfAbsent(listener, l -> newRate());
    }

    private SampledRate newRate() {
        return new SampledRate(settings.getInt("quota.window.num"), settings.getInt("quota.window.size.seconds") * 1000L);
    }

    private static String listenerKey(String listener, String key) {
        return "listener.name." + listener.toLowerCase(java.util.Locale.ROOT) + "." + key;
    }

    private static QuotaEntity defaultIp() {
        Map<String, String> names = new HashMap<>();
        names.put(QuotaEntity.IP, null);
        return new QuotaEntity(names);
    }
}
