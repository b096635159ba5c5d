package dev.walrus.broker.net;

import dev.walrus.kafka.ResponseFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the writer hands to the transport: a message the native transport can write as it is (all direct memory, so
 * it is not copied whole), with the record views themselves, not copies of them, and the release run once.
 */
class ResponseWriterTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final AtomicInteger releases = new AtomicInteger();

    @AfterEach
    void closeChannel() {
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldHandTheTransportADirectMessageThatReusesTheRecordViews() {
        ByteBuffer header = ByteBuffer.wrap(new byte[] {0, 0, 0, 12, 0, 0, 0, 7});
        ByteBuffer mapped = ByteBuffer.allocateDirect(4).put(new byte[] {1, 2, 3, 4}).flip();

        write(new ResponseFrame.Send(List.of(header, mapped.asReadOnlyBuffer()), releases::incrementAndGet));

        ByteBuf out = channel.readOutbound();
        try {
            assertThat(out.isDirect()).isTrue();
            assertThat(ByteBufUtil.getBytes(out)).containsExactly(0, 0, 0, 12, 0, 0, 0, 7, 1, 2, 3, 4);
            assertThat(((CompositeByteBuf) out).numComponents()).isEqualTo(2);
            mapped.put(0, (byte) 42);
            assertThat(out.getByte(8)).as("the record bytes are the view itself, not a copy").isEqualTo((byte) 42);
        } finally {
            out.release();
        }
        assertThat(releases).hasValue(1);
    }

    @Test
    void shouldWriteASingleHeapBufferAsDirectMemoryWithTheSameBytes() {
        ByteBuffer whole = ByteBuffer.wrap(new byte[] {0, 0, 0, 4, 0, 0, 0, 9});

        write(new ResponseFrame.Send(List.of(whole), releases::incrementAndGet));

        ByteBuf out = channel.readOutbound();
        try {
            assertThat(out.isDirect()).isTrue();
            assertThat(ByteBufUtil.getBytes(out)).containsExactly(0, 0, 0, 4, 0, 0, 0, 9);
        } finally {
            out.release();
        }
        assertThat(whole.position()).isZero();
        assertThat(releases).hasValue(1);
    }

    @Test
    void shouldSplitAnAnswerOfMoreBuffersThanOneWritevTakesIntoMessagesItCanWriteAsTheyAre() {
        // a fetch answer over many partitions: a header per partition and a view per record batch
        List<ByteBuffer> buffers = new java.util.ArrayList<>();
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 2500; i++) {
            byte[] bytes = {(byte) i, (byte) (i >> 8), 7};
            expected.writeBytes(bytes);
            buffers.add(i % 2 == 0 ? ByteBuffer.wrap(bytes)
                    : ByteBuffer.allocateDirect(3).put(bytes).flip().asReadOnlyBuffer());
        }

        write(new ResponseFrame.Send(buffers, releases::incrementAndGet));

        java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
        int messages = 0;
        for (ByteBuf out; (out = channel.readOutbound()) != null; messages++) {
            try {
                assertThat(out.isDirect()).isTrue();
                assertThat(out.nioBufferCount()).as("buffers of message %d", messages)
                        .isLessThanOrEqualTo(1024); // IOV_MAX: more, and the epoll transport copies it whole
                written.writeBytes(ByteBufUtil.getBytes(out));
            } finally {
                out.release();
            }
        }
        assertThat(messages).isEqualTo(3);
        assertThat(written.toByteArray()).as("every byte, in order").isEqualTo(expected.toByteArray());
        assertThat(releases).as("released once, after the last message").hasValue(1);
    }

    private void write(ResponseFrame.Send send) {
        ChannelHandlerContext ctx = channel.pipeline().firstContext();
        ResponseWriter.write(ctx, send);
        channel.flush();
    }
}
