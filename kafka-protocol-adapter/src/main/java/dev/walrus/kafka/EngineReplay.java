package dev.walrus.kafka;

import dev.walrus.engine.Entry;
import dev.walrus.engine.ReadResult;
import dev.walrus.engine.Walrus;

import java.util.function.Consumer;

/**
 * Reads an engine topic whole, from its start to its end: how the metadata, group, transaction and producer-id logs
 * replay when the broker opens, and how a compacted partition's cleaned chain is read back.
 */
public final class EngineReplay {

    private static final int READ_CHUNK_BYTES = 1 << 20;

    private EngineReplay() {}

    /**
     * Hands each entry of {@code topic} to {@code action}, in order; nothing if the topic was never written. An entry's
     * data is valid only during the call ({@link Entry#bytes()} copies it).
     *
     * @return how many entries there were
     */
    public static long forEachEntry(Walrus engine, String topic, Consumer<Entry> action) {
        // a topic never written reads as empty: no need to list every engine topic (once per partition at start)
        long entries = 0;
        long position = engine.startPosition(topic);
        while (true) {
            try (ReadResult chunk = engine.read(topic, position, READ_CHUNK_BYTES)) {
                if (chunk.entries().isEmpty()) {
                    return entries;
                }
                for (Entry e : chunk.entries()) {
                    action.accept(e);
                    entries++;
                }
                position = chunk.nextPosition();
            }
        }
    }
}
