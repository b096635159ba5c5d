package dev.walrus.engine;

import java.nio.ByteBuffer;

/**
 * One entry of a topic, as stored.
 *
 * <p>{@link #data()} is a read-only view; for entries returned by {@link Walrus#read} it is a zero-copy view of the
 * mapped file, valid until the owning {@link ReadResult} is closed. {@link #bytes()} always returns a fresh copy.
 */
public interface Entry {

    String topic();

    /** This entry's position: strictly increasing within a topic, stable across restarts. */
    long position();

    /** The position just after this entry: where a reader continues. */
    long nextPosition();

    /** A read-only view of the payload (position 0, limit = payload length). */
    ByteBuffer data();

    /** A copy of the payload. */
    byte[] bytes();
}
