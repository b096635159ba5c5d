package dev.walrus.kafka;

import dev.walrus.engine.Walrus;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The whole Kafka protocol side of the broker: decodes a request frame, runs its handler on the engine and returns
 * the encoded response.
 *
 * <p>CONTRACT (written before the implementation). The broker opens the engine, then the adapter with the broker's
 * Kafka-style properties ({@code server.properties} keys, already validated by the broker's config layer:
 * {@code node.id}, {@code num.partitions}, {@code auto.create.topics.enable}, {@code message.max.bytes}, ...) and the
 * address clients should use to reach this node.
 *
 * <p>Threading: {@link #handle} is called on a network event-loop thread and must never block; handlers that wait
 * (fsync, long polls) complete the future later from another thread.
 */
public final class KafkaAdapter implements AutoCloseable {

    private KafkaAdapter() {}

    /**
     * @param engine the open engine; the adapter does not close it
     * @param brokerProperties Kafka broker config keys and values
     * @param advertisedHost host clients should connect to (Metadata, FindCoordinator)
     * @param advertisedPort port clients should connect to
     */
    public static KafkaAdapter open(Walrus engine, Map<String, String> brokerProperties, String advertisedHost, int advertisedPort) {
        throw new UnsupportedOperationException("adapter not implemented yet");
    }

    /**
     * Handles one request frame (without the 4-byte size prefix; the buffer is only valid during this call, so
     * handlers copy what they keep, e.g. produced record batches are appended before returning or copied).
     */
    public CompletableFuture<ResponseFrame> handle(RequestContext context, ByteBuffer frame) {
        throw new UnsupportedOperationException();
    }

    /** Called by the network layer when a connection closes (drops its fetch sessions, parked fetches, ...). */
    public void connectionClosed(long connectionId) {}

    @Override
    public void close() {}
}
