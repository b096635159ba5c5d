package dev.walrus.broker.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class BrokerConfigTest {

    @Test
    void shouldUseKafkaDefaultsAndLocalhostWhenNothingIsGiven() {
        BrokerConfig config = BrokerConfig.from(Map.of());

        assertThat(config.listener()).isEqualTo(new ListenerAddress("PLAINTEXT", "localhost", 9092));
        assertThat(config.advertisedListener()).isEmpty();
        assertThat(config.dataDir()).isEqualTo(Path.of("walrus-data").toAbsolutePath());
        assertThat(config.socketRequestMaxBytes()).isEqualTo(104_857_600);
        assertThat(config.connectionsMaxIdleMs()).isEqualTo(600_000);
        assertThat(config.socketSendBufferBytes()).isEqualTo(102_400);
        assertThat(config.listenBacklog()).isEqualTo(50);
        assertThat(config.maxInFlightPerConnection()).isEqualTo(BrokerConfig.DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION);
    }

    @Test
    void shouldReadTheNetworkKeys() {
        BrokerConfig config = BrokerConfig.from(Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:19092",
                "advertised.listeners", "PLAINTEXT://broker.example:29092",
                "socket.request.max.bytes", "2048",
                "connections.max.idle.ms", "-1",
                "walrus.connection.max.in.flight.requests", "7",
                "socket.send.buffer.bytes", "-1"));

        assertThat(config.listener()).isEqualTo(new ListenerAddress("PLAINTEXT", "127.0.0.1", 19092));
        assertThat(config.advertisedListener()).contains(new ListenerAddress("PLAINTEXT", "broker.example", 29092));
        assertThat(config.socketRequestMaxBytes()).isEqualTo(2048);
        assertThat(config.connectionsMaxIdleMs()).isEqualTo(-1);
        assertThat(config.maxInFlightPerConnection()).isEqualTo(7);
        assertThat(config.socketSendBufferBytes()).isEqualTo(-1);
    }

    @Test
    void shouldTakeTheDataDirectoryFromLogDirsBeforeLogDir() {
        assertThat(BrokerConfig.from(Map.of("log.dirs", "/tmp/a", "log.dir", "/tmp/b")).dataDir()).isEqualTo(Path.of("/tmp/a"));
        assertThat(BrokerConfig.from(Map.of("log.dir", "/tmp/b")).dataDir()).isEqualTo(Path.of("/tmp/b"));
    }

    @Test
    void shouldRefuseSeveralDataDirectories() {
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("log.dirs", "/tmp/a,/tmp/b")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value '/tmp/a,/tmp/b' for configuration log.dirs: only one data directory is supported");
    }

    @Test
    void shouldSkipTheControllerListenerOfAKraftServerProperties() {
        BrokerConfig config = BrokerConfig.from(Map.of(
                "listeners", "PLAINTEXT://:9092,CONTROLLER://:9093",
                "controller.listener.names", "CONTROLLER",
                "listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"));

        assertThat(config.listener()).isEqualTo(new ListenerAddress("PLAINTEXT", "", 9092));
        assertThat(config.listener().isWildcard()).isTrue();
    }

    @Test
    void shouldRefuseATlsListenerWithoutAKeystore() {
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("listeners", "SSL://localhost:9093")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("an SSL listener needs a keystore (ssl.keystore.location, or ssl.keystore.key with "
                        + "ssl.keystore.certificate.chain)");
    }

    @Test
    void shouldReadTheTlsKeysWithTheListenersPrefixFirst() {
        BrokerConfig config = BrokerConfig.from(Map.of(
                "listeners", "SECURE://localhost:9093",
                "listener.security.protocol.map", "SECURE:SASL_SSL",
                "ssl.keystore.location", "/plain/keystore.jks",
                "listener.name.secure.ssl.keystore.location", "/prefixed/keystore.p12",
                "listener.name.secure.ssl.keystore.type", "PKCS12",
                "ssl.keystore.password", "secret",
                "listener.name.secure.ssl.client.auth", "required"));

        assertThat(config.securityProtocol()).isEqualTo("SASL_SSL");
        TlsConfig tls = config.tls().orElseThrow();
        assertThat(tls.keystore().location()).contains(Path.of("/prefixed/keystore.p12"));
        assertThat(tls.keystore().type()).isEqualTo("PKCS12");
        assertThat(tls.keystore().keyPassword()).as("the keystore's password when ssl.key.password is not given").isEqualTo("secret");
        assertThat(tls.clientAuth()).isEqualTo(TlsConfig.ClientAuth.REQUIRED);
        assertThat(tls.enabledProtocols()).containsExactly("TLSv1.2", "TLSv1.3");
    }

    @Test
    void shouldServeSeveralListenersEachWithItsProtocolAndAdvertisedAddress() {
        BrokerConfig config = BrokerConfig.from(Map.of(
                "listeners", "PLAINTEXT://localhost:9092,INTERNAL://:9094,CONTROLLER://:9093",
                "controller.listener.names", "CONTROLLER",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,INTERNAL:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
                "advertised.listeners", "INTERNAL://broker.internal:9094"));

        assertThat(config.listeners()).extracting(ServedListener::name, ServedListener::securityProtocol)
                .containsExactly(tuple("PLAINTEXT", "PLAINTEXT"), tuple("INTERNAL", "SASL_PLAINTEXT"));
        assertThat(config.listeners().get(0).advertised()).isEmpty();
        assertThat(config.listeners().get(1).advertised()).contains(new ListenerAddress("INTERNAL", "broker.internal", 9094));
    }

    @Test
    void shouldRefuseListenersThatShareANameOrAPortAndAdvertisedOnesNotListened() {
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("listeners", "PLAINTEXT://:9092,PLAINTEXT://:9093")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("each listener must have a different name");
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("listeners", "PLAINTEXT://:9092,SASL_PLAINTEXT://:9092")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("each listener must have a different port");
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("listeners", "PLAINTEXT://:9092",
                "advertised.listeners", "PLAINTEXT://a:9092,SSL://a:9093")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("listener SSL is not one of the listeners (PLAINTEXT)");
    }

    @Test
    void shouldApplyOnlyTheListenersOwnClientAuthOnASaslSslListener() {
        BrokerConfig config = BrokerConfig.from(Map.of(
                "listeners", "SSL://localhost:9093,SASL_SSL://localhost:9094",
                "ssl.keystore.location", "/keystore.p12",
                "ssl.client.auth", "required",
                "sasl.enabled.mechanisms", "PLAIN"));

        assertThat(config.listeners().get(0).tls().orElseThrow().clientAuth()).isEqualTo(TlsConfig.ClientAuth.REQUIRED);
        assertThat(config.listeners().get(1).tls().orElseThrow().clientAuth())
                .as("KIP-684: the broker-wide key is for SSL listeners").isEqualTo(TlsConfig.ClientAuth.NONE);
    }

    @Test
    void shouldReadTheSslPrincipalMappingRulesAndRefuseOnesKafkaCannotRead() {
        BrokerConfig config = BrokerConfig.from(Map.of(
                "listeners", "SSL://localhost:9093",
                "ssl.keystore.location", "/keystore.p12",
                "ssl.principal.mapping.rules", "RULE:^CN=(.*?),OU=(.*)$/$1@$2/L,DEFAULT"));
        assertThat(config.tls().orElseThrow().principalMapping().nameOf("CN=Alice,OU=Dev")).contains("alice@dev");
        assertThat(config.tls().orElseThrow().principalMapping().nameOf("O=Org")).contains("O=Org");

        assertThatThrownBy(() -> BrokerConfig.from(Map.of(
                "listeners", "SSL://localhost:9093",
                "ssl.keystore.location", "/keystore.p12",
                "ssl.principal.mapping.rules", "RULE:^CN=(.*)$/$1/Lxyz")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ssl.principal.mapping.rules")
                .hasMessageContaining("Invalid rule: `RULE:^CN=(.*)$/$1/Lxyz`, unmatched substring: `xyz`");
    }

    @Test
    void shouldRefuseAnUnknownSecurityProtocol() {
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("listeners", "X://localhost:9093",
                "listener.security.protocol.map", "X:QUIC")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listener X uses QUIC, which is not one of [PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL]");
    }

    @Test
    void shouldNameTheKeyAndValueOfABadNumber() {
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("socket.request.max.bytes", "lots")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 'lots' for configuration socket.request.max.bytes: not a number of type INT");
    }

    @Test
    void shouldRefuseAZeroRequestLimit() {
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("socket.request.max.bytes", "0")))
                .hasMessage("Invalid value '0' for configuration socket.request.max.bytes: must be at least 1");
    }

    @Test
    void shouldRefuseAZeroInFlightBound() {
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("walrus.connection.max.in.flight.requests", "0")))
                .hasMessage("Invalid value '0' for configuration walrus.connection.max.in.flight.requests: must be at least 1");
    }

    @Test
    void shouldKeepTheProcessOnlyKeysFromTheAdapter() {
        BrokerConfig config = BrokerConfig.from(Map.of("num.partitions", "3", "walrus.connection.max.in.flight.requests", "8",
                "walrus.shutdown.timeout.ms", "100"));

        assertThat(config.adapterProperties()).isEqualTo(Map.of("num.partitions", "3"));
    }

    @Test
    void shouldKeepEveryGivenKeyForTheAdapter() {
        Map<String, String> given = Map.of("num.partitions", "3", "auto.create.topics.enable", "false", "listeners", "PLAINTEXT://localhost:0");

        assertThat(BrokerConfig.from(given).adapterProperties()).isEqualTo(given);
    }
}
