package dev.walrus.broker.net;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.ResponseFrame;
import dev.walrus.kafka.quota.ConnectionQuotas;

import java.net.InetAddress;
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

    /**
     * Whether a new connection from {@code address} on {@code listener} is served (Kafka's connection limits), asked
     * before it reads anything; an admitted one is handed back to {@link #connectionReleased} when it closes.
     * {@code rateRecorded}: asked again after it was told to wait, so it is in the creation rates already.
     */
    default ConnectionQuotas.Admission admitConnection(String listener, InetAddress address, boolean rateRecorded) {
        return new ConnectionQuotas.Admission.Admitted();
    }

    /** An admitted connection closed. */
    default void connectionReleased(String listener, InetAddress address) {}
}
