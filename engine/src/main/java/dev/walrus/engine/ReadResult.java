package dev.walrus.engine;

import java.util.List;

/**
 * Entries read by position, as zero-copy views of the mapped files.
 *
 * <p>While a result is open the files behind its entries stay mapped, even if retention deletes them meanwhile;
 * {@link #close()} releases them. Closing twice is harmless.
 */
public interface ReadResult extends AutoCloseable {

    List<Entry> entries();

    /** Where the next read continues: after the last entry returned, or the requested position if none. */
    long nextPosition();

    @Override
    void close();
}
