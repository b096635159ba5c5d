package dev.walrus.kafka.log;

import dev.walrus.engine.ReadResult;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.RecordsSend;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Record batches as zero-copy views of the engine's mapped files, for a fetch response. The response encoder writes
 * each view as its own buffer and closes this (releasing the files) once the network layer has sent them.
 */
public final class EntryRecords implements BaseRecords, AutoCloseable {

    private final ReadResult source;
    private final List<ByteBuffer> batches;
    private final int sizeInBytes;

    EntryRecords(ReadResult source, List<ByteBuffer> batches) {
        this.source = source;
        this.batches = List.copyOf(batches);
        int size = 0;
        for (ByteBuffer b : batches) {
            size += b.remaining();
        }
        this.sizeInBytes = size;
    }

    /** The batches, each a read-only view positioned at its first byte. */
    public List<ByteBuffer> batches() {
        return batches;
    }

    /**
     * The same read with only {@code kept} of its batches (a share fetch returns the batches holding records it
     * acquired, KIP-932). The result owns the mapped files: close it, not this.
     */
    public EntryRecords keepOnly(List<ByteBuffer> kept) {
        return new EntryRecords(source, kept);
    }

    @Override
    public int sizeInBytes() {
        return sizeInBytes;
    }

    /** Not used: the adapter's encoder writes the views directly (the network layer does the sending). */
    @Override
    public RecordsSend<? extends BaseRecords> toSend() {
        throw new UnsupportedOperationException("EntryRecords are written by the adapter's response encoder");
    }

    @Override
    public void close() {
        source.close();
    }

    @Override
    public String toString() {
        return "EntryRecords(" + batches.size() + " batches, " + sizeInBytes + " bytes)";
    }
}
