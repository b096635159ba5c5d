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
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/** Builds the server side of TLS for a listener from its {@link TlsConfig}, with the JDK's TLS implementation. */
public final class TlsContexts {

    private TlsContexts() {}

    /**
     * The listener's TLS context; a keystore or truststore that does not load (missing file, wrong password, wrong
     * type) is a {@link ConfigException} naming it, as Kafka refuses to start on one.
     */
    public static SslContext server(TlsConfig tls) {
        KeyStore keystore = load("keystore", tls.keystoreType(), tls.keystoreLocation(), tls.keystorePassword());
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keystore, chars(tls.keyPassword()));
            SslContextBuilder builder = SslContextBuilder.forServer(keys)
                    .sslProvider(SslProvider.JDK)
                    .protocols(tls.enabledProtocols())
                    .clientAuth(switch (tls.clientAuth()) {
                        case NONE -> ClientAuth.NONE;
                        case REQUESTED -> ClientAuth.OPTIONAL;
                        case REQUIRED -> ClientAuth.REQUIRE;
                    });
            if (tls.truststore().isPresent()) {
                TlsConfig.Store store = tls.truststore().get();
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(load("truststore", store.type(), store.location(), store.password()));
                builder.trustManager(trust);
            }
            if (!tls.cipherSuites().isEmpty()) {
                builder.ciphers(tls.cipherSuites());
            }
            return builder.build();
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("Failed to use the SSL keystore " + tls.keystoreLocation() + " of type "
                    + tls.keystoreType() + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore load(String what, String type, Path location, String password) {
        try (InputStream in = Files.newInputStream(location)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, chars(password));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("Failed to load SSL " + what + " " + location + " of type " + type + ": "
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()), e);
        }
    }

    private static char[] chars(String password) {
        return password == null ? null : password.toCharArray();
    }
}
