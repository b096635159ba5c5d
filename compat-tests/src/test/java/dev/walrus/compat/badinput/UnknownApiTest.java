package dev.walrus.compat.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.compat.BrokerExtension;
import dev.walrus.compat.HealthyClient;
import dev.walrus.compat.RawKafkaConnection;
import dev.walrus.compat.TargetBroker;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Requests for APIs the broker does not serve: an API key no Kafka version defines, a controller-only API sent to the
 * client listener, and an ApiVersions version from the future (which Kafka answers with its fallback, KIP-511).
 */
@ExtendWith(BrokerExtension.class)
class UnknownApiTest {

    private static final Duration CLOSE_WITHIN = Duration.ofSeconds(10);

    private TargetBroker broker;
    private HealthyClient healthy;

    @BeforeEach
    void connectHealthyClient(TargetBroker broker) throws Exception {
        this.broker = broker;
        healthy = new HealthyClient(broker.bootstrapServers());
    }

    @AfterEach
    void healthyClientWasNeverHurt() throws Exception {
        healthy.assertRoundTrip();
        healthy.close();
    }

    @Test
    void shouldCloseTheConnectionOnAnUnknownApiKey() throws Exception {
        try (RawKafkaConnection raw = RawKafkaConnection.open(broker.bootstrapServers())) {
            // request header v1: api key 9999, version 0, correlation id 7, client id "raw"
            raw.sendFrame(ByteBuffer.allocate(13).putShort((short) 9999).putShort((short) 0).putInt(7)
                .putShort((short) 3).put("raw".getBytes()).array());
            assertThat(raw.closedByBrokerWithin(CLOSE_WITHIN)).as("connection closed").isTrue();
        }
        healthy.assertRoundTrip();
    }

    @Test
    void shouldCloseTheConnectionOnAControllerOnlyApi() throws Exception {
        try (RawKafkaConnection raw = RawKafkaConnection.open(broker.bootstrapServers())) {
            RequestHeader header = raw.header(ApiKeys.BROKER_REGISTRATION, ApiKeys.BROKER_REGISTRATION.latestVersion());
            raw.sendFrame(RawKafkaConnection.serialize(header, new org.apache.kafka.common.message.BrokerRegistrationRequestData()));
            assertThat(raw.closedByBrokerWithin(CLOSE_WITHIN)).as("connection closed").isTrue();
        }
        healthy.assertRoundTrip();
    }

    @Test
    void shouldAnswerAnApiVersionsRequestOfAnUnknownVersionWithTheFallback() throws Exception {
        try (RawKafkaConnection raw = RawKafkaConnection.open(broker.bootstrapServers())) {
            short futureVersion = (short) (ApiKeys.API_VERSIONS.latestVersion() + 10);
            RequestHeader header = raw.header(ApiKeys.API_VERSIONS, futureVersion);
            // a client of the future sends a flexible header and a body this broker cannot parse
            raw.sendFrame(RawKafkaConnection.serialize(header, new ApiVersionsRequestData()
                .setClientSoftwareName("compat").setClientSoftwareVersion("99"), ApiKeys.API_VERSIONS.latestVersion()));

            // the fallback: response header v0, body at version 0, error UNSUPPORTED_VERSION, and ApiVersions' range
            ByteBuffer body = raw.readResponseBody(header.correlationId(), (short) 0);
            ApiVersionsResponseData response = new ApiVersionsResponseData(new ByteBufferAccessor(body), (short) 0);
            assertThat(response.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
            ApiVersionsResponseData.ApiVersion apiVersions = response.apiKeys().find(ApiKeys.API_VERSIONS.id);
            assertThat(apiVersions).isNotNull();
            assertThat(apiVersions.minVersion()).isZero();
            assertThat(apiVersions.maxVersion()).isGreaterThanOrEqualTo((short) 3);

            // and the connection stays usable: the client retries at a version the broker named
            ApiVersionsResponseData retried = raw.<org.apache.kafka.common.requests.ApiVersionsResponse>roundTrip(
                ApiKeys.API_VERSIONS, apiVersions.maxVersion(), new ApiVersionsRequestData()
                    .setClientSoftwareName("compat").setClientSoftwareVersion("99")).data();
            assertThat(retried.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(retried.apiKeys().find(ApiKeys.PRODUCE.id)).isNotNull();
        }
        healthy.assertRoundTrip();
    }
}
