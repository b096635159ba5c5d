package dev.walrus.engine.format;

/** The on-disk format version written by this engine, and the check that refuses files from a newer one. */
public final class FormatVersion {

    /** Version 1: the layout documented in docs/engine-format.md. */
    public static final int CURRENT = 1;

    private FormatVersion() {}

    /** Rejects a version this engine cannot read; the message names the file and both versions. */
    public static void checkReadable(int version, String what) {
        if (version > CURRENT) {
            throw new IllegalStateException(what + " has format version " + version
                    + ", newer than this engine's " + CURRENT + ": open it with a newer Walrus");
        }
        if (version < 1) {
            throw new IllegalStateException(what + " has invalid format version " + version);
        }
    }
}
