package dev.walrus.broker.net;

import io.netty.handler.ssl.SslContext;

/**
 * What a listener's security protocol asks of each of its connections.
 *
 * @param protocol Kafka's name of it: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL
 * @param tls the TLS context for SSL and SASL_SSL, null otherwise
 */
public record ListenerSecurity(String protocol, SslContext tls) {

    public static final ListenerSecurity PLAINTEXT = new ListenerSecurity("PLAINTEXT", null);
}
