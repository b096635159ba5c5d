package dev.walrus.engine;

import dev.walrus.engine.alloc.SegmentFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Shared fixtures: small geometries so tests roll blocks and files quickly, and helpers over the data directory. */
final class TestEngines {

    static final int BLOCK = 4096;

    private TestEngines() {}

    /** 4 KiB blocks, four blocks per file, no fsync: every test can roll blocks and files with a few entries. */
    static WalrusConfig.Builder small(Path dir) {
        return WalrusConfig.builder().dataDir(dir).blockSize(BLOCK).fileSize(4L * BLOCK)
                .fsync(FsyncSchedule.none());
    }

    static Walrus openSmall(Path dir) {
        return Walrus.open(small(dir).build());
    }

    static List<Path> segmentFiles(Path dir) {
        try (var s = Files.list(dir)) {
            return s.filter(p -> SegmentFiles.idOf(p) >= 0).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(Entry e) {
        return new String(e.bytes(), StandardCharsets.UTF_8);
    }

    static byte[] filled(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }
}
