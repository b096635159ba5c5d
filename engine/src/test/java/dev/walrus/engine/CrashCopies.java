package dev.walrus.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Copies a live data directory as a crash would leave it (minus the lock), and cleans up. */
final class CrashCopies {

    private CrashCopies() {}

    static void copy(Path from, Path to) {
        try {
            Files.createDirectories(to);
            try (var s = Files.list(from)) {
                for (Path p : s.toList()) {
                    if (!p.getFileName().toString().equals(Walrus.LOCK_FILE)) {
                        Files.copy(p, to.resolve(p.getFileName()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
