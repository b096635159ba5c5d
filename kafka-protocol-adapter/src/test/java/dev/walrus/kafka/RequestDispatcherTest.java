package dev.walrus.kafka;

import dev.walrus.kafka.testing.AdapterHarness;
import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AlterClientQuotasResponse;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules shared by every API: what closes a connection, that the adapter keeps serving afterwards, and the request
 * quota (KIP-124).
 */
class RequestDispatcherTest {

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

    @Test
    void shouldCloseTheConnectionOnAnUnknownApiKey() {
        ByteBuffer frame = apiVersionsFrame();
        frame.putShort(0, (short) 999);
        assertClosedWith(frame, "unknown API key 999");
        assertStillServing();
    }

    @Test
    void shouldCloseTheConnectionOnAnApiWithoutHandler() {
        ApiKeys unhandled = ApiKeys.clientApis().stream()
                .filter(k -> broker.adapter().handlers().handlerFor(k).isEmpty())
                .findFirst().orElseThrow();
        ByteBuffer frame = AdapterHarness.frame(unhandled, unhandled.latestVersion(false),
                unhandled.messageType.newRequest(), 1);
        assertClosedWith(frame, "not supported");
    }

    @Test
    void shouldCloseTheConnectionOnARequestThatDoesNotParse() {
        ByteBuffer frame = apiVersionsFrame();
        ByteBuffer truncated = frame.slice(0, frame.limit() - 3);
        assertClosedWith(truncated, "could not parse");
        assertStillServing();
    }

    @Test
    void shouldCloseTheConnectionOnAFrameTooShortForAHeader() {
        assertClosedWith(ByteBuffer.wrap(new byte[] {0, 18, 0}), "too short");
    }

    @Test
    void shouldCloseTheConnectionOnAnUnsupportedVersionOfAnotherApi() {
        ByteBuffer frame = AdapterHarness.frame(ApiKeys.LIST_OFFSETS, (short) 1,
                new org.apache.kafka.common.message.ListOffsetsRequestData(), 1);
        frame.putShort(2, (short) 0);
        assertClosedWith(frame, "version 0 is not supported");
    }

    @Test
    void shouldRefuseProduceVersionsBelowThreeThoughAdvertised() {
        ByteBuffer frame = AdapterHarness.frame(ApiKeys.PRODUCE, (short) 3,
                new org.apache.kafka.common.message.ProduceRequestData().setAcks((short) 1), 1);
        frame.putShort(2, (short) 2);
        assertClosedWith(frame, "version 2 is not supported");
    }

    private ByteBuffer apiVersionsFrame() {
        return AdapterHarness.frame(ApiKeys.API_VERSIONS, (short) 3,
                new ApiVersionsRequestData().setClientSoftwareName("t").setClientSoftwareVersion("1"), 5);
    }

    private void assertClosedWith(ByteBuffer frame, String reason) {
        ResponseFrame response = broker.sendRaw(frame);
        assertThat(response).isInstanceOfSatisfying(ResponseFrame.Close.class,
                close -> assertThat(close.reason()).contains(reason));
    }

    private void assertStillServing() {
        ApiVersionsResponse ok = broker.send(ApiKeys.API_VERSIONS, (short) 3,
                new ApiVersionsRequestData().setClientSoftwareName("t").setClientSoftwareVersion("1"));
        assertThat(ok.data().errorCode()).isZero();
    }

    @Test
    void shouldThrottleEveryAnswerOfAClientOverItsRequestPercentageAtMostOneSampleWindow() {
        AlterClientQuotasRequestData quota = new AlterClientQuotasRequestData();
        quota.entries().add(new AlterClientQuotasRequestData.EntryData()
                .setEntity(List.of(new AlterClientQuotasRequestData.EntityData().setEntityType("client-id")
                        .setEntityName(AdapterHarness.CLIENT_ID)))
                .setOps(List.of(new AlterClientQuotasRequestData.OpData().setKey("request_percentage").setValue(0.001))));
        AlterClientQuotasResponse altered = broker.send(ApiKeys.ALTER_CLIENT_QUOTAS, (short) 1, quota);
        assertThat(altered.data().entries()).allMatch(e -> e.errorCode() == 0);

        // a thousandth of a percent of a thread: ten microseconds of work a second, spent by a few requests
        int throttled = 0;
        for (int i = 0; i < 1000 && throttled == 0; i++) {
            MetadataResponse answer = broker.send(ApiKeys.METADATA, ApiKeys.METADATA.latestVersion(),
                    new MetadataRequestData().setTopics(List.of()));
            throttled = answer.throttleTimeMs();
        }
        assertThat(throttled).as("bounded by quota.window.size.seconds").isBetween(1, 1000);
    }
}
