package dev.walrus.compat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keystores and truststores for TLS tests, made with the JDK's {@code keytool} as Kafka's documentation makes them:
 * a self-signed broker certificate valid for 127.0.0.1 and localhost (so clients keep their default host name
 * check), a client certificate for mutual TLS, and a truststore on each side trusting the other.
 *
 * @param brokerKeystore the broker's key and certificate (PKCS12)
 * @param brokerTruststore the client certificate, for a broker with {@code ssl.client.auth=required}, and the
 *        broker's own (Kafka checks at start that a client with the broker's settings could connect to it)
 * @param clientKeystore the client's key and certificate
 * @param clientTruststore the broker certificate
 * @param password the password of every store and key
 */
public record TlsFiles(Path brokerKeystore, Path brokerTruststore, Path clientKeystore, Path clientTruststore,
                       String password) {

    private static final String PASSWORD = "walrus-test-secret";

    /** Makes a fresh set in {@code dir}. */
    public static TlsFiles create(Path dir) {
        TlsFiles files = new TlsFiles(dir.resolve("broker.keystore.p12"), dir.resolve("broker.truststore.p12"),
                dir.resolve("client.keystore.p12"), dir.resolve("client.truststore.p12"), PASSWORD);
        keyPair(files.brokerKeystore, "broker", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost");
        keyPair(files.clientKeystore, "client", "CN=walrus-client", null);
        trust(files.brokerKeystore, "broker", files.clientTruststore, dir.resolve("broker.crt"));
        trust(files.brokerKeystore, "broker", files.brokerTruststore, dir.resolve("broker-own.crt"));
        trust(files.clientKeystore, "client", files.brokerTruststore, dir.resolve("client.crt"));
        return files;
    }

    /** The client settings of a TLS connection to a broker with {@link #brokerKeystore}. */
    public Map<String, String> clientSettings(boolean withClientCertificate) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "ssl.truststore.location", clientTruststore.toString(),
                "ssl.truststore.type", "PKCS12",
                "ssl.truststore.password", password));
        if (withClientCertificate) {
            settings.putAll(Map.of(
                    "ssl.keystore.location", clientKeystore.toString(),
                    "ssl.keystore.type", "PKCS12",
                    "ssl.keystore.password", password,
                    "ssl.key.password", password));
        }
        return settings;
    }

    /** The broker settings of a TLS listener; with {@code requireClientCertificate}, mutual TLS. */
    public Map<String, String> brokerSettings(boolean requireClientCertificate) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "ssl.keystore.location", brokerKeystore.toString(),
                "ssl.keystore.type", "PKCS12",
                "ssl.keystore.password", password,
                "ssl.key.password", password,
                "ssl.truststore.location", brokerTruststore.toString(),
                "ssl.truststore.type", "PKCS12",
                "ssl.truststore.password", password));
        if (requireClientCertificate) {
            settings.put("ssl.client.auth", "required");
        }
        return settings;
    }

    /**
     * The broker's settings with PEM files instead of PKCS12 stores (KIP-651): its key (unencrypted PKCS#8) and
     * certificate in one file, and the certificates it trusts in another, written from the stores above.
     */
    public Map<String, String> brokerPemSettings(Path dir) {
        try {
            KeyStore broker = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(brokerKeystore)) {
                broker.load(in, PASSWORD.toCharArray());
            }
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(brokerTruststore)) {
                trusted.load(in, PASSWORD.toCharArray());
            }
            Path keystore = dir.resolve("broker.keystore.pem");
            Files.writeString(keystore, pem("PRIVATE KEY", broker.getKey("broker", PASSWORD.toCharArray()).getEncoded())
                    + pem("CERTIFICATE", broker.getCertificate("broker").getEncoded()));
            Path truststore = dir.resolve("broker.truststore.pem");
            StringBuilder certificates = new StringBuilder();
            for (String alias : java.util.Collections.list(trusted.aliases())) {
                certificates.append(pem("CERTIFICATE", trusted.getCertificate(alias).getEncoded()));
            }
            Files.writeString(truststore, certificates);
            return Map.of("ssl.keystore.type", "PEM", "ssl.keystore.location", keystore.toString(),
                    "ssl.truststore.type", "PEM", "ssl.truststore.location", truststore.toString());
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the PEM stores", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void keyPair(Path keystore, String alias, String dname, String san) {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", alias, "-keyalg", "RSA",
                "-keysize", "2048", "-validity", "30", "-dname", dname, "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD));
        if (san != null) {
            args.addAll(List.of("-ext", san));
        }
        keytool(args);
    }

    private static void trust(Path keystore, String alias, Path truststore, Path certificate) {
        keytool(List.of("-exportcert", "-alias", alias, "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-rfc", "-file", certificate.toString()));
        keytool(List.of("-importcert", "-noprompt", "-alias", alias, "-file", certificate.toString(),
                "-keystore", truststore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD));
    }

    private static void keytool(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(args);
        CommandResult result = Commands.run(command, null, Duration.ofSeconds(60));
        if (result.exitCode() != 0) {
            throw new IllegalStateException("keytool failed: " + result);
        }
    }
}
