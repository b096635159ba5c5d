package dev.walrus.kafka;

import dev.walrus.kafka.testing.AdapterHarness;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Framing rules shared by every API: what closes a connection, and that the adapter keeps serving afterwards. */
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
}
