package dev.walrus.engine.log;

import dev.walrus.engine.Entry;
import dev.walrus.engine.NamedReader;
import dev.walrus.engine.ReadConsistency;
import java.util.List;
import java.util.Optional;

/**
 * A reader of one topic with a persisted checkpoint: the default reader or a named one.
 *
 * <p>Reads copy the payload (these entries outlive any pin). Calls on one cursor are serialized by its monitor; the
 * checkpoint is persisted through the {@link CheckpointStore} under the topic's read consistency.
 */
public final class Cursor implements NamedReader {

    /** Persists checkpoints; {@code durable} means fsynced before return. */
    public interface CheckpointStore {
        void store(Cursor cursor, long position, byte[] attachment, boolean durable);

        ReadConsistency consistency(TopicLog topic);

        void checkUsable(Cursor cursor);
    }

    private static final byte[] NONE = new byte[0];

    private final TopicLog topic;
    private final String name;
    private final CheckpointStore store;
    private volatile long position;
    private volatile byte[] attachment;
    private int unpersisted;

    public Cursor(TopicLog topic, String name, long position, byte[] attachment, CheckpointStore store) {
        this.topic = topic;
        this.name = name;
        this.position = position;
        this.attachment = attachment == null ? NONE : attachment;
        this.store = store;
    }

    public TopicLog log() {
        return topic;
    }

    @Override
    public String topic() {
        return topic.name();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public byte[] attachment() {
        return attachment.clone();
    }

    @Override
    public synchronized Optional<Entry> readNext(boolean checkpoint) {
        store.checkUsable(this);
        List<Entry> entries = topic.readCopies(position, 0);
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        Entry e = entries.getFirst();
        if (checkpoint) {
            advance(e.nextPosition(), 1);
        }
        return Optional.of(e);
    }

    @Override
    public synchronized List<Entry> readBatch(int maxBytes, boolean checkpoint) {
        store.checkUsable(this);
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative, got " + maxBytes);
        }
        List<Entry> entries = topic.readCopies(position, maxBytes);
        if (checkpoint && !entries.isEmpty()) {
            advance(entries.getLast().nextPosition(), entries.size());
        }
        return entries;
    }

    private void advance(long to, int count) {
        position = to;
        switch (store.consistency(topic)) {
            case ReadConsistency.StrictlyAtOnce s -> store.store(this, to, attachment, true);
            case ReadConsistency.AtLeastOnce a -> {
                unpersisted += count;
                if (unpersisted >= a.persistEvery()) {
                    unpersisted = 0;
                    store.store(this, to, attachment, false);
                }
            }
        }
    }

    @Override
    public synchronized void commit(long position, byte[] attachment) {
        store.checkUsable(this);
        byte[] a = attachment == null ? NONE : attachment.clone();
        if (a.length > dev.walrus.engine.Walrus.MAX_ATTACHMENT_BYTES) {
            throw new IllegalArgumentException("attachment of " + a.length + " bytes exceeds "
                    + dev.walrus.engine.Walrus.MAX_ATTACHMENT_BYTES);
        }
        boolean durable = store.consistency(topic) instanceof ReadConsistency.StrictlyAtOnce;
        store.store(this, position, a, durable);
        this.position = position;
        this.attachment = a;
        unpersisted = 0;
    }

    /** Persists a checkpoint not yet persisted under at-least-once (on close). */
    public synchronized void persistPending() {
        if (unpersisted > 0) {
            unpersisted = 0;
            store.store(this, position, attachment, false);
        }
    }

    @Override
    public String toString() {
        return "Reader[" + topic.name() + "/" + name + "@" + position + "]";
    }
}
