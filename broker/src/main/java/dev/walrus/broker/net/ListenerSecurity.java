package dev.walrus.broker.net;

import dev.walrus.kafka.security.SslPrincipalMapping;
import io.netty.handler.ssl.SslContext;

/**
 * What a listener's security protocol asks of each of its connections.
 *
 * @param protocol Kafka's name of it: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL
 * @param tls the TLS context for SSL and SASL_SSL, null otherwise
 * @param principalMapping how an SSL client's certificate subject becomes its user name
 *        ({@code ssl.principal.mapping.rules})
 */
public record ListenerSecurity(String protocol, SslContext tls, SslPrincipalMapping principalMapping) {

    public static final ListenerSecurity PLAINTEXT = new ListenerSecurity("PLAINTEXT", null, SslPrincipalMapping.DEFAULT);

    public ListenerSecurity(String protocol, SslContext tls) {
        this(protocol, tls, SslPrincipalMapping.DEFAULT);
    }
}
