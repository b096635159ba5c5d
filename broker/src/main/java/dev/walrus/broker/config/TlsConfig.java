package dev.walrus.broker.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The TLS settings of an {@code SSL} or {@code SASL_SSL} listener, read from Kafka's {@code ssl.*} keys; a key given
 * with the listener's prefix ({@code listener.name.<listener>.ssl.keystore.location}) wins over the plain one, as in
 * Kafka.
 *
 * @param keystoreType {@code ssl.keystore.type}: JKS or PKCS12
 * @param keystoreLocation {@code ssl.keystore.location}: the broker's key and certificate chain
 * @param keystorePassword {@code ssl.keystore.password}
 * @param keyPassword {@code ssl.key.password}; the keystore password when not given
 * @param truststore {@code ssl.truststore.*}: whom to trust when clients present certificates; empty: the JDK's
 * @param clientAuth {@code ssl.client.auth}: none, requested or required
 * @param protocol {@code ssl.protocol}, the SSLContext protocol
 * @param enabledProtocols {@code ssl.enabled.protocols}
 * @param cipherSuites {@code ssl.cipher.suites}; empty: the JDK's defaults
 */
public record TlsConfig(String keystoreType, Path keystoreLocation, String keystorePassword, String keyPassword,
                        Optional<Store> truststore, ClientAuth clientAuth, String protocol,
                        List<String> enabledProtocols, List<String> cipherSuites) {

    /** A truststore file. */
    public record Store(String type, Path location, String password) {}

    public enum ClientAuth { NONE, REQUESTED, REQUIRED }

    /** Reads the listener's TLS keys; a missing keystore or a bad value is a {@link ConfigException}. */
    static TlsConfig from(String listenerName, Map<String, String> given) {
        String prefix = "listener.name." + listenerName.toLowerCase(Locale.ROOT) + ".";
        Lookup keys = key -> Optional.ofNullable(given.get(prefix + key)).or(() -> Optional.ofNullable(given.get(key)))
                .map(String::trim).filter(v -> !v.isEmpty());
        String location = keys.get("ssl.keystore.location").orElseThrow(() -> new ConfigException(
                "Invalid value for configuration ssl.keystore.location: an " + listenerName
                        + " listener needs a keystore (ssl.keystore.location) with the broker's key and certificate"));
        String keystoreType = storeType("ssl.keystore.type", keys.get("ssl.keystore.type").orElse("JKS"));
        String keystorePassword = keys.get("ssl.keystore.password").orElse(null);
        String keyPassword = keys.get("ssl.key.password").orElse(keystorePassword);
        Optional<Store> truststore = keys.get("ssl.truststore.location").map(path -> new Store(
                storeType("ssl.truststore.type", keys.get("ssl.truststore.type").orElse("JKS")), Path.of(path),
                keys.get("ssl.truststore.password").orElse(null)));
        String auth = keys.get("ssl.client.auth").orElse("none");
        ClientAuth clientAuth;
        try {
            clientAuth = ClientAuth.valueOf(auth.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid("ssl.client.auth", auth, "String must be one of: required, requested, none");
        }
        return new TlsConfig(keystoreType, Path.of(location), keystorePassword, keyPassword, truststore, clientAuth,
                keys.get("ssl.protocol").orElse("TLSv1.3"),
                list(keys.get("ssl.enabled.protocols").orElse("TLSv1.2,TLSv1.3")),
                list(keys.get("ssl.cipher.suites").orElse("")));
    }

    private interface Lookup {
        Optional<String> get(String key);
    }

    private static String storeType(String key, String value) {
        String type = value.toUpperCase(Locale.ROOT);
        if (!type.equals("JKS") && !type.equals("PKCS12")) {
            throw ConfigException.invalid(key, value, "this broker reads JKS and PKCS12 stores (PEM is not supported yet)");
        }
        return type;
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
