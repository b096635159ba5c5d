package dev.walrus.kafka.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;

/** request_percentage (KIP-124) with the numbers of Kafka's ClientRequestQuotaManager, and the answer's field. */
class RequestTimeThrottleTest {

    private static final long T0 = 1_000_000L;

    private static RequestTimeThrottle throttleOf(double percentage) {
        ClientQuotas quotas = new ClientQuotas();
        quotas.apply(new QuotaEntity(Map.of(QuotaEntity.CLIENT_ID, "app")), RequestTimeThrottle.KEY, percentage);
        return new RequestTimeThrottle(quotas, 11, 1000);
    }

    @Test
    void shouldThrottleByTheShareOfAThreadOverTheWindowAtMostOneSample() {
        RequestTimeThrottle throttle = throttleOf(10); // a tenth of a thread
        // 500 ms of work over the 10 s a young rate is measured over: 5 %, within 10 %
        assertThat(throttle.record("u", "app", TimeUnit.MILLISECONDS.toNanos(500), T0)).isZero();
        // 1.2 s of work in all: 12 %, (12 - 10) / 10 x 10 s = 2 s, bounded to one sample window (1 s) as Kafka bounds it
        assertThat(throttle.record("u", "app", TimeUnit.MILLISECONDS.toNanos(700), T0)).isEqualTo(1000);
    }

    @Test
    void shouldLeaveOtherClientsAlone() {
        RequestTimeThrottle throttle = throttleOf(0.01);
        assertThat(throttle.record("u", "other", TimeUnit.SECONDS.toNanos(5), T0)).isZero();
        assertThat(new RequestTimeThrottle(new ClientQuotas(), 11, 1000).record("u", "app", 1_000_000_000L, T0)).isZero();
    }

    @Test
    void shouldRaiseTheThrottleTimeOfAnyAnswerToTheLargerOfTheTwo() {
        ProduceResponseData produce = new ProduceResponseData().setThrottleTimeMs(300);
        assertThat(ResponseThrottleTime.raise(produce, 200)).isEqualTo(300);
        assertThat(produce.throttleTimeMs()).as("the byte-rate throttle was larger").isEqualTo(300);
        MetadataResponseData metadata = new MetadataResponseData();
        assertThat(ResponseThrottleTime.raise(metadata, 700)).isZero();
        assertThat(metadata.throttleTimeMs()).isEqualTo(700);
    }

    @Test
    void shouldKnowWhichVersionsWaitOutAThrottleThemselves() {
        assertThat(ResponseThrottleTime.clientThrottles(ApiKeys.PRODUCE, (short) 6)).isTrue();
        assertThat(ResponseThrottleTime.clientThrottles(ApiKeys.METADATA, (short) 6)).isTrue();
        assertThat(ResponseThrottleTime.clientThrottles(ApiKeys.METADATA, (short) 5)).as("KIP-219: Metadata v6").isFalse();
    }
}
