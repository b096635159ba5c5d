package dev.walrus.kafka;

import dev.walrus.kafka.log.EntryRecords;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one response frame as a list of buffers: the header and every non-record field go into one heap buffer
 * sized in advance, and record data is not copied but added as buffers of its own (as kafka-clients' SendBuilder
 * does), so fetched batches go from the engine's mapped files to the socket untouched.
 *
 * <p>Not thread-safe; one per response.
 */
final class FrameWritable extends ByteBufferAccessor {

    private final ByteBuffer heap;
    private final List<ByteBuffer> buffers = new ArrayList<>();
    private final List<EntryRecords> toRelease = new ArrayList<>();
    private int sliceStart;

    /** @param heapBytes the bytes of everything but record data (size prefix, header, fields) */
    FrameWritable(int heapBytes) {
        this(ByteBuffer.allocate(heapBytes));
    }

    private FrameWritable(ByteBuffer heap) {
        super(heap);
        this.heap = heap;
    }

    @Override
    public void writeRecords(BaseRecords records) {
        switch (records) {
            case EntryRecords entries -> {
                toRelease.add(entries);
                if (entries.sizeInBytes() > 0) {
                    cutHeapSlice();
                    for (ByteBuffer b : entries.batches()) {
                        buffers.add(b.duplicate());
                    }
                }
            }
            case MemoryRecords memory -> {
                if (memory.sizeInBytes() > 0) {
                    cutHeapSlice();
                    buffers.add(memory.buffer().duplicate());
                }
            }
            default -> throw new IllegalArgumentException("cannot write records of type " + records.getClass().getName());
        }
    }

    private void cutHeapSlice() {
        if (heap.position() > sliceStart) {
            buffers.add(heap.slice(sliceStart, heap.position() - sliceStart));
        }
        sliceStart = heap.position();
    }

    /** The frame's buffers, in order; call once, after the whole message has been written. */
    List<ByteBuffer> finish() {
        if (heap.position() != heap.capacity()) {
            throw new IllegalStateException("response size mismatch: computed " + heap.capacity()
                    + " heap bytes, wrote " + heap.position());
        }
        cutHeapSlice();
        return buffers;
    }

    /** Releases the engine views written into this frame (run after they are sent). */
    Runnable release() {
        if (toRelease.isEmpty()) {
            return () -> { };
        }
        List<EntryRecords> held = List.copyOf(toRelease);
        return () -> held.forEach(EntryRecords::close);
    }
}
