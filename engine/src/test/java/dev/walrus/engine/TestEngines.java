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

    /**
     * The directory's allocated bytes on disk ({@code du}: holes of sparse files take none), once they have stopped
     * changing (the preparer thread zero-writes, and punches holes, in the background). Without the disk reserve: a
     * fixed few megabytes whatever the engine holds, not a footprint of the data (see DiskSpace).
     */
    static long settledDiskUsage(Path dir) throws InterruptedException {
        long last = -1;
        for (int i = 0; i < 50; i++) {
            long now = diskUsage(dir);
            if (now == last) {
                return now;
            }
            last = now;
            Thread.sleep(100);
        }
        return last;
    }

    private static long diskUsage(Path dir) throws InterruptedException {
        try {
            Process du = new ProcessBuilder("du", "-s", "-B1",
                    "--exclude=" + dev.walrus.engine.space.DiskSpace.RESERVE_FILE, dir.toString()).redirectErrorStream(true).start();
            String out = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!du.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || du.exitValue() != 0) {
                throw new IllegalStateException("du " + dir + " failed: " + out);
            }
            return Long.parseLong(out.split("\\s+")[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
