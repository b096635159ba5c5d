package dev.walrus.kafka.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The token bucket of {@code controller_mutation_rate} with the numbers of Kafka's TokenBucket and its strict quota. */
class MutationRateQuotaTest {

    private static final long T0 = 1_000_000L;

    private static MutationRateQuota quotaOf(double rate) {
        ClientQuotas quotas = new ClientQuotas();
        quotas.apply(new QuotaEntity(Map.of(QuotaEntity.CLIENT_ID, "app")), MutationRateQuota.KEY, rate);
        return new MutationRateQuota(quotas, 11, 1);
    }

    @Test
    void shouldAcceptATopicWhileTheBucketIsNotBelowZeroAndRefuseTheNext() {
        MutationRateQuota quota = quotaOf(2); // a bucket of 22
        MutationRateQuota.Request request = quota.forRequest("ANONYMOUS", "app", true);
        assertThat(request.bounded()).isTrue();
        assertThat(request.tryRecord(30, T0)).as("a full bucket takes any topic").isTrue();
        assertThat(request.throttleTimeMs(T0)).isZero();
        assertThat(request.tryRecord(1, T0)).as("8 tokens short").isFalse();
        assertThat(request.throttleTimeMs(T0)).as("8 tokens at 2 a second").isEqualTo(4000);
        assertThat(request.throttleTimeMs(T0 + 1500)).as("less the time since").isEqualTo(2500);

        MutationRateQuota.Request later = quota.forRequest("ANONYMOUS", "app", true);
        assertThat(later.tryRecord(1, T0 + 3000)).as("2 tokens short").isFalse();
        assertThat(later.throttleTimeMs(T0 + 3000)).isEqualTo(1000);
        assertThat(later.tryRecord(5, T0 + 4000)).as("refilled to zero").isTrue();
    }

    @Test
    void shouldTakeEveryMutationOfAPermissiveRequestAndThrottleItsAnswer() {
        MutationRateQuota quota = quotaOf(1); // a bucket of 11
        MutationRateQuota.Request request = quota.forRequest("ANONYMOUS", "app", false);
        assertThat(request.tryRecord(10, T0)).isTrue();
        assertThat(request.throttleTimeMs(T0)).isZero();
        assertThat(request.tryRecord(10, T0)).isTrue();
        assertThat(request.throttleTimeMs(T0)).as("9 tokens short at 1 a second").isEqualTo(9000);
        assertThat(quota.forRequest("ANONYMOUS", "app", true).tryRecord(1, T0 + 8000)).isFalse();
    }

    @Test
    void shouldLeaveClientsWithoutTheQuotaUnbounded() {
        MutationRateQuota quota = quotaOf(1);
        MutationRateQuota.Request other = quota.forRequest("ANONYMOUS", "other", true);
        assertThat(other.bounded()).isFalse();
        assertThat(other.tryRecord(1000, T0)).isTrue();
        assertThat(other.throttleTimeMs(T0)).isZero();
        assertThat(new MutationRateQuota(new ClientQuotas(), 11, 1).forRequest("u", "app", true).bounded()).isFalse();
    }
}
