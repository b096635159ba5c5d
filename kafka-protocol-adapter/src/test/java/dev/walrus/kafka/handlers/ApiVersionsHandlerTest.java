package dev.walrus.kafka.handlers;

import dev.walrus.kafka.ResponseFrame;
import dev.walrus.kafka.testing.AdapterHarness;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ApiVersionsHandlerTest {

    @TempDir
    Path dir;
    private AdapterHarness broker;

    @BeforeEach
    void start() {
        broker = new AdapterHarness(dir);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    /** The table test: every advertised (API, version) gets a response that kafka-clients decodes at that version. */
    @Test
    void shouldAnswerEveryAdvertisedVersionOfEveryApiWithADecodableResponse() {
        ApiVersionsResponse advertised = broker.send(ApiKeys.API_VERSIONS, ApiKeys.API_VERSIONS.latestVersion(false),
                new ApiVersionsRequestData().setClientSoftwareName("walrus-test").setClientSoftwareVersion("1.0"));
        List<String> answered = new ArrayList<>();
        for (ApiVersionsResponseData.ApiVersion range : advertised.data().apiKeys()) {
            ApiKeys key = ApiKeys.forId(range.apiKey());
            short min = (short) Math.max(range.minVersion(), key.oldestVersion());
            for (short version = min; version <= range.maxVersion(); version++) {
                ApiMessage request = key.messageType.newRequest();
                if (request instanceof org.apache.kafka.common.message.ProduceRequestData produce) {
                    produce.setAcks((short) 1);
                }
                if (request instanceof org.apache.kafka.common.message.DescribeAclsRequestData acls) {
                    // all-zero filters are UNKNOWN, which kafka-clients refuses to parse (Kafka closes the connection)
                    acls.setResourceTypeFilter((byte) 1).setPatternTypeFilter((byte) 1).setOperation((byte) 1)
                            .setPermissionType((byte) 1);
                }
                AbstractResponse response = broker.send(key, version, request);
                assertThat(response.apiKey()).isEqualTo(key);
                answered.add(key.name + " v" + version);
            }
        }
        assertThat(answered).contains("Produce v3", "Fetch v4", "ApiVersions v0", "ListOffsets v1", "InitProducerId v0");
    }

    @Test
    void shouldAdvertiseExactlyTheHandledApis() {
        ApiVersionsResponse response = broker.send(ApiKeys.API_VERSIONS, (short) 3,
                new ApiVersionsRequestData().setClientSoftwareName("walrus-test").setClientSoftwareVersion("1.0"));
        assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.data().apiKeys()).extracting(ApiVersionsResponseData.ApiVersion::apiKey)
                .containsExactlyInAnyOrderElementsOf(broker.adapter().handlers().all().stream().map(h -> h.apiKey().id).toList());
        ApiVersionsResponseData.ApiVersion produce = response.data().apiKeys().find(ApiKeys.PRODUCE.id);
        assertThat(produce.minVersion()).isZero();
        assertThat(produce.maxVersion()).isEqualTo(ApiKeys.PRODUCE.latestVersion(false));
        assertThat(response.data().apiKeys().find(ApiKeys.INIT_PRODUCER_ID.id).maxVersion())
                .isEqualTo(ApiKeys.INIT_PRODUCER_ID.latestVersion(false));
    }

    @Test
    void shouldFallBackToAVersionZeroAnswerForAnUnknownVersion() {
        ByteBuffer frame = AdapterHarness.frame(ApiKeys.API_VERSIONS, (short) 3, new ApiVersionsRequestData()
                .setClientSoftwareName("future-client").setClientSoftwareVersion("9.9"), 77);
        frame.putShort(2, (short) 99);
        ResponseFrame.Send send = (ResponseFrame.Send) broker.sendRaw(frame);
        ByteBuffer bytes = AdapterHarness.joined(send);
        assertThat(bytes.getInt()).isEqualTo(bytes.remaining());
        ResponseHeader header = ResponseHeader.parse(bytes, (short) 0);
        assertThat(header.correlationId()).isEqualTo(77);
        ApiVersionsResponseData body = new ApiVersionsResponseData(new ByteBufferAccessor(bytes), (short) 0);
        assertThat(body.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        assertThat(body.apiKeys().find(ApiKeys.API_VERSIONS.id)).isNotNull();
        assertThat(body.apiKeys().find(ApiKeys.API_VERSIONS.id).maxVersion()).isEqualTo(ApiKeys.API_VERSIONS.latestVersion(false));
    }

    @Test
    void shouldRejectAnInvalidClientSoftwareName() {
        ApiVersionsResponse response = broker.send(ApiKeys.API_VERSIONS, (short) 3,
                new ApiVersionsRequestData().setClientSoftwareName("bad name!").setClientSoftwareVersion("1.0"));
        assertThat(response.data().errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
    }

    /** KIP-584: what a fresh Kafka 4.4 node reports, for the features served here (share and streams pending). */
    @Test
    void shouldReportTheSupportedAndFinalizedFeaturesOfAKafka44Node() {
        ApiVersionsResponse response = broker.send(ApiKeys.API_VERSIONS, (short) 4,
                new ApiVersionsRequestData().setClientSoftwareName("walrus-test").setClientSoftwareVersion("1.0"));
        ApiVersionsResponseData data = response.data();
        assertThat(data.supportedFeatures()).extracting(f -> f.name() + " " + f.minVersion() + "-" + f.maxVersion())
                .containsExactlyInAnyOrder("metadata.version 7-33", "kraft.version 0-1", "transaction.version 0-2",
                        "group.version 0-1", "eligible.leader.replicas.version 0-1", "share.version 0-2",
                        "streams.version 0-1");
        assertThat(data.finalizedFeatures()).extracting(f -> f.name() + " " + f.minVersionLevel() + "-" + f.maxVersionLevel())
                .containsExactlyInAnyOrder("metadata.version 33-33", "transaction.version 2-2", "group.version 1-1",
                        "eligible.leader.replicas.version 1-1", "share.version 2-2", "streams.version 1-1");
        assertThat(data.finalizedFeaturesEpoch()).isPositive();
        assertThat(data.zkMigrationReady()).isFalse();
    }
}
