package dev.walrus.compat;

import java.util.Arrays;
import java.util.List;

/** What a finished child process left behind. {@code toString} shows all of it, for assertion messages. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

    /** Non-blank stdout lines, trimmed. */
    public List<String> stdoutLines() {
        return Arrays.stream(stdout.split("\\R")).map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    @Override
    public String toString() {
        return "command " + String.join(" ", command) + "\nexit code " + exitCode
            + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
    }
}
