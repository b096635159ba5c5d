package dev.walrus.compat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A LazyFS mount (FUSE): every write stays in LazyFS's cache until fsynced, and {@link #clearCache()} drops whatever
 * was not, as a power cut would. Only file data is held back: creating, renaming and deleting files reach the disk
 * at once. Needs root, /dev/fuse and the lazyfs binary that {@code ../shared/tools/lazyfs/build.sh} builds; its path
 * comes from {@code -Dwalrus.compat.lazyfs=...} (default: where build.sh puts it under /tmp/lazyfs-build).
 */
public final class LazyFs implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final Path root;
    private final Path mount;
    private final Path commands;
    private final Path completions;
    private final Process process;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

    private LazyFs(Path root, Path mount, Path commands, Path completions, Process process) {
        this.root = root;
        this.mount = mount;
        this.commands = commands;
        this.completions = completions;
        this.process = process;
        Thread.ofPlatform().name("lazyfs-answers").daemon().start(this::readAnswers);
    }

    public static Path binary() {
        return Path.of(System.getProperty("walrus.compat.lazyfs", "/tmp/lazyfs-build/lazyfs-src/lazyfs/build/lazyfs"));
    }

    /** Mounts a fresh LazyFS with a cache of {@code cacheSize} (e.g. "512mb": larger than what the test writes). */
    public static LazyFs mount(String cacheSize) throws Exception {
        Path binary = binary();
        if (!Files.isExecutable(binary)) {
            throw new AssertionError("lazyfs not found at " + binary + ": build it with ../shared/tools/lazyfs/build.sh"
                + " (root, apt, about 2 min) or pass -Dwalrus.compat.lazyfs=/path/to/lazyfs");
        }
        Path root = CompatSettings.newWorkDir("lazyfs");
        Path backing = Files.createDirectories(root.resolve("backing"));
        Path mount = Files.createDirectories(root.resolve("mnt"));
        Path commands = root.resolve("faults.fifo");
        Path completions = root.resolve("faults-done.fifo");
        for (Path fifo : List.of(commands, completions)) {
            CommandResult made = Commands.run(List.of("mkfifo", fifo.toString()), null, Duration.ofSeconds(10));
            if (made.exitCode() != 0) {
                throw new IllegalStateException("mkfifo failed\n" + made);
            }
        }
        Path config = root.resolve("lazyfs.toml");
        Files.writeString(config, """
            [faults]
            fifo_path="%s"
            fifo_path_completed="%s"
            [cache]
            apply_eviction=false
            [cache.simple]
            custom_size="%s"
            blocks_per_page=1
            """.formatted(commands, completions, cacheSize));
        Process process = new ProcessBuilder(binary.toString(), mount.toString(), "--config-path", config.toString(),
                "-o", "modules=subdir", "-o", "subdir=" + backing, "-f")
            .redirectErrorStream(true)
            .redirectOutput(root.resolve("lazyfs.log").toFile())
            .start();
        LazyFs lazyFs = new LazyFs(root, mount, commands, completions, process);
        lazyFs.awaitMounted();
        return lazyFs;
    }

    /** The mounted directory: put the broker's data directory below it. */
    public Path mountPoint() {
        return mount;
    }

    /** Drops every write not yet fsynced (the power cut) and waits until LazyFS confirms. */
    public void clearCache() throws Exception {
        CompletableFuture.runAsync(() -> {
            try {
                Files.writeString(commands, "lazyfs::clear-cache\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        String answer = answers.poll(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (answer == null || !answer.contains("finished::clear-cache")) {
            throw new IllegalStateException("LazyFS answered '" + answer + "' to clear-cache; log:\n"
                + Dirs.tail(root.resolve("lazyfs.log"), 20));
        }
    }

    /**
     * LazyFS keeps the completion FIFO open for writing once it has answered, so one reader thread reads it line by
     * line for the life of the mount (opening it blocks until LazyFS opens its end).
     */
    private void readAnswers() {
        try (BufferedReader reader = Files.newBufferedReader(completions, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                answers.add(line);
            }
        } catch (IOException e) {
            answers.add("<completion FIFO failed: " + e + ">");
        }
    }

    @Override
    public void close() throws Exception {
        Commands.run(List.of("fusermount3", "-u", mount.toString()), null, Duration.ofSeconds(30));
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        Dirs.deleteRecursively(root);
    }

    private void awaitMounted() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);   // the cache is preallocated: ~5 s per GB
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("lazyfs exited with " + process.exitValue() + ":\n"
                    + Dirs.tail(root.resolve("lazyfs.log"), 30));
            }
            if (Files.readAllLines(Path.of("/proc/mounts")).stream().anyMatch(line -> line.contains(" " + mount + " "))) {
                return;
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new IllegalStateException("lazyfs did not mount " + mount + ":\n" + Dirs.tail(root.resolve("lazyfs.log"), 30));
    }
}
