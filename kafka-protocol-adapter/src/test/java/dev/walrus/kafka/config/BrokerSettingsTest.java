package dev.walrus.kafka.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BrokerSettingsTest {

    @Test
    void shouldUseKafkasDefaultsForKeysNotGiven() {
        BrokerSettings settings = BrokerSettings.from(Map.of());

        assertThat(settings.getInt("num.partitions")).isEqualTo(1);
        assertThat(settings.getInt("message.max.bytes")).isEqualTo(1048588);
        assertThat(settings.getInt("socket.request.max.bytes")).isEqualTo(104857600);
        assertThat(settings.getBoolean("auto.create.topics.enable")).isTrue();
        assertThat(settings.getBoolean("delete.topic.enable")).isTrue();
        assertThat(settings.getInt("log.retention.hours")).isEqualTo(168);
        assertThat(settings.get("log.retention.ms")).isNull();
        assertThat(settings.getLong("log.flush.interval.messages")).isEqualTo(Long.MAX_VALUE);
        assertThat(settings.get("log.message.timestamp.type")).isEqualTo("CreateTime");
        assertThat(settings.get("log.cleanup.policy")).isEqualTo("delete");
        assertThat(settings.get("compression.type")).isEqualTo("producer");
        assertThat(settings.getLong("connections.max.idle.ms")).isEqualTo(600000L);
        assertThat(settings.getInt("group.min.session.timeout.ms")).isEqualTo(6000);
        assertThat(settings.getInt("group.max.session.timeout.ms")).isEqualTo(1800000);
    }

    @Test
    void shouldUseSingleNodeDefaultsWhereKafkasCannotWorkOnOneNode() {
        BrokerSettings settings = BrokerSettings.from(Map.of());

        assertThat(settings.nodeId()).isEqualTo(1);
        assertThat(settings.get("listeners")).isEqualTo("PLAINTEXT://localhost:9092");
        assertThat(settings.getInt("group.initial.rebalance.delay.ms")).isZero();
        assertThat(settings.getInt("offsets.topic.replication.factor")).isEqualTo(1);
        assertThat(settings.getInt("transaction.state.log.replication.factor")).isEqualTo(1);
        assertThat(settings.getInt("transaction.state.log.min.isr")).isEqualTo(1);
        assertThat(BrokerConfigs.SINGLE_NODE_DEFAULTS).containsKeys("group.initial.rebalance.delay.ms",
                "offsets.topic.replication.factor", "transaction.state.log.replication.factor", "node.id", "log.dir", "listeners");
    }

    @Test
    void shouldPreferGivenValuesAndReportThemAsGiven() {
        BrokerSettings settings = BrokerSettings.from(Map.of("num.partitions", " 3 ", "auto.create.topics.enable", "false"));

        assertThat(settings.getInt("num.partitions")).isEqualTo(3);
        assertThat(settings.getBoolean("auto.create.topics.enable")).isFalse();
        assertThat(settings.isGiven("num.partitions")).isTrue();
        assertThat(settings.isGiven("message.max.bytes")).isFalse();
        assertThat(settings.given()).containsEntry("num.partitions", "3");
    }

    @Test
    void shouldRejectANonNumberNamingKeyAndValue() {
        assertThatThrownBy(() -> BrokerSettings.from(Map.of("message.max.bytes", "lots")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("message.max.bytes").hasMessageContaining("lots");
    }

    @Test
    void shouldRejectABadValueWhenOnlyChecking() {
        assertThatThrownBy(() -> BrokerSettings.check(Map.of("message.max.bytes", "lots")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("message.max.bytes").hasMessageContaining("lots");
    }

    @Test
    void shouldRejectAValueOutOfKafkasRange() {
        assertThatThrownBy(() -> BrokerSettings.from(Map.of("num.partitions", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("num.partitions").hasMessageContaining("0");
    }

    @Test
    void shouldRejectAnUnknownTimestampType() {
        assertThatThrownBy(() -> BrokerSettings.from(Map.of("log.message.timestamp.type", "WallClock")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("log.message.timestamp.type").hasMessageContaining("WallClock");
    }

    @Test
    void shouldRejectABadBoolean() {
        assertThatThrownBy(() -> BrokerSettings.from(Map.of("auto.create.topics.enable", "yes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("auto.create.topics.enable").hasMessageContaining("yes");
    }

    @Test
    void shouldRejectAListenerWithoutPort() {
        assertThatThrownBy(() -> BrokerSettings.from(Map.of("listeners", "PLAINTEXT://localhost")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listeners").hasMessageContaining("PLAINTEXT://localhost");
    }

    @Test
    void shouldRejectTwoListenersWithTheSameName() {
        assertThatThrownBy(() -> BrokerSettings.from(Map.of("listeners", "PLAINTEXT://:9092,PLAINTEXT://:9093")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listeners").hasMessageContaining("PLAINTEXT");
    }

    @Test
    void shouldRejectAnAdvertisedMetaAddress() {
        assertThatThrownBy(() -> BrokerSettings.from(Map.of("advertised.listeners", "PLAINTEXT://0.0.0.0:9092")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("advertised.listeners").hasMessageContaining("0.0.0.0");
    }

    @Test
    void shouldRejectAnAdvertisedListenerNameThatIsNotListenedOn() {
        assertThatThrownBy(() -> BrokerSettings.from(Map.of("listeners", "PLAINTEXT://:19201",
                "advertised.listeners", "SSL://broker.example:19202")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("advertised.listeners").hasMessageContaining("SSL");
    }

    @Test
    void shouldAdvertiseTheGivenAddressForAListenedName() {
        BrokerSettings settings = BrokerSettings.from(Map.of("listeners", "PLAINTEXT://0.0.0.0:19201",
                "advertised.listeners", "PLAINTEXT://broker.example:19201"));

        assertThat(settings.advertisedListeners()).containsExactly(new ListenerAddress("PLAINTEXT", "broker.example", 19201));
    }

    @Test
    void shouldRejectMoreThanOneDataDirectory() {
        assertThatThrownBy(() -> BrokerSettings.from(Map.of("log.dirs", "/a,/b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("log.dirs").hasMessageContaining("/a,/b");
    }

    @Test
    void shouldParseListenersAndFallBackToThemWhenNothingIsAdvertised() {
        BrokerSettings settings = BrokerSettings.from(Map.of("listeners", "PLAINTEXT://127.0.0.1:19201,ssl://[::1]:19202"));

        assertThat(settings.listeners()).containsExactly(
                new ListenerAddress("PLAINTEXT", "127.0.0.1", 19201), new ListenerAddress("SSL", "::1", 19202));
        assertThat(settings.advertisedListeners()).isEqualTo(settings.listeners());
    }

    @Test
    void shouldTakeTheDataDirectoryFromLogDirsBeforeLogDir() {
        assertThat(BrokerSettings.from(Map.of("log.dir", "/x")).dataDirectory()).isEqualTo("/x");
        assertThat(BrokerSettings.from(Map.of("log.dir", "/x", "log.dirs", "/y")).dataDirectory()).isEqualTo("/y");
        assertThat(BrokerSettings.from(Map.of()).dataDirectory()).isEqualTo("walrus-data");
    }

    @Test
    void shouldCheckThisBrokersOwnKeysWithTheirRulesAndKeepThemReadable() {
        assertThatThrownBy(() -> BrokerSettings.from(Map.of("walrus.offsets.retention.ms", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("walrus.offsets.retention.ms").hasMessageContaining("at least 1");
        assertThatThrownBy(() -> BrokerSettings.check(Map.of("walrus.offsets.retention.ms", "soon")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("soon");

        assertThat(BrokerSettings.from(Map.of("walrus.offsets.retention.ms", "2500")).get("walrus.offsets.retention.ms"))
                .isEqualTo("2500");
        assertThat(BrokerSettings.from(Map.of()).get("walrus.offsets.retention.ms")).isNull();
    }

    @Test
    void shouldKeepKeysItDoesNotUseReadable() {
        BrokerSettings settings = BrokerSettings.from(Map.of("process.roles", "broker,controller"));

        assertThat(settings.get("process.roles")).isEqualTo("broker,controller");
        assertThat(settings.get("no.such.key")).isNull();
    }
}
