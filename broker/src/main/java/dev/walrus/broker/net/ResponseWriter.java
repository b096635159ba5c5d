package dev.walrus.broker.net;

import dev.walrus.kafka.ResponseFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
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
 *
 * <p>Only the heap buffers (header and fields, small) are copied, into pooled direct memory: the native transport
 * copies a whole message into a new direct buffer when any part of it is on the heap, which for a fetch response
 * means copying every fetched batch once more. All-direct, the message goes to {@code writev} as it is.
 */
final class ResponseWriter {

    private static final Logger log = LoggerFactory.getLogger(ResponseWriter.class);

    private ResponseWriter() {}

    static void write(ChannelHandlerContext ctx, ResponseFrame.Send send) {
        List<ByteBuffer> buffers = send.buffers();
        ByteBuf message;
        if (buffers.size() == 1) {
            message = direct(ctx, buffers.getFirst());
        } else {
            CompositeByteBuf composite = ctx.alloc().compositeDirectBuffer(buffers.size());
            for (ByteBuffer buffer : buffers) {
                composite.addComponent(true, direct(ctx, buffer));
            }
            message = composite;
        }
        ChannelPromise promise = ctx.newPromise();
        if (send.release() != null) {
            promise.addListener(done -> release(send));
        }
        ctx.write(message, promise);
    }

    /** A direct buffer is wrapped as it is; a heap one is copied into pooled direct memory. */
    private static ByteBuf direct(ChannelHandlerContext ctx, ByteBuffer buffer) {
        if (buffer.isDirect()) {
            return Unpooled.wrappedBuffer(buffer);
        }
        ByteBuf copy = ctx.alloc().directBuffer(buffer.remaining());
        copy.writeBytes(buffer.duplicate());
        return copy;
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
