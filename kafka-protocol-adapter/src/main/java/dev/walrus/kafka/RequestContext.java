package dev.walrus.kafka;

import dev.walrus.kafka.authz.Authorizer;
import dev.walrus.kafka.security.ConnectionAuth;
import dev.walrus.kafka.security.PeerIdentity;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;

import java.net.InetSocketAddress;

/**
 * What the network layer knows about the connection a request arrived on, and the authorizer its requests are
 * checked against.
 *
 * @param connectionId unique per connection for the broker's lifetime (fetch sessions and logs use it)
 * @param clientAddress the peer's address
 * @param listenerName the listener the connection came in on, e.g. {@code PLAINTEXT}
 * @param auth the connection's SASL state on a SASL listener (SASL_PLAINTEXT, SASL_SSL), null on others
 * @param peer who the peer is before SASL (anonymous, or an SSL client certificate's subject)
 * @param authorizer the broker's authorizer ({@link Authorizer#NONE} allows everything); the adapter sets it
 */
public record RequestContext(long connectionId, InetSocketAddress clientAddress, String listenerName,
                             ConnectionAuth auth, PeerIdentity peer, Authorizer authorizer) {

    /** A connection on a listener without SASL. */
    public RequestContext(long connectionId, InetSocketAddress clientAddress, String listenerName) {
        this(connectionId, clientAddress, listenerName, null);
    }

    /** A connection as the network layer creates it: the adapter adds its authorizer. */
    public RequestContext(long connectionId, InetSocketAddress clientAddress, String listenerName, ConnectionAuth auth) {
        this(connectionId, clientAddress, listenerName, auth, new PeerIdentity(), Authorizer.NONE);
    }

    /** This context checked against {@code checking}. */
    public RequestContext withAuthorizer(Authorizer checking) {
        return checking == authorizer ? this : new RequestContext(connectionId, clientAddress, listenerName, auth, peer,
                checking);
    }

    /**
     * The principal requests are made as: the SASL user on a SASL listener, else the peer's
     * ({@code User:ANONYMOUS} or an SSL client certificate's subject).
     */
    public String principal() {
        if (auth != null && auth.principal() != null) {
            return auth.principal();
        }
        return peer.principal();
    }

    /**
     * Whether this connection may create, renew, expire or describe delegation tokens, as Kafka allows it: not over
     * PLAINTEXT, nor over SSL without a client certificate, nor when the connection authenticated with a token itself.
     */
    public boolean mayManageDelegationTokens() {
        if (auth != null && auth.isAuthenticated()) {
            return !auth.tokenAuthenticated();
        }
        return !peer.principal().equals(Authorizer.ANONYMOUS);
    }

    /** The principal's name without its type ({@code alice} for {@code User:alice}): the "user" of client quotas. */
    public String principalName() {
        String principal = principal();
        return principal.substring(principal.indexOf(':') + 1);
    }

    /**
     * Whether this connection's principal may perform {@code operation} on the named resource. A denial is logged at
     * INFO (an allowed check at DEBUG) on the logger {@code kafka.authorizer.logger}, in the words of Kafka's audit
     * log, which is where one looks when an ACL does not do what was meant.
     */
    public boolean authorized(AclOperation operation, ResourceType type, String name) {
        if (!authorizer.enabled()) {
            return true;
        }
        Authorizer.Decision decision = authorizer.decide(principal(), hostAddress(), operation, type, name);
        if (!decision.allowed() ? AUDIT.isInfoEnabled() : AUDIT.isDebugEnabled()) {
            String line = "Principal = " + principal() + " is " + (decision.allowed() ? "Allowed" : "Denied")
                    + " operation = " + operation + " from host = " + hostAddress() + " on resource = "
                    + resourceName(type) + ":LITERAL:" + name + " based on rule " + decision.rule();
            if (decision.allowed()) {
                AUDIT.debug(line);
            } else {
                AUDIT.info(line);
            }
        }
        return decision.allowed();
    }

    /** Kafka's audit logger, by its name, so that a Kafka user's logging settings for it apply here too. */
    private static final org.slf4j.Logger AUDIT = org.slf4j.LoggerFactory.getLogger("kafka.authorizer.logger");

    /** A resource type as Kafka's audit log writes it: Topic, Group, Cluster, TransactionalId, ... */
    private static String resourceName(ResourceType type) {
        StringBuilder name = new StringBuilder();
        for (String word : type.name().toLowerCase(java.util.Locale.ROOT).split("_")) {
            name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return name.toString();
    }

    /** Whether this connection's principal may perform {@code operation} on the cluster. */
    public boolean authorizedOnCluster(AclOperation operation) {
        return authorized(operation, ResourceType.CLUSTER, Authorizer.CLUSTER_NAME);
    }

    /**
     * Passes when this connection's principal may perform {@code operation} on the cluster; otherwise throws what
     * Kafka's broker throws, which the dispatcher answers with the request's error response (every entry of it
     * CLUSTER_AUTHORIZATION_FAILED).
     */
    public void requireOnCluster(AclOperation operation, RequestHeader header) {
        if (!authorizedOnCluster(operation)) {
            throw new ClusterAuthorizationException("Request " + header.apiKey() + " (correlation id "
                    + header.correlationId() + ", client id " + header.clientId() + ") needs " + operation
                    + " permission.");
        }
    }

    /** Whether this connection's principal may perform {@code operation} on some resource of {@code type}. */
    public boolean authorizedOnSome(AclOperation operation, ResourceType type) {
        return !authorizer.enabled()
                || authorizer.authorizeByResourceType(principal(), hostAddress(), operation, type);
    }

    /** The client's IP address as text, as ACL hosts name it. */
    public String hostAddress() {
        return clientAddress.getAddress() == null ? clientAddress.getHostString()
                : clientAddress.getAddress().getHostAddress();
    }
}
