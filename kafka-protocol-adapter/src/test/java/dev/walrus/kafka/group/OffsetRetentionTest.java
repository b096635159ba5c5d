package dev.walrus.kafka.group;

import dev.walrus.kafka.config.BrokerSettings;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OffsetRetentionTest {

    @Test
    void shouldUseKafkasDefaultsOfSevenDaysCheckedEveryTenMinutes() {
        assertThat(OffsetRetention.from(BrokerSettings.from(Map.of()))).isEqualTo(new OffsetRetention(604_800_000L, 600_000L));
    }

    @Test
    void shouldTakeTheRetentionInMinutesAndTheCheckIntervalInMilliseconds() {
        OffsetRetention retention = OffsetRetention.from(BrokerSettings.from(Map.of(
                "offsets.retention.minutes", "1", "offsets.retention.check.interval.ms", "500")));

        assertThat(retention).isEqualTo(new OffsetRetention(60_000L, 500L));
    }

    @Test
    void shouldLetTheMillisecondKeyOfThisBrokerOverrideTheMinutes() {
        OffsetRetention retention = OffsetRetention.from(BrokerSettings.from(Map.of(
                "offsets.retention.minutes", "1", "walrus.offsets.retention.ms", "3000")));

        assertThat(retention.retentionMs()).isEqualTo(3_000L);
    }
}
