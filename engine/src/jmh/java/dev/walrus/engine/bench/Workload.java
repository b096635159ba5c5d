package dev.walrus.engine.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Fixed volumes per iteration, the same as the shared Chronicle Queue anchor (perf/engine-anchor) so the numbers sit
 * side by side: 1,000,000 entries of 100 B, 300,000 of 1 KiB, written into a fresh directory each iteration.
 */
final class Workload {

    private Workload() {}

    static int entries(int size) {
        return switch (size) {
            case 100 -> 1_000_000;
            case 1024 -> 300_000;
            default -> throw new IllegalArgumentException("no workload for entry size " + size);
        };
    }

    /** Random bytes (fixed seed): nothing can profit from zeros. */
    static byte[] payload(int size) {
        byte[] b = new byte[size];
        new Random(42).nextBytes(b);
        return b;
    }

    static Path freshDir(String prefix) {
        try {
            Path base = Path.of(System.getProperty("bench.dir", "/tmp"));
            Files.createDirectories(base);
            return Files.createTempDirectory(base, "walrus-bench-" + prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
