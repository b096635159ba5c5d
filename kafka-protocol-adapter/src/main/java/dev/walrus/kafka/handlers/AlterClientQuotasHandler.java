package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.metadata.TopicRegistry;
import dev.walrus.kafka.quota.QuotaEntity;
import dev.walrus.kafka.quota.QuotaKeys;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterClientQuotasRequestData.EntityData;
import org.apache.kafka.common.message.AlterClientQuotasRequestData.EntryData;
import org.apache.kafka.common.message.AlterClientQuotasRequestData.OpData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * AlterClientQuotas (API key 49), versions 0-1: sets and removes client quotas of users, client ids and IPs
 * ({@code kafka-configs --alter --add-config producer_byte_rate=... --entity-type users|clients|ips},
 * {@code Admin.alterClientQuotas}); kept in the metadata log, in force at once. Each entity is checked on its own with
 * Kafka's rules and messages (INVALID_REQUEST): the entity types and their combination, each key for the entity's
 * kind, values above 0 and whole where Kafka's type is. One answer per entity; validateOnly changes nothing.
 *
 * <p>Behaviour: the byte rates are enforced ({@link dev.walrus.kafka.quota.ByteRateThrottle}), request_percentage
 * on every request ({@link dev.walrus.kafka.quota.RequestTimeThrottle}), and controller_mutation_rate on CreateTopics,
 * CreatePartitions and DeleteTopics ({@link dev.walrus.kafka.quota.MutationRateQuota}); connection_creation_rate is
 * kept and listed but not enforced.
 *
 * <p>Authorization (with an authorizer): ALTER_CONFIGS on the cluster (else CLUSTER_AUTHORIZATION_FAILED for every
 * entity).
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: first version (KIP-546). v1: flexible versions.
 * </ul>
 */
public final class AlterClientQuotasHandler implements ApiHandler<AlterClientQuotasRequestData> {

    private final TopicRegistry registry;

    public AlterClientQuotasHandler(TopicRegistry registry) {
        this.registry = registry;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_CLIENT_QUOTAS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, AlterClientQuotasRequestData request,
                                                RequestContext context) {
        if (!context.authorizedOnCluster(AclOperation.ALTER_CONFIGS)) {
            throw Errors.CLUSTER_AUTHORIZATION_FAILED.exception();
        }
        Map<QuotaEntity, String> problems = new LinkedHashMap<>();
        Map<QuotaEntity, Map<String, Double>> changes = new LinkedHashMap<>();
        for (EntryData entry : request.entries()) {
            QuotaEntity entity = entity(entry);
            Map<String, Double> ops = new HashMap<>();
            boolean duplicateKey = false;
            for (OpData op : entry.ops()) {
                duplicateKey |= ops.containsKey(op.key());
                ops.put(op.key(), op.remove() ? null : op.value());
            }
            if (duplicateKey || problems.containsKey(entity) || changes.containsKey(entity)) {
                // Kafka's controller answers a repeated key or entity with this message
                changes.remove(entity);
                problems.put(entity, "Ignoring duplicate entity " + describe(entity));
                continue;
            }
            String problem = problem(entity, ops);
            if (problem != null) {
                problems.put(entity, problem);
            } else {
                changes.put(entity, ops);
            }
        }
        AlterClientQuotasResponseData response = new AlterClientQuotasResponseData().setThrottleTimeMs(0);
        for (EntryData entry : request.entries()) {
            QuotaEntity entity = entity(entry);
            if (response.entries().stream().anyMatch(e -> entity(e).equals(entity))) {
                continue;
            }
            String problem = problems.get(entity);
            AlterClientQuotasResponseData.EntryData result = new AlterClientQuotasResponseData.EntryData()
                    .setErrorCode(problem == null ? Errors.NONE.code() : Errors.INVALID_REQUEST.code())
                    .setErrorMessage(problem);
            for (EntityData name : entry.entity()) {
                result.entity().add(new AlterClientQuotasResponseData.EntityData()
                        .setEntityType(name.entityType()).setEntityName(name.entityName()));
            }
            response.entries().add(result);
        }
        if (request.validateOnly() || changes.isEmpty()) {
            return CompletableFuture.completedFuture(response);
        }
        changes.forEach(registry::changeClientQuotas);
        return registry.durable().thenApply(done -> response);
    }

    private static String problem(QuotaEntity entity, Map<String, Double> ops) {
        String problem = QuotaKeys.problemWithEntity(entity);
        if (problem == null && entity.has(QuotaEntity.IP) && !resolvable(entity.name(QuotaEntity.IP))) {
            problem = entity.name(QuotaEntity.IP) + " is not a valid IP or resolvable host.";
        }
        for (Map.Entry<String, Double> op : ops.entrySet()) {
            if (problem == null && op.getValue() != null) {
                problem = QuotaKeys.problemWithValue(entity, op.getKey(), op.getValue());
            }
        }
        return problem;
    }

    private static boolean resolvable(String ip) {
        if (ip == null) {
            return true;   // the default IP entity
        }
        try {
            InetAddress.getByName(ip);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static QuotaEntity entity(EntryData entry) {
        Map<String, String> names = new HashMap<>();
        for (EntityData name : entry.entity()) {
            names.put(name.entityType(), name.entityName());
        }
        return new QuotaEntity(names);
    }

    private static QuotaEntity entity(AlterClientQuotasResponseData.EntryData entry) {
        Map<String, String> names = new HashMap<>();
        for (AlterClientQuotasResponseData.EntityData name : entry.entity()) {
            names.put(name.entityType(), name.entityName());
        }
        return new QuotaEntity(names);
    }

    /** As Kafka's {@code ClientQuotaEntity} prints itself in messages. */
    private static String describe(QuotaEntity entity) {
        return "ClientQuotaEntity(entries=" + entity.names() + ")";
    }
}
