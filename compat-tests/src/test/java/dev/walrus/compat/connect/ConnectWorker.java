package dev.walrus.compat.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.walrus.compat.ChildJvm;
import dev.walrus.compat.Dirs;
import dev.walrus.compat.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A Kafka Connect distributed worker ({@code ConnectDistributed}) in a child JVM with the test classpath, its REST API
 * on a free loopback port, and a small REST client for it. The worker keeps its properties file, its REST port and
 * its group across {@link #stop()} and {@link #start()}, so a restart is the same worker coming back.
 */
final class ConnectWorker implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path home;
    private final int restPort;
    private final Path properties;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;

    ConnectWorker(Path home, String bootstrapServers, Map<String, String> settings) {
        this.home = home;
        this.restPort = FreePorts.next();
        this.properties = home.resolve("worker.properties");
        Map<String, String> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("listeners", "http://127.0.0.1:" + restPort);
        props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        // The test's connectors are on the classpath, named in META-INF/services (KIP-898 manifests).
        props.put("plugin.discovery", "service_load");
        props.putAll(settings);
        try {
            Files.createDirectories(home);
            Files.writeString(properties, props.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("\n", "", "\n")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path logFile() {
        return home.resolve("worker.log");
    }

    /** Starts the worker and waits until {@code GET /health} answers 200 (the herder has joined its group). */
    ConnectWorker start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running, pid " + process.pid());
        }
        appendToLog("---- start worker on REST port " + restPort + " ----");
        process = ChildJvm.withTestClasspath()
                .jvmOption("-Xmx512m")
                .jvmOption("-Dorg.slf4j.simpleLogger.defaultLogLevel=info")
                .jvmOption("-Dorg.slf4j.simpleLogger.showDateTime=true")
                .mainClass("org.apache.kafka.connect.cli.ConnectDistributed")
                .args(properties.toString())
                .start(logFile());
        awaitUntil(READY_TIMEOUT, "the worker's /health to answer 200", () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("worker exited with code " + process.exitValue() + "; log "
                        + logFile() + ":\n" + Dirs.tail(logFile(), 60));
            }
            return get("/health").statusCode() == 200;
        }, () -> Dirs.tail(logFile(), 60));
        return this;
    }

    /** Graceful stop: SIGTERM, which stops the connectors and tasks (a source task commits its offsets), then exit. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("worker did not exit within 60 s of SIGTERM; log:\n" + Dirs.tail(logFile(), 60));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code PUT /connectors/<name>/config}: creates the connector or changes its configuration. */
    HttpResponse<String> putConnectorConfig(String name, Map<String, String> config) {
        try {
            return send(HttpRequest.newBuilder(uri("/connectors/" + name + "/config"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config))).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code GET /connectors/<name>/status}, or null while the worker does not know the connector yet. */
    JsonNode status(String name) {
        HttpResponse<String> response = get("/connectors/" + name + "/status");
        return response.statusCode() == 200 ? json(response) : null;
    }

    /** {@code GET /connectors/<name>/offsets}: the offsets the worker has committed for the connector. */
    JsonNode offsets(String name) {
        HttpResponse<String> response = get("/connectors/" + name + "/offsets");
        if (response.statusCode() != 200) {
            throw new AssertionError("GET offsets of " + name + " answered " + response.statusCode() + ": " + response.body());
        }
        return json(response);
    }

    /** Waits until the connector and each of its {@code tasks} tasks are RUNNING on this worker. */
    JsonNode awaitRunning(String name, int tasks) {
        JsonNode[] last = new JsonNode[1];
        awaitUntil(READY_TIMEOUT, "connector " + name + " and its " + tasks + " task(s) RUNNING", () -> {
            JsonNode status = status(name);
            last[0] = status;
            if (status == null || !"RUNNING".equals(status.path("connector").path("state").asText())
                    || status.path("tasks").size() != tasks) {
                return false;
            }
            for (JsonNode task : status.path("tasks")) {
                if (!"RUNNING".equals(task.path("state").asText())) {
                    return false;
                }
            }
            return true;
        }, () -> last[0] + "\nworker log:\n" + Dirs.tail(logFile(), 40));
        return last[0];
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("REST call " + request + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + restPort + path);
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void appendToLog(String line) {
        try {
            Files.writeString(logFile(), line + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls {@code condition} (a REST call refused while the worker starts counts as false) until it holds. */
    static void awaitUntil(Duration timeout, String what, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (UncheckedIOException notYet) {
                // the REST listener is not up yet
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; state: " + state.get());
    }
}
