package dev.walrus.compat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.Clients;
import dev.walrus.compat.TargetBroker;
import dev.walrus.compat.TestTopics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DeleteTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code controller_mutation_rate} (KIP-599): each partition a client creates or deletes takes a token from a bucket
 * that refills at the quota's rate and holds 11 seconds of it (Kafka's {@code controller.quota.window.num} x
 * {@code controller.quota.window.size.seconds}). A topic is accepted while the bucket is not below zero, even if it
 * empties it; the next one is refused with THROTTLING_QUOTA_EXCEEDED and the time until the bucket refills. So of two
 * topics of 30 partitions in one CreateTopics, CreatePartitions or DeleteTopics, with a rate of 2 (a bucket of 22),
 * one is refused (which one is Kafka's order: it takes the topics of CreatePartitions and DeleteTopics from a hash
 * set). The Admin client throws ThrottlingQuotaExceededException with {@code retryOnQuotaViolation(false)} and
 * otherwise retries after the throttle time, transparently. (It also waits out the throttle time of an answer before
 * its next request, so a throttled client's next request finds the bucket refilled.)
 */
@ExtendWith(BrokerExtension.class)
class ControllerMutationQuotaTest {

    /** 2 partitions a second: a full bucket holds 22 tokens. */
    private static final double RATE = 2.0;
    /** More than a full bucket holds: the first such topic empties it, the second is refused. */
    private static final int LARGE = 30;

    @Test
    void shouldRefuseTheSecondOfTwoLargeTopicsToCreate(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String clientId = TestTopics.unique("mutation-create");
        try (Admin unthrottled = Clients.admin(bootstrap);
             Admin throttled = Clients.admin(bootstrap, Map.of(AdminClientConfig.CLIENT_ID_CONFIG, clientId))) {
            setQuota(unthrottled, clientId, RATE);
            Map<String, Throwable> outcomes = untilRefused(() -> {
                String a = TestTopics.unique("mutation-create-a");
                String b = TestTopics.unique("mutation-create-b");
                return outcomes(throttled.createTopics(List.of(new NewTopic(a, LARGE, (short) 1),
                                new NewTopic(b, LARGE, (short) 1)), new CreateTopicsOptions().retryOnQuotaViolation(false))
                        .values());
            });
            String refused = refusedOne(outcomes);
            awaitTrue("the accepted topic to show, the refused one not", () -> {
                Set<String> names = names(unthrottled);
                return !names.contains(refused) && outcomes.keySet().stream()
                        .filter(t -> !t.equals(refused)).allMatch(names::contains);
            });
        } finally {
            removeQuota(bootstrap, clientId);
        }
    }

    @Test
    void shouldRefuseTheSecondOfTwoLargeGrowthsOfPartitions(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String clientId = TestTopics.unique("mutation-grow");
        try (Admin unthrottled = Clients.admin(bootstrap);
             Admin throttled = Clients.admin(bootstrap, Map.of(AdminClientConfig.CLIENT_ID_CONFIG, clientId))) {
            setQuota(unthrottled, clientId, RATE);
            Map<String, Throwable> outcomes = untilRefused(() -> {
                String a = TestTopics.create(unthrottled, TestTopics.unique("mutation-grow-a"), 1);
                String b = TestTopics.create(unthrottled, TestTopics.unique("mutation-grow-b"), 1);
                return outcomes(throttled.createPartitions(Map.of(a, NewPartitions.increaseTo(1 + LARGE),
                                b, NewPartitions.increaseTo(1 + LARGE)),
                        new CreatePartitionsOptions().retryOnQuotaViolation(false)).values());
            });
            String refused = refusedOne(outcomes);
            Map<String, Integer> expected = new HashMap<>();
            outcomes.keySet().forEach(t -> expected.put(t, t.equals(refused) ? 1 : 1 + LARGE));
            // Kafka's broker serves the grown topic's metadata a moment after its controller answered
            awaitTrue("the accepted growth to show, the refused one not", () -> {
                Map<String, Integer> partitions = new HashMap<>();
                try {
                    unthrottled.describeTopics(outcomes.keySet()).allTopicNames().get(30, TimeUnit.SECONDS)
                            .forEach((name, d) -> partitions.put(name, d.partitions().size()));
                } catch (ExecutionException notYet) {
                    return false;
                }
                return partitions.equals(expected);
            });
        } finally {
            removeQuota(bootstrap, clientId);
        }
    }

    @Test
    void shouldRefuseTheSecondOfTwoLargeTopicsToDelete(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String clientId = TestTopics.unique("mutation-delete");
        try (Admin unthrottled = Clients.admin(bootstrap);
             Admin throttled = Clients.admin(bootstrap, Map.of(AdminClientConfig.CLIENT_ID_CONFIG, clientId))) {
            setQuota(unthrottled, clientId, RATE);
            Map<String, Throwable> outcomes = untilRefused(() -> {
                String a = TestTopics.create(unthrottled, TestTopics.unique("mutation-delete-a"), LARGE);
                String b = TestTopics.create(unthrottled, TestTopics.unique("mutation-delete-b"), LARGE);
                return outcomes(throttled.deleteTopics(List.of(a, b),
                        new DeleteTopicsOptions().retryOnQuotaViolation(false)).topicNameValues());
            });
            String refused = refusedOne(outcomes);
            awaitTrue("the accepted deletion to show, the refused one not", () -> {
                Set<String> names = names(unthrottled);
                return names.contains(refused) && outcomes.keySet().stream()
                        .filter(t -> !t.equals(refused)).noneMatch(names::contains);
            });
        } finally {
            removeQuota(bootstrap, clientId);
        }
    }

    @Test
    void shouldLetTheAdminClientRetryAThrottledCreationTransparently(TargetBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String clientId = TestTopics.unique("mutation-retry");
        try (Admin unthrottled = Clients.admin(bootstrap);
             Admin throttled = Clients.admin(bootstrap, Map.of(AdminClientConfig.CLIENT_ID_CONFIG, clientId))) {
            setQuota(unthrottled, clientId, RATE);
            String refused = refusedOne(untilRefused(() -> {
                String a = TestTopics.unique("mutation-retry-a");
                String b = TestTopics.unique("mutation-retry-b");
                return outcomes(throttled.createTopics(List.of(new NewTopic(a, LARGE, (short) 1),
                                new NewTopic(b, LARGE, (short) 1)), new CreateTopicsOptions().retryOnQuotaViolation(false))
                        .values());
            }));

            // the default retryOnQuotaViolation(true): the client waits out the throttle time and asks again
            throttled.createTopics(List.of(new NewTopic(refused, LARGE, (short) 1))).all().get(60, TimeUnit.SECONDS);
            awaitTrue("the created topic to show", () -> names(unthrottled).contains(refused));
        } finally {
            removeQuota(bootstrap, clientId);
        }
    }

    /**
     * Asks until a topic is refused: Kafka puts a new quota in force a moment after answering the change, so until
     * then each attempt (with new topics) is accepted whole.
     */
    private static Map<String, Throwable> untilRefused(Callable<Map<String, Throwable>> attempt) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Map<String, Throwable> outcomes = attempt.call();
            if (outcomes.values().stream().anyMatch(e -> e != null)) {
                return outcomes;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the mutation quota was never enforced");
            }
        }
    }

    /** Kafka's broker shows a change of topics a moment after its controller answered it. */
    private static void awaitTrue(String what, Callable<Boolean> probe) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!probe.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** The one topic refused, for the quota, with a throttle time; the other was accepted. */
    private static String refusedOne(Map<String, Throwable> outcomes) {
        assertThat(outcomes).hasSize(2);
        List<String> refused = outcomes.entrySet().stream().filter(e -> e.getValue() != null).map(Map.Entry::getKey)
                .toList();
        assertThat(refused).as("one of the two topics is refused").hasSize(1);
        Throwable error = outcomes.get(refused.getFirst());
        assertThat(error).isInstanceOf(ThrottlingQuotaExceededException.class)
                .hasMessage("The throttling quota has been exceeded.");
        assertThat(((ThrottlingQuotaExceededException) error).throttleTimeMs())
                .as("the time until the bucket refills").isPositive();
        return refused.getFirst();
    }

    /** Each topic's outcome: null when accepted, else the cause of its failure. */
    private static Map<String, Throwable> outcomes(Map<String, ? extends KafkaFuture<?>> futures) throws Exception {
        Map<String, Throwable> outcomes = new HashMap<>();
        for (Map.Entry<String, ? extends KafkaFuture<?>> e : futures.entrySet()) {
            try {
                e.getValue().get(30, TimeUnit.SECONDS);
                outcomes.put(e.getKey(), null);
            } catch (ExecutionException failed) {
                outcomes.put(e.getKey(), failed.getCause());
            }
        }
        return outcomes;
    }

    private static void setQuota(Admin admin, String clientId, Double rate) throws Exception {
        admin.alterClientQuotas(List.of(new ClientQuotaAlteration(
                new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, clientId)),
                List.of(new ClientQuotaAlteration.Op("controller_mutation_rate", rate)))))
                .all().get(30, TimeUnit.SECONDS);
    }

    private static void removeQuota(String bootstrap, String clientId) throws Exception {
        try (Admin admin = Clients.admin(bootstrap)) {
            setQuota(admin, clientId, null);
        }
    }

    private static Set<String> names(Admin admin) throws Exception {
        return admin.listTopics().names().get(30, TimeUnit.SECONDS);
    }
}
