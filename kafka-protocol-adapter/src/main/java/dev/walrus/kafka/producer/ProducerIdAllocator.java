package dev.walrus.kafka.producer;

import dev.walrus.engine.Entry;
import dev.walrus.engine.ReadResult;
import dev.walrus.engine.Walrus;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Hands out producer ids that are never reused, even across a crash: ids come from blocks of {@value #BLOCK_SIZE}
 * (as Kafka's controller hands out blocks to brokers), and the end of each block is made durable in the engine
 * topic {@value #ENGINE_TOPIC} before any id of it is given out.
 *
 * <p>Threading: synchronized; the only wait (the fsync of a new block) is a future, never a blocked thread.
 */
public final class ProducerIdAllocator {

    public static final String ENGINE_TOPIC = "__walrus_producer_ids";
    static final int BLOCK_SIZE = 1000;

    private final Walrus engine;
    private long next;
    private long blockEnd;
    private CompletableFuture<Void> blockDurable = CompletableFuture.completedFuture(null);

    private ProducerIdAllocator(Walrus engine, long persistedEnd) {
        this.engine = engine;
        this.next = persistedEnd;
        this.blockEnd = persistedEnd;
    }

    /** Reads the last persisted block end: every id below it may have been given out before. */
    public static ProducerIdAllocator open(Walrus engine) {
        long end = 0;
        if (engine.topics().contains(ENGINE_TOPIC)) {
            long position = engine.startPosition(ENGINE_TOPIC);
            while (true) {
                try (ReadResult read = engine.read(ENGINE_TOPIC, position, 64 * 1024)) {
                    if (read.entries().isEmpty()) {
                        break;
                    }
                    for (Entry e : read.entries()) {
                        ByteBuffer data = e.data();
                        if (data.remaining() >= Long.BYTES) {
                            end = Math.max(end, data.getLong(data.position()));
                        }
                    }
                    position = read.nextPosition();
                }
            }
        }
        return new ProducerIdAllocator(engine, end);
    }

    /** The next producer id, available once the block it comes from is durable. */
    public synchronized CompletableFuture<Long> nextProducerId() {
        if (next == blockEnd) {
            blockEnd = next + BLOCK_SIZE;
            ByteBuffer record = ByteBuffer.allocate(Long.BYTES).putLong(0, blockEnd);
            long position = engine.append(ENGINE_TOPIC, record);
            blockDurable = engine.syncAsync();
            if (position > engine.startPosition(ENGINE_TOPIC)) {
                // Only the last block end matters; the older entries can go once this one is durable.
                blockDurable = blockDurable.thenRun(() -> engine.truncateBefore(ENGINE_TOPIC, position));
            }
        }
        long id = next++;
        return blockDurable.thenApply(v -> id);
    }
}
