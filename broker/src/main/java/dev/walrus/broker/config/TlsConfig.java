package dev.walrus.broker.config;

import dev.walrus.kafka.security.SslPrincipalMapping;

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
 * @param keystore the broker's key and certificate chain
 * @param truststore {@code ssl.truststore.*}: whom to trust when clients present certificates; empty: the JDK's
 * @param clientAuth {@code ssl.client.auth}: none, requested or required
 * @param protocol {@code ssl.protocol}, the SSLContext protocol
 * @param enabledProtocols {@code ssl.enabled.protocols}
 * @param cipherSuites {@code ssl.cipher.suites}; empty: the JDK's defaults
 * @param principalMapping {@code ssl.principal.mapping.rules}: an SSL client's user name from its certificate subject
 */
public record TlsConfig(Store keystore, Optional<Store> truststore, ClientAuth clientAuth, String protocol,
                        List<String> enabledProtocols, List<String> cipherSuites, SslPrincipalMapping principalMapping) {

    /**
     * A keystore or truststore, as a file ({@code ssl.keystore.location}) of type JKS, PKCS12 or PEM, or as PEM text in
     * the config itself ({@code ssl.keystore.key} with {@code ssl.keystore.certificate.chain}, or
     * {@code ssl.truststore.certificates}), as Kafka takes them (KIP-651).
     *
     * @param type JKS, PKCS12 or PEM
     * @param location the file, if not given as PEM text
     * @param password {@code ssl.keystore.password} / {@code ssl.truststore.password}
     * @param keyPassword {@code ssl.key.password}: the private key's password (the keystore's when not given, for a
     *        file; none for an unencrypted PEM key)
     * @param pemKey {@code ssl.keystore.key}: a PKCS#8 private key in PEM
     * @param pemCertificates {@code ssl.keystore.certificate.chain} / {@code ssl.truststore.certificates}
     */
    public record Store(String type, Optional<Path> location, String password, String keyPassword,
                        Optional<String> pemKey, Optional<String> pemCertificates) {

        /** Where it comes from, for messages. */
        public String describe() {
            return location.map(Path::toString).orElse("(PEM in the config)") + " of type " + type;
        }
    }

    public enum ClientAuth { NONE, REQUESTED, REQUIRED }

    /**
     * Reads the listener's TLS keys; a missing keystore or a bad value is a {@link ConfigException}. On a SASL_SSL
     * listener only the listener's own {@code ssl.client.auth} counts (KIP-684: the broker-wide one is meant for SSL
     * listeners, where the certificate is the client's identity).
     */
    static TlsConfig from(String listenerName, String securityProtocol, Map<String, String> given) {
        String prefix = "listener.name." + listenerName.toLowerCase(Locale.ROOT) + ".";
        Lookup ownKeys = key -> Optional.ofNullable(given.get(prefix + key)).map(String::trim).filter(v -> !v.isEmpty());
        Lookup keys = key -> ownKeys.get(key).or(() -> Optional.ofNullable(given.get(key)).map(String::trim)
                .filter(v -> !v.isEmpty()));
        Optional<String> pemKey = keys.get("ssl.keystore.key");
        Optional<String> pemChain = keys.get("ssl.keystore.certificate.chain");
        Optional<String> location = keys.get("ssl.keystore.location");
        String keystoreType = storeType("ssl.keystore.type",
                keys.get("ssl.keystore.type").orElse(pemKey.isPresent() ? "PEM" : "JKS"));
        if (pemKey.isPresent() != pemChain.isPresent()) {
            throw new ConfigException("Invalid value for configuration ssl.keystore.key: ssl.keystore.key and "
                    + "ssl.keystore.certificate.chain go together");
        }
        if (location.isEmpty() && pemKey.isEmpty()) {
            throw new ConfigException("Invalid value for configuration ssl.keystore.location: an " + listenerName
                    + " listener needs a keystore (ssl.keystore.location, or ssl.keystore.key with "
                    + "ssl.keystore.certificate.chain) with the broker's key and certificate");
        }
        if (pemKey.isPresent() && !keystoreType.equals("PEM")) {
            throw ConfigException.invalid("ssl.keystore.type", keystoreType, "ssl.keystore.key needs type PEM");
        }
        String keystorePassword = keys.get("ssl.keystore.password").orElse(null);
        String keyPassword = keys.get("ssl.key.password").orElse(keystoreType.equals("PEM") ? null : keystorePassword);
        Store keystore = new Store(keystoreType, location.map(Path::of), keystorePassword, keyPassword, pemKey, pemChain);

        Optional<String> trustLocation = keys.get("ssl.truststore.location");
        Optional<String> trustPem = keys.get("ssl.truststore.certificates");
        Optional<Store> truststore = Optional.empty();
        if (trustLocation.isPresent() || trustPem.isPresent()) {
            String trustType = storeType("ssl.truststore.type",
                    keys.get("ssl.truststore.type").orElse(trustPem.isPresent() ? "PEM" : "JKS"));
            truststore = Optional.of(new Store(trustType, trustLocation.map(Path::of),
                    keys.get("ssl.truststore.password").orElse(null), null, Optional.empty(), trustPem));
        }
        String auth = (securityProtocol.equals("SASL_SSL") ? ownKeys : keys).get("ssl.client.auth").orElse("none");
        ClientAuth clientAuth;
        try {
            clientAuth = ClientAuth.valueOf(auth.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid("ssl.client.auth", auth, "String must be one of: required, requested, none");
        }
        String rules = keys.get("ssl.principal.mapping.rules").orElse("DEFAULT");
        SslPrincipalMapping principalMapping;
        try {
            principalMapping = SslPrincipalMapping.parse(rules);
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid("ssl.principal.mapping.rules", rules, e.getMessage());
        }
        return new TlsConfig(keystore, truststore, clientAuth, keys.get("ssl.protocol").orElse("TLSv1.3"),
                list(keys.get("ssl.enabled.protocols").orElse("TLSv1.2,TLSv1.3")),
                list(keys.get("ssl.cipher.suites").orElse("")), principalMapping);
    }

    private interface Lookup {
        Optional<String> get(String key);
    }

    private static String storeType(String key, String value) {
        String type = value.toUpperCase(Locale.ROOT);
        if (!type.equals("JKS") && !type.equals("PKCS12") && !type.equals("PEM")) {
            throw ConfigException.invalid(key, value, "this broker reads JKS, PKCS12 and PEM stores");
        }
        return type;
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
