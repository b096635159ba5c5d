package dev.walrus.broker.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The broker as a separate process, for what only a process shows: the ready line, signals, exit codes. Either a JVM
 * of its own ({@code BrokerMain} on this test run's classpath, {@link #start(Path, String...)}) or any command that
 * runs it, such as {@code bin/walrus-broker} ({@link #start(ProcessBuilder)}; compat-tests' launcher test uses this
 * class through the broker module's test jar).
 */
public final class BrokerProcess implements AutoCloseable {

    public static final Pattern READY = Pattern.compile("Walrus Broker started on (\\S+):(\\d+) in (\\d+) ms");

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;

    private BrokerProcess(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.add(line);
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        }, "broker-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    public static BrokerProcess start(Path dataDir, String... extraArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"),
                "dev.walrus.broker.BrokerMain", "--port", "0", "--data-dir", dataDir.toString()));
        command.addAll(List.of(extraArgs));
        return start(new ProcessBuilder(command));
    }

    /** Starts {@code builder}'s command, which runs the broker; its standard error is merged into its output. */
    public static BrokerProcess start(ProcessBuilder builder) throws IOException {
        return new BrokerProcess(builder.redirectErrorStream(true).start());
    }

    /** Waits for the ready line and returns {@code host:port} from it. */
    public String awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                Matcher matcher = READY.matcher(line);
                if (matcher.find()) {
                    return matcher.group(1) + ":" + matcher.group(2);
                }
            }
            if (!process.isAlive() && lines.isEmpty()) {
                throw new AssertionError("the broker exited with " + process.exitValue() + " before it was ready:\n" + String.join("\n", output));
            }
        }
        throw new AssertionError("the broker did not print its ready line:\n" + String.join("\n", output));
    }

    /**
     * Sends SIGTERM and waits for the exit code. Through the process handle: {@link Process#destroy} would also close
     * our end of the output pipe, losing the lines the broker writes while it stops.
     */
    public int terminate() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the broker did not stop within 60 s of SIGTERM:\n" + String.join("\n", output));
        }
        reader.join(10_000); // the last lines, written just before the exit
        return process.exitValue();
    }

    public List<String> output() {
        return output;
    }

    /** Also stops what the command left running beside the broker (a launcher's background work), should a test fail. */
    @Override
    public void close() {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
