package dev.walrus.broker.net;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM stores as Kafka reads them (KIP-651): X.509 certificates, and a PKCS#8 private key, unencrypted
 * ({@code BEGIN PRIVATE KEY}) or encrypted with {@code ssl.key.password} ({@code BEGIN ENCRYPTED PRIVATE KEY}),
 * turned into in-memory key stores for the JDK's TLS.
 */
final class PemStores {

    /** The password of the in-memory key entry (it never leaves the process). */
    static final char[] ENTRY_PASSWORD = new char[0];

    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN (ENCRYPTED )?PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END (ENCRYPTED )?PRIVATE KEY-----");

    private static final Pattern CERTIFICATE = Pattern.compile(
            "-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\\s]+-----END CERTIFICATE-----");

    private PemStores() {}

    static KeyStore keystore(String pemKey, String pemChain, String keyPassword) throws GeneralSecurityException, IOException {
        Certificate[] chain = certificates(pemChain);
        if (chain.length == 0) {
            throw new IllegalArgumentException("no certificate in the PEM certificate chain");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("kafka", privateKey(pemKey, keyPassword), ENTRY_PASSWORD, chain);
        return store;
    }

    static KeyStore truststore(String pemCertificates) throws GeneralSecurityException, IOException {
        Certificate[] certificates = certificates(pemCertificates);
        if (certificates.length == 0) {
            throw new IllegalArgumentException("no certificate in the PEM truststore");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < certificates.length; i++) {
            store.setCertificateEntry("kafka" + i, certificates[i]);
        }
        return store;
    }

    /** The certificates of a PEM text, in order; other blocks (a private key in the same file) are skipped. */
    private static Certificate[] certificates(String pem) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        Matcher m = CERTIFICATE.matcher(pem);
        List<Certificate> certificates = new ArrayList<>();
        while (m.find()) {
            certificates.add(factory.generateCertificate(new ByteArrayInputStream(
                    m.group().getBytes(StandardCharsets.US_ASCII))));
        }
        return certificates.toArray(new Certificate[0]);
    }

    private static PrivateKey privateKey(String pem, String password) throws GeneralSecurityException, IOException {
        Matcher m = PRIVATE_KEY.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException("no PKCS#8 private key (BEGIN PRIVATE KEY or BEGIN ENCRYPTED PRIVATE KEY)");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        PKCS8EncodedKeySpec spec;
        if (m.group(1) != null) {
            if (password == null) {
                throw new IllegalArgumentException("the private key is encrypted: set ssl.key.password");
            }
            EncryptedPrivateKeyInfo encrypted = new EncryptedPrivateKeyInfo(der);
            // a PBES2 key (openssl's default) names its scheme in its parameters, e.g. PBEWithHmacSHA256AndAES_256
            String algorithm = encrypted.getAlgName().equals("PBES2") || encrypted.getAlgName().startsWith("1.2.840.113549.1.5.13")
                    ? encrypted.getAlgParameters().toString() : encrypted.getAlgName();
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, SecretKeyFactory.getInstance(algorithm)
                    .generateSecret(new PBEKeySpec(password.toCharArray())), encrypted.getAlgParameters());
            spec = encrypted.getKeySpec(cipher);
        } else {
            spec = new PKCS8EncodedKeySpec(der);
        }
        GeneralSecurityException last = null;
        for (String algorithm : new String[] {"RSA", "EC", "DSA", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }
}
