package dev.walrus.broker.config;

import dev.walrus.kafka.config.BrokerSettings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The settings the broker process itself needs (where to listen, where the data lives, the network limits), read from
 * {@code server.properties}-style keys, plus every given key unchanged for the Kafka adapter, which owns the Kafka
 * semantics of the rest ({@code num.partitions}, {@code auto.create.topics.enable}, ...).
 *
 * <p>Keys that exist in Apache Kafka keep Kafka's name, meaning and default; keys that Kafka lacks start with
 * {@code walrus.}. Every rule violation is a {@link ConfigException} with a one-line message.
 */
public final class BrokerConfig {

    public static final String LISTENERS = "listeners";
    public static final String ADVERTISED_LISTENERS = "advertised.listeners";
    public static final String LISTENER_SECURITY_PROTOCOL_MAP = "listener.security.protocol.map";
    public static final String CONTROLLER_LISTENER_NAMES = "controller.listener.names";
    public static final String LOG_DIRS = "log.dirs";
    public static final String LOG_DIR = "log.dir";
    public static final String MESSAGE_MAX_BYTES = "message.max.bytes";
    public static final String SOCKET_REQUEST_MAX_BYTES = "socket.request.max.bytes";
    public static final String SOCKET_SEND_BUFFER_BYTES = "socket.send.buffer.bytes";
    public static final String SOCKET_RECEIVE_BUFFER_BYTES = "socket.receive.buffer.bytes";
    public static final String SOCKET_LISTEN_BACKLOG_SIZE = "socket.listen.backlog.size";
    public static final String CONNECTIONS_MAX_IDLE_MS = "connections.max.idle.ms";
    public static final String NUM_NETWORK_THREADS = "num.network.threads";
    public static final String SASL_SERVER_MAX_RECEIVE_SIZE = "sasl.server.max.receive.size";
    /** Kafka's default: 512 KiB before a SASL connection has authenticated. */
    public static final int DEFAULT_SASL_SERVER_MAX_RECEIVE_SIZE = 524_288;
    public static final String MAX_IN_FLIGHT_PER_CONNECTION = "walrus.connection.max.in.flight.requests";
    public static final String SHUTDOWN_TIMEOUT_MS = "walrus.shutdown.timeout.ms";

    public static final String DEFAULT_LISTENERS = "PLAINTEXT://localhost:9092";
    public static final String DEFAULT_DATA_DIR = "walrus-data";
    public static final int DEFAULT_SOCKET_REQUEST_MAX_BYTES = 104_857_600;
    public static final int DEFAULT_SOCKET_BUFFER_BYTES = 102_400;
    public static final int DEFAULT_SOCKET_LISTEN_BACKLOG_SIZE = 50;
    public static final long DEFAULT_CONNECTIONS_MAX_IDLE_MS = 600_000;
    /** Java clients pipeline up to 5 requests per connection; this leaves room for admin and other clients. */
    public static final int DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION = 32;
    public static final long DEFAULT_SHUTDOWN_TIMEOUT_MS = 5_000;

    /** Keys only the broker process reads; the adapter, which knows Kafka's keys, never sees them. */
    private static final Set<String> PROCESS_ONLY_KEYS = Set.of(MAX_IN_FLIGHT_PER_CONNECTION, SHUTDOWN_TIMEOUT_MS);

    private static final List<String> SECURITY_PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");

    private static final String DEFAULT_SECURITY_PROTOCOL_MAP =
            "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL";

    private final Map<String, String> properties;
    private final Map<String, String> adapterProperties;
    private final List<ServedListener> listeners;
    private final Path dataDir;
    private final Optional<Integer> messageMaxBytes;
    private final int socketRequestMaxBytes;
    private final int socketSendBufferBytes;
    private final int socketReceiveBufferBytes;
    private final int listenBacklog;
    private final long connectionsMaxIdleMs;
    private final int networkThreads;
    private final int maxInFlightPerConnection;
    private final int saslMaxReceiveBytes;
    private final long shutdownTimeoutMs;

