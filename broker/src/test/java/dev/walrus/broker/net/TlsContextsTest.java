package dev.walrus.broker.net;

import dev.walrus.broker.config.BrokerConfig;
import dev.walrus.broker.config.ConfigException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The listener's TLS context from each store form Kafka takes: a PKCS12 file, a PEM file, PEM text in the config with
 * an encrypted PKCS#8 key; and the one-line refusals of a wrong password and an encrypted key without one. The stores
 * are made by the JDK's keytool; the PEM forms are written from them.
 */
class TlsContextsTest {

    private static final String PASSWORD = "test-secret";

    @TempDir
    static Path dir;
    private static Path pkcs12;
    private static String keyPem;
    private static String encryptedKeyPem;
    private static String certificatePem;

    @BeforeAll
    static void makeStores() throws Exception {
        pkcs12 = dir.resolve("broker.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-keystore", pkcs12.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(pkcs12)) {
            store.load(in, PASSWORD.toCharArray());
        }
        byte[] key = store.getKey("broker", PASSWORD.toCharArray()).getEncoded();
        keyPem = pem("PRIVATE KEY", key);
        encryptedKeyPem = pem("ENCRYPTED PRIVATE KEY", encrypt(key, PASSWORD));
        certificatePem = pem("CERTIFICATE", store.getCertificate("broker").getEncoded());
    }

    @Test
    void shouldBuildFromAPkcs12File() {
        assertThat(TlsContexts.server(tls(Map.of("ssl.keystore.location", pkcs12.toString(), "ssl.keystore.type", "PKCS12",
                "ssl.keystore.password", PASSWORD)))).isNotNull();
    }

    @Test
    void shouldBuildFromAPemFileAndFromEncryptedPemTextInTheConfig() throws Exception {
        Path pemFile = dir.resolve("broker.pem");
        Files.writeString(pemFile, keyPem + certificatePem);
        assertThat(TlsContexts.server(tls(Map.of("ssl.keystore.type", "PEM", "ssl.keystore.location", pemFile.toString(),
                "ssl.truststore.type", "PEM", "ssl.truststore.location", pemFile.toString())))).isNotNull();
        assertThat(TlsContexts.server(tls(Map.of("ssl.keystore.key", encryptedKeyPem,
                "ssl.keystore.certificate.chain", certificatePem, "ssl.key.password", PASSWORD,
                "ssl.truststore.certificates", certificatePem)))).isNotNull();
    }

    @Test
    void shouldRefuseAWrongPasswordAndAnEncryptedKeyWithoutOne() {
        assertThatThrownBy(() -> TlsContexts.server(tls(Map.of("ssl.keystore.location", pkcs12.toString(),
                "ssl.keystore.type", "PKCS12", "ssl.keystore.password", "wrong"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Failed to load SSL keystore " + pkcs12 + " of type PKCS12: ");
        assertThatThrownBy(() -> TlsContexts.server(tls(Map.of("ssl.keystore.key", encryptedKeyPem,
                "ssl.keystore.certificate.chain", certificatePem))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("the private key is encrypted: set ssl.key.password");
    }

    private static dev.walrus.broker.config.TlsConfig tls(Map<String, String> keys) {
        Map<String, String> all = new HashMap<>(keys);
        all.put("listeners", "SSL://127.0.0.1:0");
        return BrokerConfig.from(all).listeners().getFirst().tls().orElseThrow();
    }

    /** PKCS#8 encryption with a PKCS#12 PBE scheme the JDK both writes and reads. */
    private static byte[] encrypt(byte[] pkcs8, String password) throws Exception {
        String algorithm = "PBEWithSHA1AndDESede";
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        Cipher cipher = Cipher.getInstance(algorithm);
        cipher.init(Cipher.ENCRYPT_MODE, SecretKeyFactory.getInstance(algorithm)
                .generateSecret(new PBEKeySpec(password.toCharArray())), new PBEParameterSpec(salt, 10_000));
        AlgorithmParameters parameters = cipher.getParameters();
        return new EncryptedPrivateKeyInfo(parameters, cipher.doFinal(pkcs8)).getEncoded();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

}
