package dev.walrus.compat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;

/** What tests that set client quotas share. */
public final class ClientQuotaChanges {

    private ClientQuotaChanges() {}

    /**
     * Waits until DescribeClientQuotas lists {@code entity}: Kafka's broker lists, and enforces, a new quota a moment
     * after it answered the change.
     */
    public static void awaitListed(Admin admin, ClientQuotaEntity entity) throws Exception {
        List<ClientQuotaFilterComponent> components = entity.entries().entrySet().stream()
                .map(e -> e.getValue() == null ? ClientQuotaFilterComponent.ofDefaultEntity(e.getKey())
                        : ClientQuotaFilterComponent.ofEntity(e.getKey(), e.getValue()))
                .toList();
        ClientQuotaFilter filter = ClientQuotaFilter.containsOnly(components);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (admin.describeClientQuotas(filter).entities().get(30, TimeUnit.SECONDS).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the quota of " + entity + " was never listed");
            }
            Thread.sleep(100);
        }
    }

    /**
     * Sets {@code key} of {@code entity}'s quotas to {@code value} (null removes it) and, when set, waits until it is
     * listed, so that the broker enforces it.
     */
    public static void set(String bootstrap, ClientQuotaEntity entity, String key, Double value) throws Exception {
        try (Admin admin = Clients.admin(bootstrap)) {
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(entity,
                    List.of(new ClientQuotaAlteration.Op(key, value))))).all().get(30, TimeUnit.SECONDS);
            if (value != null) {
                awaitListed(admin, entity);
            }
        }
    }

    /** As {@link #awaitListed(Admin, ClientQuotaEntity)} for the quotas of one client id. */
    public static void awaitListed(Admin admin, String clientId) throws Exception {
        awaitListed(admin, new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, clientId)));
    }
}