    private BrokerConfig(Map<String, String> given) {
        this.properties = Map.copyOf(given);
        Map<String, String> forAdapter = new HashMap<>(given);
        forAdapter.keySet().removeAll(PROCESS_ONLY_KEYS);
        this.adapterProperties = Map.copyOf(forAdapter);
        this.listeners = listeners(given);
        this.dataDir = dataDir(given);
        this.messageMaxBytes = Optional.ofNullable(given.get(MESSAGE_MAX_BYTES)).map(v -> intAtLeast(MESSAGE_MAX_BYTES, v, 0));
        this.socketRequestMaxBytes = intAtLeast(SOCKET_REQUEST_MAX_BYTES,
                given.getOrDefault(SOCKET_REQUEST_MAX_BYTES, String.valueOf(DEFAULT_SOCKET_REQUEST_MAX_BYTES)), 1);
        this.socketSendBufferBytes = socketBuffer(SOCKET_SEND_BUFFER_BYTES, given);
        this.socketReceiveBufferBytes = socketBuffer(SOCKET_RECEIVE_BUFFER_BYTES, given);
        this.listenBacklog = intAtLeast(SOCKET_LISTEN_BACKLOG_SIZE,
                given.getOrDefault(SOCKET_LISTEN_BACKLOG_SIZE, String.valueOf(DEFAULT_SOCKET_LISTEN_BACKLOG_SIZE)), 1);
        this.connectionsMaxIdleMs = longValue(CONNECTIONS_MAX_IDLE_MS,
                given.getOrDefault(CONNECTIONS_MAX_IDLE_MS, String.valueOf(DEFAULT_CONNECTIONS_MAX_IDLE_MS)));
        this.networkThreads = intAtLeast(NUM_NETWORK_THREADS,
                given.getOrDefault(NUM_NETWORK_THREADS, String.valueOf(Runtime.getRuntime().availableProcessors())), 1);
        this.maxInFlightPerConnection = intAtLeast(MAX_IN_FLIGHT_PER_CONNECTION,
                given.getOrDefault(MAX_IN_FLIGHT_PER_CONNECTION, String.valueOf(DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION)), 1);
        this.saslMaxReceiveBytes = intAtLeast(SASL_SERVER_MAX_RECEIVE_SIZE, given.getOrDefault(SASL_SERVER_MAX_RECEIVE_SIZE,
                String.valueOf(DEFAULT_SASL_SERVER_MAX_RECEIVE_SIZE)), 1);
        long shutdown = longValue(SHUTDOWN_TIMEOUT_MS,
                given.getOrDefault(SHUTDOWN_TIMEOUT_MS, String.valueOf(DEFAULT_SHUTDOWN_TIMEOUT_MS)));
        if (shutdown < 0) {
            throw ConfigException.invalid(SHUTDOWN_TIMEOUT_MS, String.valueOf(shutdown), "must be at least 0");
        }
        this.shutdownTimeoutMs = shutdown;
    }

    /**
     * Reads and checks the given keys. The Kafka semantics of every key are checked by the adapter's
     * {@link BrokerSettings#check}; its complaint becomes a {@link ConfigException} here so a bad value fails at start.
     * (Keys it does not use are logged once, when the adapter opens with the same keys.)
     */
    public static BrokerConfig from(Map<String, String> given) {
        BrokerConfig config = new BrokerConfig(given);
        try {
            BrokerSettings.check(config.adapterProperties);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
        return config;
    }

    /** Every given key and value, as given. */
    public Map<String, String> properties() { return properties; }

    /** The given keys for the Kafka adapter ({@code KafkaAdapter.open}): all but the {@code walrus.} process keys. */
    public Map<String, String> adapterProperties() { return adapterProperties; }

    /** Every listener to bind, in the order of {@code listeners}; the first is the one {@code --host}/{@code --port} adjust. */
    public List<ServedListener> listeners() { return listeners; }

    /** The first listener. */
    public ListenerAddress listener() { return listeners.getFirst().address(); }

    /** The first listener's security protocol: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. */
    public String securityProtocol() { return listeners.getFirst().securityProtocol(); }

    /** The first listener's TLS settings, for SSL and SASL_SSL. */
    public Optional<TlsConfig> tls() { return listeners.getFirst().tls(); }

    /** The first listener's {@code advertised.listeners} entry when given; otherwise the broker advertises what it bound. */
    public Optional<ListenerAddress> advertisedListener() { return listeners.getFirst().advertised(); }

    public Path dataDir() { return dataDir; }

    public Optional<Integer> messageMaxBytes() { return messageMaxBytes; }

    public int socketRequestMaxBytes() { return socketRequestMaxBytes; }

    /** -1 leaves the operating system's default. */
    public int socketSendBufferBytes() { return socketSendBufferBytes; }

    /** -1 leaves the operating system's default. */
    public int socketReceiveBufferBytes() { return socketReceiveBufferBytes; }

    public int listenBacklog() { return listenBacklog; }

    /** A negative value turns idle expiry off (as in Kafka). */
    public long connectionsMaxIdleMs() { return connectionsMaxIdleMs; }

    public int networkThreads() { return networkThreads; }

    public int maxInFlightPerConnection() { return maxInFlightPerConnection; }

    public long shutdownTimeoutMs() { return shutdownTimeoutMs; }

    /** {@code sasl.server.max.receive.size}: the largest frame of a SASL connection before it authenticated. */
    public int saslMaxReceiveBytes() { return saslMaxReceiveBytes; }

    // ---- parsing ---------------------------------------------------------------------------------------------------

    /**
     * The listeners this broker serves, each of any of Kafka's four security protocols, with Kafka's rules: distinct
     * names and ports, and advertised listeners only of served names.
     */
    private static List<ServedListener> listeners(Map<String, String> given) {
        String value = given.getOrDefault(LISTENERS, DEFAULT_LISTENERS);
        List<ListenerAddress> served = servedListeners(LISTENERS, value, given);
        Set<String> names = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        for (ListenerAddress address : served) {
            if (!names.add(address.name())) {
                throw ConfigException.invalid(LISTENERS, value, "each listener must have a different name");
            }
            if (address.port() != 0 && !ports.add(address.port())) {
                throw ConfigException.invalid(LISTENERS, value, "each listener must have a different port");
            }
        }
        Map<String, ListenerAddress> advertised = new HashMap<>();
        String advertisedValue = given.get(ADVERTISED_LISTENERS);
        if (advertisedValue != null && !advertisedValue.isBlank()) {
            for (ListenerAddress a : servedListeners(ADVERTISED_LISTENERS, advertisedValue, given)) {
                if (!names.contains(a.name())) {
                    throw ConfigException.invalid(ADVERTISED_LISTENERS, advertisedValue, "listener " + a.name()
                            + " is not one of the listeners (" + String.join(", ", names) + ")");
                }
                advertised.put(a.name(), a);
            }
        }
        Map<String, String> protocols = securityProtocols(given);
        List<ServedListener> listeners = new ArrayList<>();
        for (ListenerAddress address : served) {
            String protocol = protocols.get(address.name());
            Optional<TlsConfig> tls = protocol.endsWith("SSL")
                    ? Optional.of(TlsConfig.from(address.name(), protocol, given)) : Optional.empty();
            listeners.add(new ServedListener(address, protocol, tls, Optional.ofNullable(advertised.get(address.name()))));
        }
        return List.copyOf(listeners);
    }

    /**
     * The entries of {@code listeners} or {@code advertised.listeners} that clients use. Listeners named in
     * {@code controller.listener.names} are skipped, so a KRaft {@code server.properties} of Apache Kafka works as it
     * is.
     */
    private static List<ListenerAddress> servedListeners(String key, String value, Map<String, String> given) {
        Set<String> controllerNames = controllerListenerNames(given);
        Map<String, String> protocols = securityProtocols(given);
        List<ListenerAddress> served = new ArrayList<>();
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            ListenerAddress address = ListenerAddress.parse(key, part);
            if (controllerNames.contains(address.name())) {
                continue;
            }
            String protocol = protocols.get(address.name());
            if (protocol == null) {
                throw ConfigException.invalid(key, value, "listener " + address.name()
                        + " has no entry in " + LISTENER_SECURITY_PROTOCOL_MAP);
            }
            if (!SECURITY_PROTOCOLS.contains(protocol)) {
                throw ConfigException.invalid(key, value, "listener " + address.name() + " uses " + protocol
                        + ", which is not one of " + SECURITY_PROTOCOLS);
            }
            served.add(address);
        }
        if (served.isEmpty()) {
            throw ConfigException.invalid(key, value, "no listener, e.g. PLAINTEXT://localhost:9092");
        }
        return served;
    }

