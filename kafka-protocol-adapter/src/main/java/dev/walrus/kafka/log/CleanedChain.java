package dev.walrus.kafka.log;

import dev.walrus.engine.Walrus;
import dev.walrus.kafka.EngineReplay;

import java.nio.ByteBuffer;
import java.util.function.BiConsumer;

/**
 * The cleaned part of a compacted partition: the batches the log cleaner kept of every offset below
 * {@link #endOffset}, in an engine topic of their own, {@code <partition engine topic>.c<generation>}. A cleaning pass
 * writes a whole new generation (the previous one and the partition's older batches, filtered) and then swaps it in;
 * afterwards the chain only loses batches from the front (retention, DeleteRecords). The partition's own engine topic
 * holds the offsets from {@link #endOffset} on.
 *
 * <p>Why a chain of its own: the engine appends in position order and positions follow offsets, so the cleaned
 * batches, which keep their offsets, cannot go back into the partition's topic in front of newer ones. Writing them
 * elsewhere and truncating the partition's topic after them keeps every engine rule (and the coordination-free
 * deletion of files) as it is.
 *
 * <p>Immutable: a truncation makes a new instance. Readers use whichever instance they read from the partition.
 *
 * @param engineTopic the engine topic holding the batches
 * @param generation its generation (the first cleaning writes 1)
 * @param endOffset every offset below it lives here (or was cleaned away), every offset from it in the partition's
 *        own topic
 * @param index offset to position in {@link #engineTopic}
 * @param sizeInBytes bytes of the batches
 * @param startPosition the engine topic's first position
 * @param endPosition the engine topic's end position
 */
record CleanedChain(String engineTopic, int generation, long endOffset, OffsetIndex index, long sizeInBytes,
                    long startPosition, long endPosition) {

    /** The engine topic of one generation of a partition's cleaned chain. */
    static String engineTopic(String partitionTopic, int generation) {
        return partitionTopic + ".c" + generation;
    }

    /** Engine bytes the chain spans (entry framing included): the "clean" bytes of the dirty ratio. */
    long spanBytes() {
        return endPosition - startPosition;
    }

    /**
     * Reads a chain back from the engine (at start, and after a truncation), calling {@code onBatch} with each batch
     * and its position in order.
     */
    static CleanedChain scan(Walrus engine, String engineTopic, int generation, long endOffset,
                             BiConsumer<ByteBuffer, Long> onBatch) {
        OffsetIndex index = new OffsetIndex();
        long[] size = {0};
        EngineReplay.forEachEntry(engine, engineTopic, e -> {
            ByteBuffer b = e.data();
            index.onBatch(RecordBatchHeader.baseOffset(b), e.position(), b.remaining(), RecordBatchHeader.maxTimestamp(b));
            size[0] += b.remaining();
            onBatch.accept(b, e.position());
        });
        return new CleanedChain(engineTopic, generation, endOffset, index, size[0], engine.startPosition(engineTopic),
                engine.endPosition(engineTopic));
    }
}
