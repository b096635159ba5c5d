package dev.walrus.broker.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Cuts the byte stream into Kafka request frames: a 4-byte big-endian size, then that many bytes.
 *
 * <p>The size is checked as soon as its 4 bytes arrive, before anything is allocated for the frame: a negative size or
 * one over {@code socket.request.max.bytes} is logged and the connection closed (Kafka's {@code InvalidReceiveException}
 * does the same), and whatever else that peer sends is dropped unread. A frame is passed on as a slice of the
 * receive buffer, without copying.
 */
final class FrameDecoder extends ByteToMessageDecoder {

    private static final Logger log = LoggerFactory.getLogger(FrameDecoder.class);
    static final int SIZE_PREFIX_BYTES = 4;
    /** Frames up to this size grow the receive buffer by doubling; larger ones get room for the whole frame at once. */
    private static final int RESERVE_WHOLE_FRAME_ABOVE = 1 << 20;

    private final int maxRequestBytes;
    private final int maxUnauthenticatedBytes;
    private boolean refused;

    FrameDecoder(int maxRequestBytes) {
        this(maxRequestBytes, maxRequestBytes);
    }

    /**
     * @param maxUnauthenticatedBytes the bound before a connection on a SASL listener has authenticated
     *        ({@code sasl.server.max.receive.size}), so that nobody can make the broker buffer large frames unasked
     */
    FrameDecoder(int maxRequestBytes, int maxUnauthenticatedBytes) {
        this.maxRequestBytes = maxRequestBytes;
        this.maxUnauthenticatedBytes = Math.min(maxRequestBytes, maxUnauthenticatedBytes);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (refused) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < SIZE_PREFIX_BYTES) {
            return;
        }
        int size = in.getInt(in.readerIndex());
        int max = maxRequestBytes;
        String limit = "socket.request.max.bytes";
        if (maxUnauthenticatedBytes < maxRequestBytes && unauthenticated(ctx)) {
            max = maxUnauthenticatedBytes;
            limit = "sasl.server.max.receive.size before authentication";
        }
        if (size < 0 || size > max) {
            refused = true;
            in.skipBytes(in.readableBytes());
            log.warn("Closing {}: request frame of {} bytes refused ({}; {}={})",
                    Connection.of(ctx.channel()), size, size < 0 ? "negative size" : "too large", limit, max);
            ctx.close();
            return;
        }
        if (in.readableBytes() < SIZE_PREFIX_BYTES + size) {
            reserveRoomForLargeFrame(in, size);
            return;
        }
        in.skipBytes(SIZE_PREFIX_BYTES);
        out.add(in.readRetainedSlice(size));
    }

    private static boolean unauthenticated(ChannelHandlerContext ctx) {
        Connection connection = Connection.of(ctx.channel());
        return connection != null && connection.context().auth() != null && !connection.context().auth().isAuthenticated();
    }

    /**
     * A large frame (a big produce request) would otherwise be copied again at each growth step of the receive buffer;
     * once its size has passed the check, room for all of it is made in one step. Only when no earlier frame still
     * shares the buffer, so nothing but this connection's pending bytes move.
     */
    private static void reserveRoomForLargeFrame(ByteBuf in, int size) {
        int missing = SIZE_PREFIX_BYTES + size - in.readableBytes();
        if (size > RESERVE_WHOLE_FRAME_ABOVE && in.refCnt() == 1 && !in.isReadOnly() && in.writableBytes() < missing) {
            in.discardReadBytes();
            in.ensureWritable(missing);
        }
    }
}
