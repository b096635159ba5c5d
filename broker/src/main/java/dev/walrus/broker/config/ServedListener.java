package dev.walrus.broker.config;

import java.util.Optional;

/**
 * One listener the broker serves: where it binds, its security protocol, its TLS settings (SSL, SASL_SSL) and what
 * Metadata tells the clients that come in on it.
 *
 * @param address the {@code listeners} entry
 * @param securityProtocol PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, from {@code listener.security.protocol.map}
 * @param tls the TLS settings for SSL and SASL_SSL
 * @param advertised the {@code advertised.listeners} entry of the same name, if given
 */
public record ServedListener(ListenerAddress address, String securityProtocol, Optional<TlsConfig> tls,
                             Optional<ListenerAddress> advertised) {

    public String name() {
        return address.name();
    }
}
