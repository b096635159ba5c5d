package dev.walrus.kafka.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.kafka.config.BrokerSettings;
import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The connection creation rates of {@link ConnectionQuotas} (KIP-612) as Kafka applies them: the broker-wide
 * {@code max.connection.creation.rate} and a listener's own, each over {@code quota.window.num} windows, with a delay
 * of at most one window. (Connections themselves: compat {@code client.ConnectionLimitsTest}.)
 */
class ConnectionQuotasTest {

    private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

    @Test
    void shouldDelayTheConnectionsOverTheBrokerWideRateByAtMostOneWindow() {
        ConnectionQuotas quotas = new ConnectionQuotas(BrokerSettings.from(Map.of("max.connection.creation.rate", "1")),
                new ClientQuotas());
        // the rate is over at least ten whole windows of 1 s: ten connections fit, the eleventh waits
        for (int i = 0; i < 10; i++) {
            assertThat(quotas.admit("PLAINTEXT", CLIENT, false)).as("connection %d", i + 1)
                    .isInstanceOf(ConnectionQuotas.Admission.Admitted.class);
        }
        ConnectionQuotas.Admission eleventh = quotas.admit("PLAINTEXT", CLIENT, false);
        assertThat(eleventh).isInstanceOf(ConnectionQuotas.Admission.Delayed.class);
        assertThat(((ConnectionQuotas.Admission.Delayed) eleventh).delayMs()).isBetween(1, 1000);
        // asked again after its delay it is served: it was counted when it was delayed
        assertThat(quotas.admit("PLAINTEXT", CLIENT, true)).isInstanceOf(ConnectionQuotas.Admission.Admitted.class);
    }

    @Test
    void shouldApplyAListenersOwnRateToThatListenerOnly() {
        ConnectionQuotas quotas = new ConnectionQuotas(BrokerSettings.from(Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:0,OTHER://127.0.0.1:0",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,OTHER:PLAINTEXT",
                "listener.name.other.max.connection.creation.rate", "1")), new ClientQuotas());
        for (int i = 0; i < 10; i++) {
            quotas.admit("OTHER", CLIENT, false);
        }
        assertThat(quotas.admit("OTHER", CLIENT, false)).isInstanceOf(ConnectionQuotas.Admission.Delayed.class);
        for (int i = 0; i < 20; i++) {
            assertThat(quotas.admit("PLAINTEXT", CLIENT, false)).as("connection %d on PLAINTEXT", i + 1)
                    .isInstanceOf(ConnectionQuotas.Admission.Admitted.class);
        }
    }
}
