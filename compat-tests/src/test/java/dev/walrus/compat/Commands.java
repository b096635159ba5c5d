package dev.walrus.compat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a child process to completion: stdin from a string, stdout and stderr into files (no pipe can fill up and
 * stall the child), killed if it outlives its timeout.
 */
public final class Commands {

    private Commands() {}

    public static CommandResult run(List<String> command, String stdin, Duration timeout) {
        return run(command, stdin, timeout, Map.of(), null);
    }

    public static CommandResult run(List<String> command, String stdin, Duration timeout, Map<String, String> env,
                                    Path workingDir) {
        Path dir = CompatSettings.newWorkDir("cmd");
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        ProcessBuilder builder = new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
        builder.environment().putAll(env);
        if (workingDir != null) {
            builder.directory(workingDir.toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + String.join(" ", command), e);
        }
        try {
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the child may exit before reading its input; its exit code and output tell the story
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command)
                    + "\n--- stdout ---\n" + read(out) + "\n--- stderr ---\n" + read(err));
            }
            CommandResult result = new CommandResult(command, process.exitValue(), read(out), read(err));
            Dirs.deleteRecursively(dir);
            return result;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** Fails (never skips) when a tool the suite needs is not installed: .ci/run installs it. */
    public static void requireOnPath(String tool, String installHint) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return;
            }
        }
        throw new AssertionError(tool + " is not installed (" + installHint + "); .ci/run installs it");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<unreadable: " + e + ">";
        }
    }
}
