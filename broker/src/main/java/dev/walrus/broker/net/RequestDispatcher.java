package dev.walrus.broker.net;

import dev.walrus.broker.metrics.RequestMetrics;
import dev.walrus.kafka.ResponseFrame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.timeout.IdleStateEvent;
import org.apache.kafka.common.protocol.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands each request frame of one connection to the {@link RequestHandler} and writes the answers back in request
 * order, whatever order their futures complete in. Holds no protocol logic.
 *
 * <p>Backpressure: at most {@code maxInFlight} requests are handed over and not yet answered; at that bound (or when
 * the socket's send buffer is full, or the server is draining) the connection stops reading, and frames already read
 * wait here, so memory per connection stays bounded. Reading resumes as answers go out.
 *
 * <p>Threading: every field is owned by the connection's event loop; futures completed elsewhere hop back onto it.
 * Those hops are batched: completions from other threads (an fsync completing several acks=all produces at once, an
 * append waking parked fetches) queue up, one task drains them all and the answers go out in one flush, so the
 * socket sees one {@code writev} and the loop one wake-up for the lot rather than one per response.
 */
final class RequestDispatcher extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

    private final RequestHandler handler;
    private final RequestMetrics metrics;
    private final Connections connections;
    private final int maxInFlight;
    private final long idleTimeoutMs;

    private final ArrayDeque<ByteBuf> waiting = new ArrayDeque<>();
    private final ArrayDeque<PendingRequest> inFlight = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Connection connection;
    /** The client id of the connection's first request, for log lines (clients keep one id per connection). */
    private String clientId;
    private boolean closing;
    private boolean closed;
    private boolean dispatching;
    private boolean reading;
    private boolean flushNeeded;
    /** Answers completed off the event loop, waiting for {@link #drainOffLoopCompletions}. */
    private final ConcurrentLinkedQueue<OffLoopCompletion> offLoop = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drainOffLoopCompletions;
    /** Set while draining: answers written meanwhile are flushed once at the end. */
    private boolean draining;
    /** Until when (System.nanoTime) no further request is read or dispatched: a throttled answer's mute (KIP-219). */
    private long mutedUntilNanos;
    private boolean muted;

    RequestDispatcher(RequestHandler handler, RequestMetrics metrics, Connections connections, int maxInFlight,
                      long idleTimeoutMs) {
        this.handler = handler;
        this.metrics = metrics;
        this.connections = connections;
        this.maxInFlight = maxInFlight;
        this.idleTimeoutMs = idleTimeoutMs;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.connection = Connection.of(ctx.channel());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        if (closing || closed) {
            frame.release();
            return;
        }
        reading = true;
        waiting.add(frame);
        dispatchWaiting();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reading = false;
        if (flushNeeded) {
            flushNeeded = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateAutoRead();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            // A connection waiting on a request of its own (a long poll) is not idle.
            if (inFlight.isEmpty() && waiting.isEmpty() && !closing) {
                log.info("Closing {}: idle for {} ms (connections.max.idle.ms)", describe(), idleTimeoutMs);
                close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!closing && !closed) {
            if (cause instanceof IOException) {
                log.info("Closing {}: {}", describe(), cause.getMessage());
            } else {
                log.warn("Closing {} after an unexpected error", describe(), cause);
            }
        }
        close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        for (ByteBuf frame; (frame = waiting.poll()) != null; ) {
            frame.release();
        }
        for (PendingRequest request : inFlight) {
            if (request.response instanceof ResponseFrame.Send send) {
                ResponseWriter.release(send);
            }
        }
        connections.requestsEnded(inFlight.size());
        inFlight.clear();
        try {
            handler.connectionClosed(connection.id());
        } catch (RuntimeException e) {
            log.warn("Cleaning up after {} failed", describe(), e);
        }
        ctx.fireChannelInactive();
    }

    // ---- dispatching -----------------------------------------------------------------------------------------------

    private void dispatchWaiting() {
        if (dispatching) {
            return;
        }
        dispatching = true;
        try {
            while (!closing && !closed && !muted && !waiting.isEmpty() && inFlight.size() < maxInFlight) {
                dispatch(waiting.poll());
            }
        } finally {
            dispatching = false;
        }
        updateAutoRead();
    }

    private void dispatch(ByteBuf frame) {
        PendingRequest request = PendingRequest.of(frame, System.nanoTime());
        if (clientId == null) {
            clientId = clientIdOf(frame);
        }
        inFlight.add(request);
        connections.requestStarted();
        CompletableFuture<ResponseFrame> future;
        try {
            future = handler.handle(connection.context(), frame.nioBuffer());
            if (future == null) {
                future = CompletableFuture.failedFuture(new IllegalStateException("the request handler returned no future"));
            }
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        } finally {
            frame.release();
        }
        future.whenComplete((response, failure) -> completeOnLoop(request, response, failure));
    }

    private void completeOnLoop(PendingRequest request, ResponseFrame response, Throwable failure) {
        EventLoop loop = ctx.channel().eventLoop();
        if (loop.inEventLoop()) {
            complete(request, response, failure);
            return;
        }
        offLoop.add(new OffLoopCompletion(request, response, failure));
        if (!drainScheduled.compareAndSet(false, true)) {
            return; // a drain is already scheduled and will see this one
        }
        try {
            loop.execute(drainTask);
        } catch (RejectedExecutionException e) {
            // The event loop is gone (the server stopped): nothing will write these responses.
            drainScheduled.set(false);
            for (OffLoopCompletion c; (c = offLoop.poll()) != null; ) {
                if (c.response instanceof ResponseFrame.Send send) {
                    ResponseWriter.release(send);
                }
            }
        }
    }

    /** Completes every answer queued by other threads, then flushes what that wrote once. */
    private void drainOffLoopCompletions() {
        // Cleared first: a completion queued after this point schedules another drain (at worst an empty one).
        drainScheduled.set(false);
        draining = true;
        try {
            for (OffLoopCompletion c; (c = offLoop.poll()) != null; ) {
                complete(c.request, c.response, c.failure);
            }
        } finally {
            draining = false;
        }
        if (flushNeeded && !reading && !closed) {
            flushNeeded = false;
            ctx.flush();
        }
    }

    private void complete(PendingRequest request, ResponseFrame response, Throwable failure) {
        if (closed) {
            if (response instanceof ResponseFrame.Send send) {
                ResponseWriter.release(send);
            }
            return;
        }
        request.finish(response, failure);
        writeCompletedInOrder();
        dispatchWaiting();
    }

    /** Writes every answer at the head of the queue that is ready; stops at the first one still pending. */
    private void writeCompletedInOrder() {
        boolean wrote = false;
        while (!closing && !inFlight.isEmpty() && inFlight.peek().done) {
            PendingRequest head = inFlight.poll();
            connections.requestsEnded(1);
            long nanos = System.nanoTime() - head.startNanos;
            if (head.failure != null) {
                metrics.record(head.apiKey, nanos, true);
                log.warn("Closing {}: request {} v{} (correlation id {}) failed", describe(), apiName(head.apiKey),
                        head.apiVersion, head.correlationId, head.failure);
                flushAndClose();
                return;
            }
            switch (head.response) {
                case ResponseFrame.Send send -> {
                    metrics.record(head.apiKey, nanos, false);
                    ResponseWriter.write(ctx, send);
                    wrote = true;
                    muteFor(send.muteMs());
                }
                case ResponseFrame.NoResponse none -> {
                    metrics.record(head.apiKey, nanos, false);
                    muteFor(none.muteMs());
                }
                case ResponseFrame.Close close -> {
                    metrics.record(head.apiKey, nanos, true);
                    // The adapter's reason names the request (API, correlation id, client id) itself.
                    log.warn("Closing {}: {}", connection, close.reason());
                    if (close.lastResponse() != null) {
                        ResponseWriter.write(ctx, close.lastResponse());
                    }
                    flushAndClose();
                    return;
                }
                case null -> throw new IllegalStateException("a request completed with no response frame");
            }
        }
        if (wrote) {
            if (reading || draining) {
                flushNeeded = true;
            } else {
                ctx.flush();
            }
        }
    }

    /**
     * Kafka mutes a connection for the throttle time of an answer over a client quota (KIP-219): it reads no further
     * request from it until then, so a client that ignores the throttle time, or an acks=0 producer that never sees
     * one, is held to its quota all the same. Requests already read wait too; answers already due still go out.
     */
    private void muteFor(int ms) {
        if (ms <= 0) {
            return;
        }
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        if (muted && until - mutedUntilNanos <= 0) {
            return; // an earlier mute lasts longer
        }
        mutedUntilNanos = until;
        if (!muted) {
            muted = true;
            updateAutoRead();
        }
        ctx.executor().schedule(this::unmuteIfDue, ms, TimeUnit.MILLISECONDS);
    }

    private void unmuteIfDue() {
        if (!muted || closed) {
            return;
        }
        long left = mutedUntilNanos - System.nanoTime();
        if (left > 0) {
            // a later, longer mute (its own task comes then), or a timer that fired a little early
            ctx.executor().schedule(this::unmuteIfDue, left, TimeUnit.NANOSECONDS);
            return;
        }
        muted = false;
        dispatchWaiting();
    }

    private void updateAutoRead() {
        if (closed) {
            return;
        }
        boolean read = !closing && !muted && !connections.draining() && waiting.isEmpty() && inFlight.size() < maxInFlight
                && ctx.channel().isWritable();
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    /** Closes after the answers already written (maybe waiting for the end of a read batch to be flushed) go out. */
    private void flushAndClose() {
        flushNeeded = false;
        ctx.flush();
        close();
    }

    private void close() {
        closing = true;
        ctx.close();
    }

    private String describe() {
        return clientId == null || clientId.isEmpty() ? connection.toString() : connection + " (client id " + clientId + ")";
    }

    private static String apiName(short apiKey) {
        return ApiKeys.hasId(apiKey) ? ApiKeys.forId(apiKey).name : "with unknown API key " + apiKey;
    }

    /**
     * The client id of a request header (v1 and later: key, version, correlation id, then an int16-length string,
     * not compact even in flexible headers), or "" when the frame is too short to hold one.
     */
    private static String clientIdOf(ByteBuf frame) {
        int start = frame.readerIndex();
        if (frame.readableBytes() < 10) {
            return "";
        }
        int length = frame.getShort(start + 8);
        if (length < 0 || frame.readableBytes() < 10 + length) {
            return "";
        }
        return frame.toString(start + 10, length, StandardCharsets.UTF_8);
    }

    /** An answer that completed on another thread, on its way to the event loop. */
    private record OffLoopCompletion(PendingRequest request, ResponseFrame response, Throwable failure) {}

    /** One request from arrival until its answer is written; the header fields are kept for metrics and logs. */
    private static final class PendingRequest {
        final short apiKey;
        final short apiVersion;
        final int correlationId;
        final long startNanos;
        boolean done;
        ResponseFrame response;
        Throwable failure;

        private PendingRequest(short apiKey, short apiVersion, int correlationId, long startNanos) {
            this.apiKey = apiKey;
            this.apiVersion = apiVersion;
            this.correlationId = correlationId;
            this.startNanos = startNanos;
        }

        static PendingRequest of(ByteBuf frame, long now) {
            int at = frame.readerIndex();
            int readable = frame.readableBytes();
            return new PendingRequest(readable >= 2 ? frame.getShort(at) : -1, readable >= 4 ? frame.getShort(at + 2) : -1,
                    readable >= 8 ? frame.getInt(at + 4) : -1, now);
        }

        void finish(ResponseFrame response, Throwable failure) {
            this.done = true;
            this.response = response;
            this.failure = failure;
        }
    }
}
