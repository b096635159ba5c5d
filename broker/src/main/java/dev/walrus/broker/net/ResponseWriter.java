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

    /**
     * The most buffers in one message: the native transport also copies a message whole into a new direct buffer
     * when it has more buffers than one {@code writev} takes ({@code IOV_MAX}, 1024 on Linux). A fetch answer has a
     * view per record batch: 100 partitions of a megabyte of 16 KiB batches are 6,400 views, and that copy (a fresh
     * 50 MiB buffer, zeroed and faulted in) took 60% of the broker's CPU in consuming them. A literal, not Netty's
     * {@code Limits.IOV_MAX}: reading that loads the native library, which the NIO transport may lack.
     */
    static final int MAX_BUFFERS_PER_MESSAGE = 1024;

    static void write(ChannelHandlerContext ctx, ResponseFrame.Send send) {
        List<ByteBuffer> buffers = send.buffers();
        int from = 0;
        do { // at least one message, even of no buffers: its promise runs the release
            int to = Math.min(buffers.size(), from + MAX_BUFFERS_PER_MESSAGE);
            ByteBuf message = message(ctx, buffers.subList(from, to));
            ChannelPromise promise = ctx.newPromise();
            if (to == buffers.size() && send.release() != null) {
                // writes complete (or fail, when the connection closes) in order: the last one is done last
                promise.addListener(done -> release(send));
            }
            ctx.write(message, promise);
            from = to;
        } while (from < buffers.size());
    }

    private static ByteBuf message(ChannelHandlerContext ctx, List<ByteBuffer> buffers) {
        if (buffers.size() == 1) {
            return direct(ctx, buffers.getFirst());
        }
        CompositeByteBuf composite = ctx.alloc().compositeDirectBuffer(Math.max(1, buffers.size()));
        for (ByteBuffer buffer : buffers) {
            composite.addComponent(true, direct(ctx, buffer));
        }
        return composite;
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
