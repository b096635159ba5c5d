package dev.walrus.engine;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An append refused because the data directory's file system is full. Nothing of it was written, and every entry
 * appended before is still readable. Appends are accepted again, without a restart, as soon as space is freed (a
 * topic deleted, entries truncated, files removed by hand); until then each one is refused at once, without touching
 * the disk.
 */
public final class StorageFullException extends UncheckedIOException {

    public StorageFullException(String message, IOException cause) {
        super(message, cause);
    }
}
