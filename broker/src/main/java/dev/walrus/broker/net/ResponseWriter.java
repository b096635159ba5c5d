package dev.walrus.broker.net;

import dev.walrus.kafka.ResponseFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Writes a response frame's buffers as they are (wrapped, not copied: some are views of the engine's mapped files)
 * and runs its release once the write is done, failed, or dropped because the connection closed.
 */
final class ResponseWriter {

    private static final Logger log = LoggerFactory.getLogger(ResponseWriter.class);

    private ResponseWriter() {}

    static void write(ChannelHandlerContext ctx, ResponseFrame.Send send) {
        List<ByteBuffer> buffers = send.buffers();
        ByteBuf message = buffers.size() == 1
                ? Unpooled.wrappedBuffer(buffers.getFirst())
                : Unpooled.wrappedBuffer(buffers.toArray(ByteBuffer[]::new));
        ChannelPromise promise = ctx.newPromise();
        if (send.release() != null) {
            promise.addListener(done -> release(send));
        }
        ctx.write(message, promise);
    }

    static void release(ResponseFrame.Send send) {
        Runnable release = send.release();
        if (release == null) {
            return;
        }
        try {
            release.run();
        } catch (RuntimeException e) {
            log.warn("Releasing a response's buffers failed", e);
        }
    }
}
