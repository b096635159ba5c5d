package dev.walrus.engine;

import java.util.List;
import java.util.Optional;

/**
 * An independent cursor over one topic with its own persisted checkpoint (one per consumer group, say).
 *
 * <p>The checkpoint is a position plus an optional small attachment (at most {@link Walrus#MAX_ATTACHMENT_BYTES}),
 * persisted under the topic's {@link ReadConsistency}: with strictly-at-once, {@link #commit} and a checkpointing read
 * return only after the checkpoint is durable.
 */
public interface NamedReader {

    String topic();

    String name();

    /** The checkpointed position: where the next {@link #readNext} starts. */
    long position();

    /** The attachment stored with the last commit (empty array if none). */
    byte[] attachment();

    Optional<Entry> readNext(boolean checkpoint);

    List<Entry> readBatch(int maxBytes, boolean checkpoint);

    /** Sets the checkpoint to {@code position} with an attachment; any long is accepted and stored as given. */
    void commit(long position, byte[] attachment);
}
