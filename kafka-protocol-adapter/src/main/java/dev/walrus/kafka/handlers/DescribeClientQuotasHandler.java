package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.quota.ClientQuotas;
import dev.walrus.kafka.quota.QuotaEntity;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData.ComponentData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeClientQuotas (API key 48), versions 0-1: the quotas set for users, client ids and IPs that the filter
 * selects ({@code kafka-configs --describe --entity-type users|clients|ips}, {@code Admin.describeClientQuotas}), with
 * Kafka's filter rules (exact names, the default entity, any named entity, strict) and its errors for a bad filter
 * (INVALID_REQUEST; an entity type Kafka does not know: UNSUPPORTED_VERSION "Unsupported entity type ...").
 *
 * <p>Authorization (with an authorizer): DESCRIBE_CONFIGS on the cluster (else CLUSTER_AUTHORIZATION_FAILED).
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: first version (KIP-546). v1: flexible versions.
 * </ul>
 */
public final class DescribeClientQuotasHandler implements ApiHandler<DescribeClientQuotasRequestData> {

    private static final Set<String> ENTITY_TYPES = Set.of(QuotaEntity.USER, QuotaEntity.CLIENT_ID, QuotaEntity.IP);
    private static final byte MATCH_EXACT = 0;
    private static final byte MATCH_DEFAULT = 1;
    private static final byte MATCH_SPECIFIED = 2;

    private final ClientQuotas quotas;

    public DescribeClientQuotasHandler(ClientQuotas quotas) {
        this.quotas = quotas;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CLIENT_QUOTAS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, DescribeClientQuotasRequestData request,
                                                RequestContext context) {
        if (!context.authorizedOnCluster(AclOperation.DESCRIBE_CONFIGS)) {
            // Kafka answers with the request's error response, without a message
            throw Errors.CLUSTER_AUTHORIZATION_FAILED.exception();
        }
        DescribeClientQuotasResponseData response = new DescribeClientQuotasResponseData().setThrottleTimeMs(0);
        Map<String, String> exact = new HashMap<>();
        Set<String> specified = new HashSet<>();
        try {
            readFilter(request, exact, specified);
        } catch (ApiException e) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.forException(e).code())
                    .setErrorMessage(e.getMessage()).setEntries(null));
        }
        response.setErrorCode(Errors.NONE.code());
        quotas.matching(exact, specified, request.strict()).forEach((entity, values) -> {
            DescribeClientQuotasResponseData.EntryData entry = new DescribeClientQuotasResponseData.EntryData();
            entity.names().forEach((type, name) -> entry.entity().add(new DescribeClientQuotasResponseData.EntityData()
                    .setEntityType(type).setEntityName(name)));
            values.forEach((key, value) -> entry.values().add(new DescribeClientQuotasResponseData.ValueData()
                    .setKey(key).setValue(value)));
            response.entries().add(entry);
        });
        return CompletableFuture.completedFuture(response);
    }

    /** Kafka's checks of the filter components, each with Kafka's message. */
    private static void readFilter(DescribeClientQuotasRequestData request, Map<String, String> exact, Set<String> specified) {
        for (ComponentData component : request.components()) {
            String type = component.entityType();
            if (type.isEmpty()) {
                throw new InvalidRequestException("Invalid empty entity type.");
            }
            if (exact.containsKey(type) || specified.contains(type)) {
                throw new InvalidRequestException("Entity type " + type + " cannot appear more than once in the filter.");
            }
            if (!ENTITY_TYPES.contains(type)) {
                throw new UnsupportedVersionException("Unsupported entity type " + type);
            }
            switch (component.matchType()) {
                case MATCH_EXACT -> {
                    if (component.match() == null) {
                        throw new InvalidRequestException("Request specified MATCH_TYPE_EXACT, but set match string to null.");
                    }
                    exact.put(type, component.match());
                }
                case MATCH_DEFAULT -> {
                    if (component.match() != null) {
                        throw new InvalidRequestException("Request specified MATCH_TYPE_DEFAULT, but also specified a match string.");
                    }
                    exact.put(type, null);
                }
                case MATCH_SPECIFIED -> {
                    if (component.match() != null) {
                        throw new InvalidRequestException("Request specified MATCH_TYPE_SPECIFIED, but also specified a match string.");
                    }
                    specified.add(type);
                }
                default -> throw new InvalidRequestException("Unknown match type " + component.matchType());
            }
        }
        boolean ip = exact.containsKey(QuotaEntity.IP) || specified.contains(QuotaEntity.IP);
        boolean userOrClient = exact.containsKey(QuotaEntity.USER) || specified.contains(QuotaEntity.USER)
                || exact.containsKey(QuotaEntity.CLIENT_ID) || specified.contains(QuotaEntity.CLIENT_ID);
        if (ip && userOrClient) {
            throw new InvalidRequestException("Invalid entity filter component combination. IP filter component should "
                    + "not be used with user or clientId filter component.");
        }
    }
}