    /** The names in {@code controller.listener.names}: listeners this broker skips (a KRaft controller's). */
    static Set<String> controllerListenerNames(Map<String, String> given) {
        Set<String> names = new HashSet<>();
        for (String n : given.getOrDefault(CONTROLLER_LISTENER_NAMES, "").split(",")) {
            if (!n.isBlank()) {
                names.add(n.trim().toUpperCase(Locale.ROOT));
            }
        }
        return names;
    }

    static Map<String, String> securityProtocols(Map<String, String> given) {
        String value = given.getOrDefault(LISTENER_SECURITY_PROTOCOL_MAP, DEFAULT_SECURITY_PROTOCOL_MAP);
        Map<String, String> map = new HashMap<>();
        for (String entry : value.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] kv = entry.split(":");
            if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                throw ConfigException.invalid(LISTENER_SECURITY_PROTOCOL_MAP, value, "expected NAME:PROTOCOL pairs separated by commas");
            }
            map.put(kv[0].trim().toUpperCase(Locale.ROOT), kv[1].trim().toUpperCase(Locale.ROOT));
        }
        return map;
    }

    /** The first of {@code log.dirs}, else {@code log.dir}, else {@code walrus-data} under the working directory. */
    private static Path dataDir(Map<String, String> given) {
        String dirs = given.get(LOG_DIRS);
        if (dirs == null || dirs.isBlank()) {
            dirs = given.get(LOG_DIR);
        }
        if (dirs == null || dirs.isBlank()) {
            return Path.of(DEFAULT_DATA_DIR).toAbsolutePath();
        }
        List<String> list = Arrays.stream(dirs.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (list.size() > 1) {
            throw ConfigException.invalid(LOG_DIRS, dirs, "only one data directory is supported");
        }
        return Path.of(list.getFirst()).toAbsolutePath();
    }

    private static int socketBuffer(String key, Map<String, String> given) {
        int value = intValue(key, given.getOrDefault(key, String.valueOf(DEFAULT_SOCKET_BUFFER_BYTES)));
        if (value < -1 || value == 0) {
            throw ConfigException.invalid(key, String.valueOf(value), "must be positive, or -1 for the operating system's default");
        }
        return value;
    }

    private static int intAtLeast(String key, String value, int min) {
        int parsed = intValue(key, value);
        if (parsed < min) {
            throw ConfigException.invalid(key, value, "must be at least " + min);
        }
        return parsed;
    }

    private static int intValue(String key, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ConfigException.invalid(key, value, "not a number of type INT");
        }
    }

    private static long longValue(String key, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ConfigException.invalid(key, value, "not a number of type LONG");
        }
    }
}
