package dev.walrus.broker.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ListenerAddressTest {

    @Test
    void shouldParseNameHostAndPort() {
        assertThat(ListenerAddress.parse("listeners", "plaintext://localhost:9092"))
                .isEqualTo(new ListenerAddress("PLAINTEXT", "localhost", 9092));
    }

    @Test
    void shouldParseAnEmptyHostAsEveryInterface() {
        ListenerAddress address = ListenerAddress.parse("listeners", "PLAINTEXT://:9092");

        assertThat(address.host()).isEmpty();
        assertThat(address.isWildcard()).isTrue();
    }

    @Test
    void shouldParseABracketedIpv6Host() {
        ListenerAddress address = ListenerAddress.parse("listeners", "PLAINTEXT://[::1]:9092");

        assertThat(address.host()).isEqualTo("::1");
        assertThat(address).hasToString("PLAINTEXT://[::1]:9092");
    }

    @Test
    void shouldRefuseAMissingScheme() {
        assertThatThrownBy(() -> ListenerAddress.parse("listeners", "localhost:9092"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 'localhost:9092' for configuration listeners: expected NAME://host:port, e.g. PLAINTEXT://localhost:9092");
    }

    @Test
    void shouldRefuseAPortOutOfRange() {
        assertThatThrownBy(() -> ListenerAddress.parse("listeners", "PLAINTEXT://localhost:70000"))
                .hasMessageEndingWith("the port must be between 0 and 65535");
    }

    @Test
    void shouldRefuseANonNumericPort() {
        assertThatThrownBy(() -> ListenerAddress.parse("listeners", "PLAINTEXT://localhost:kafka"))
                .hasMessageEndingWith("the port is not a number");
    }
}
