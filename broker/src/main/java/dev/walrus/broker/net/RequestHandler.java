package dev.walrus.broker.net;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.ResponseFrame;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * What the network layer serves: the Kafka adapter in the broker ({@code KafkaAdapter::handle}). The network layer
 * knows frames, order and connections, never the protocol.
 *
 * <p>Threading: both methods are called on the connection's event loop and must not block.
 */
public interface RequestHandler {

    /** Handles one request frame (without its size prefix); the buffer is valid only during this call. */
    CompletableFuture<ResponseFrame> handle(RequestContext context, ByteBuffer frame);

    /** The connection is gone: drop whatever is kept for it. */
    void connectionClosed(long connectionId);
}
