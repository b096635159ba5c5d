package dev.walrus.broker.testing;

import dev.walrus.broker.net.RequestHandler;
import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.ResponseFrame;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A request handler for testing the network layer on its own: the adapter's role played by a script, so a test can
 * complete responses out of order, hold them, or fail them, which the real adapter does only by timing.
 *
 * <p>Every request is recorded ({@link Request}); its answer is decided by {@code answer}, which may return an
 * incomplete future to complete later. The default echo answer is a response frame whose body is the request's
 * correlation id followed by the request's bytes after the header's first 8.
 */
public final class ScriptedHandler implements RequestHandler {

    /** One request as the network layer handed it over. */
    public record Request(long connectionId, int correlationId, byte[] frame, CompletableFuture<ResponseFrame> response) {}

    private final Function<Request, ResponseFrame> answer;
    private final boolean hold;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Long> closedConnections = new ConcurrentLinkedQueue<>();
    public final AtomicInteger releases = new AtomicInteger();

    private ScriptedHandler(Function<Request, ResponseFrame> answer, boolean hold) {
        this.answer = answer;
        this.hold = hold;
    }

    /** Answers every request at once with {@link #echo}. */
    public static ScriptedHandler echoing() {
        return new ScriptedHandler(null, false);
    }

    /** Answers at once with whatever {@code answer} returns. */
    public static ScriptedHandler answering(Function<Request, ResponseFrame> answer) {
        return new ScriptedHandler(answer, false);
    }

    /** Holds every request until the test completes its future (see {@link #requests()}). */
    public static ScriptedHandler holding() {
        return new ScriptedHandler(null, true);
    }

    @Override
    public CompletableFuture<ResponseFrame> handle(RequestContext context, ByteBuffer frame) {
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        int correlationId = bytes.length >= 8 ? ByteBuffer.wrap(bytes).getInt(4) : -1;
        Request request = new Request(context.connectionId(), correlationId, bytes, new CompletableFuture<>());
        requests.add(request);
        if (!hold) {
            request.response().complete(answer != null ? answer.apply(request) : echo(request));
        }
        return request.response();
    }

    @Override
    public void connectionClosed(long connectionId) {
        closedConnections.add(connectionId);
    }

    public List<Request> requests() {
        return requests;
    }

    public boolean sawClose(long connectionId) {
        return closedConnections.contains(connectionId);
    }

    /** A response frame carrying the request's correlation id, in a direct buffer as the adapter's would be. */
    public ResponseFrame.Send echo(Request request) {
        ByteBuffer sizeAndId = ByteBuffer.allocateDirect(8).putInt(4 + Math.max(0, request.frame().length - 8))
                .putInt(request.correlationId()).flip();
        ByteBuffer body = ByteBuffer.allocateDirect(Math.max(0, request.frame().length - 8));
        if (request.frame().length > 8) {
            body.put(request.frame(), 8, request.frame().length - 8).flip();
        }
        return new ResponseFrame.Send(List.of(sizeAndId, body), releases::incrementAndGet);
    }

    /** A request frame with this correlation id: an ApiVersions-looking header and {@code bodyBytes} of filler. */
    public static byte[] frameWithCorrelationId(int correlationId, int bodyBytes) {
        ByteBuffer frame = ByteBuffer.allocate(8 + bodyBytes).putShort((short) 18).putShort((short) 0).putInt(correlationId);
        for (int i = 0; i < bodyBytes; i++) {
            frame.put((byte) i);
        }
        return frame.array();
    }
}
