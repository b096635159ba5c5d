package dev.walrus.kafka.log;

import dev.walrus.engine.Entry;
import dev.walrus.engine.ReadResult;
import dev.walrus.engine.Walrus;
import java.util.function.Function;

/**
 * Walks the batches of an engine topic in order, one bounded read at a time, until a visitor has its answer: how a
 * partition finds an offset's batch, the first record at a timestamp, what retention keeps or a truncation drops, and
 * how a cleaning pass gathers and copies its section. A visitor reads its entry's bytes only while it is called: the
 * read that holds them is closed before the walk moves on.
 */
final class EntryWalk {

    private EntryWalk() {}

    /**
     * Visits the entries of {@code topic} from {@code position} on, in order, until {@code visit} returns an answer
     * (not null), an entry lies beyond {@code last} (a position), or the topic ends; returns the answer, or null if
     * there was none. Reads {@code scanBytes} at a time.
     */
    static <R> R until(Walrus engine, String topic, long position, long last, int scanBytes,
                       Function<Entry, R> visit) {
        while (position <= last) {
            try (ReadResult scan = engine.read(topic, position, scanBytes)) {
                if (scan.entries().isEmpty()) {
                    return null;
                }
                for (Entry e : scan.entries()) {
                    if (e.position() > last) {
                        return null;
                    }
                    R answer = visit.apply(e);
                    if (answer != null) {
                        return answer;
                    }
                }
                position = scan.nextPosition();
            }
        }
        return null;
    }
}
