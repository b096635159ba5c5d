package dev.walrus.engine.recovery;

import java.nio.file.Path;

/** Damage found at open: which file, where, how many bytes, and what was done about it (also logged as a WARN). */
public record Damage(Path file, long offset, long length, String what) {}
