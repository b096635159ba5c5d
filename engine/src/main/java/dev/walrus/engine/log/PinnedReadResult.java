package dev.walrus.engine.log;

import dev.walrus.engine.Entry;
import dev.walrus.engine.ReadResult;
import dev.walrus.engine.alloc.SegmentFile;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** A {@link ReadResult} holding one pin per file its entries view; {@link #close()} releases them once. */
final class PinnedReadResult implements ReadResult {

    private final List<Entry> entries;
    private final long nextPosition;
    private final List<SegmentFile> pins;
    private final AtomicBoolean closed = new AtomicBoolean();

    PinnedReadResult(List<Entry> entries, long nextPosition, List<SegmentFile> pins) {
        this.entries = entries;
        this.nextPosition = nextPosition;
        this.pins = pins;
    }

    @Override
    public List<Entry> entries() {
        return entries;
    }

    @Override
    public long nextPosition() {
        return nextPosition;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            for (SegmentFile f : pins) {
                f.unpin();
            }
        }
    }
}
