package dev.walrus.broker.net;

import dev.walrus.broker.config.ConfigException;
import dev.walrus.broker.config.TlsConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/** Builds the server side of TLS for a listener from its {@link TlsConfig}, with the JDK's TLS implementation. */
public final class TlsContexts {

    private TlsContexts() {}

    /**
     * The listener's TLS context; a keystore or truststore that does not load (missing file, wrong password, wrong
     * type, a PEM key that does not parse) is a {@link ConfigException} naming it, as Kafka refuses to start on one.
     */
    public static SslContext server(TlsConfig tls) {
        TlsConfig.Store keystoreConfig = tls.keystore();
        KeyStore keystore = load("keystore", keystoreConfig);
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keystore, keystoreConfig.type().equals("PEM") ? PemStores.ENTRY_PASSWORD : chars(keystoreConfig.keyPassword()));
            SslContextBuilder builder = SslContextBuilder.forServer(keys)
                    .sslProvider(SslProvider.JDK)
                    .protocols(tls.enabledProtocols())
                    .clientAuth(switch (tls.clientAuth()) {
                        case NONE -> ClientAuth.NONE;
                        case REQUESTED -> ClientAuth.OPTIONAL;
                        case REQUIRED -> ClientAuth.REQUIRE;
                    });
            if (tls.truststore().isPresent()) {
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(load("truststore", tls.truststore().get()));
                builder.trustManager(trust);
            }
            if (!tls.cipherSuites().isEmpty()) {
                builder.ciphers(tls.cipherSuites());
            }
            return builder.build();
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("Failed to use the SSL keystore " + keystoreConfig.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    private static KeyStore load(String what, TlsConfig.Store store) {
        try {
            if (store.type().equals("PEM")) {
                String pemCertificates = store.pemCertificates().isPresent() ? store.pemCertificates().get()
                        : Files.readString(store.location().orElseThrow());
                if (what.equals("truststore")) {
                    return PemStores.truststore(pemCertificates);
                }
                String pemKey = store.pemKey().isPresent() ? store.pemKey().get() : pemCertificates;
                return PemStores.keystore(pemKey, pemCertificates, store.keyPassword());
            }
            try (InputStream in = Files.newInputStream(store.location().orElseThrow())) {
                KeyStore loaded = KeyStore.getInstance(store.type());
                loaded.load(in, chars(store.password()));
                return loaded;
            }
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            throw new ConfigException("Failed to load SSL " + what + " " + store.describe() + ": "
                    + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()), e);
        }
    }

    private static char[] chars(String password) {
        return password == null ? null : password.toCharArray();
    }
}
