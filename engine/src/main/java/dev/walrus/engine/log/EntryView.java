package dev.walrus.engine.log;

import dev.walrus.engine.Entry;
import java.nio.ByteBuffer;

/** An {@link Entry}: a read-only view over either the mapped file (positional reads) or a heap copy. */
record EntryView(String topic, long position, long nextPosition, ByteBuffer view) implements Entry {

    @Override
    public ByteBuffer data() {
        return view.duplicate();
    }

    @Override
    public byte[] bytes() {
        byte[] copy = new byte[view.remaining()];
        view.duplicate().get(copy);
        return copy;
    }

    @Override
    public String toString() {
        return "Entry[" + topic + "@" + position + ", " + view.remaining() + " bytes]";
    }
}
