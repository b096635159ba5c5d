package dev.walrus.kafka.quota;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Kafka's precedence of client quotas, and the rates they share. */
class ClientQuotasTest {

    private final ClientQuotas quotas = new ClientQuotas();

    @Test
    void shouldApplyTheMostSpecificQuotaInKafkasOrder() {
        quotas.apply(entity("client-id", null), QuotaKeys.PRODUCER_BYTE_RATE, 1.0);
        assertThat(quotas.resolve("alice", "app", QuotaKeys.PRODUCER_BYTE_RATE).bound()).isEqualTo(1.0);
        quotas.apply(entity("client-id", "app"), QuotaKeys.PRODUCER_BYTE_RATE, 2.0);
        assertThat(quotas.resolve("alice", "app", QuotaKeys.PRODUCER_BYTE_RATE).bound()).isEqualTo(2.0);
        quotas.apply(entity("user", null), QuotaKeys.PRODUCER_BYTE_RATE, 3.0);
        assertThat(quotas.resolve("alice", "app", QuotaKeys.PRODUCER_BYTE_RATE).bound()).isEqualTo(3.0);
        quotas.apply(entity("user", null, "client-id", "app"), QuotaKeys.PRODUCER_BYTE_RATE, 4.0);
        assertThat(quotas.resolve("alice", "app", QuotaKeys.PRODUCER_BYTE_RATE).bound()).isEqualTo(4.0);
        quotas.apply(entity("user", "alice"), QuotaKeys.PRODUCER_BYTE_RATE, 5.0);
        assertThat(quotas.resolve("alice", "app", QuotaKeys.PRODUCER_BYTE_RATE).bound()).isEqualTo(5.0);
        quotas.apply(entity("user", "alice", "client-id", "app"), QuotaKeys.PRODUCER_BYTE_RATE, 6.0);
        assertThat(quotas.resolve("alice", "app", QuotaKeys.PRODUCER_BYTE_RATE).bound()).isEqualTo(6.0);
        assertThat(quotas.resolve("bob", "other", QuotaKeys.PRODUCER_BYTE_RATE).bound()).isEqualTo(3.0);
        assertThat(quotas.resolve("alice", "app", QuotaKeys.CONSUMER_BYTE_RATE)).isNull();
    }

    @Test
    void shouldShareAUsersRateAmongItsClientsButNotADefaultsRateAmongUsers() {
        quotas.apply(entity("user", null), QuotaKeys.PRODUCER_BYTE_RATE, 10.0);
        assertThat(quotas.resolve("alice", "a", QuotaKeys.PRODUCER_BYTE_RATE).rateKey())
                .isEqualTo(quotas.resolve("alice", "b", QuotaKeys.PRODUCER_BYTE_RATE).rateKey())
                .isNotEqualTo(quotas.resolve("bob", "a", QuotaKeys.PRODUCER_BYTE_RATE).rateKey());
    }

    @Test
    void shouldThrottleInProportionToTheExcessOverTheRatesWindow() {
        quotas.apply(entity("client-id", "app"), QuotaKeys.PRODUCER_BYTE_RATE, 1000.0);
        ByteRateThrottle throttle = new ByteRateThrottle(quotas, 2, 1000);
        // 1,000 bytes over the minimum window of one second: at the bound, no throttle
        assertThat(throttle.record(QuotaKeys.PRODUCER_BYTE_RATE, "u", "app", 1000, 10_000)).isZero();
        // 3,000 bytes within that second: rate 3,000/s, twice over the bound, for a one-second window
        assertThat(throttle.record(QuotaKeys.PRODUCER_BYTE_RATE, "u", "app", 2000, 10_000)).isEqualTo(2000);
        assertThat(throttle.record(QuotaKeys.PRODUCER_BYTE_RATE, "u", "other", 5000, 10_000)).isZero();
    }

    @Test
    void shouldCapARequestAtOneWindowOfTheQuotaAndTakeBackWhatAThrottledRequestDidNotGet() {
        ByteRateThrottle throttle = new ByteRateThrottle(quotas, 3, 1000);
        assertThat(throttle.maxValueInWindow(QuotaKeys.CONSUMER_BYTE_RATE, "u", "app")).isEqualTo(Long.MAX_VALUE);
        quotas.apply(entity("client-id", "app"), QuotaKeys.CONSUMER_BYTE_RATE, 1000.0);
        // Kafka's maxValueInQuotaWindow: the bound over all samples but one
        assertThat(throttle.maxValueInWindow(QuotaKeys.CONSUMER_BYTE_RATE, "u", "app")).isEqualTo(2000);
        assertThat(throttle.record(QuotaKeys.CONSUMER_BYTE_RATE, "u", "app", 2000, 10_000)).isZero();
        assertThat(throttle.record(QuotaKeys.CONSUMER_BYTE_RATE, "u", "app", 2000, 10_000)).isPositive();
        throttle.unrecord(QuotaKeys.CONSUMER_BYTE_RATE, "u", "app", 2000, 10_000);
        assertThat(throttle.record(QuotaKeys.CONSUMER_BYTE_RATE, "u", "app", 0, 10_000)).as("back at the bound").isZero();
    }

    private static QuotaEntity entity(String... typesAndNames) {
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < typesAndNames.length; i += 2) {
            names.put(typesAndNames[i], typesAndNames[i + 1]);
        }
        return new QuotaEntity(names);
    }
}
