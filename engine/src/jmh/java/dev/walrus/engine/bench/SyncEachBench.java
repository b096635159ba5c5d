package dev.walrus.engine.bench;

import dev.walrus.engine.FsyncSchedule;
import dev.walrus.engine.Walrus;
import dev.walrus.engine.WalrusConfig;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable appends: {@code syncEach()}, 100 B, each writer thread on its own topic (as Kafka partitions) or all on one
 * topic. Every append
 * returns only once fsynced; concurrent writers share fsyncs (group commit). Run with 1, 8 and 64 threads. Score:
 * appends per second over all threads.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@State(Scope.Benchmark)
public class SyncEachBench {

    /** {@code true}: every writer on its own topic (Kafka partitions); {@code false}: all on one topic. */
    @org.openjdk.jmh.annotations.Param({"true", "false"})
    public boolean topicPerWriter;

    Walrus walrus;
    Path dir;
    final AtomicInteger topics = new AtomicInteger();

    @Setup(Level.Trial)
    public void open() {
        dir = Workload.freshDir("synceach");
        walrus = Walrus.open(WalrusConfig.builder().dataDir(dir).fsync(FsyncSchedule.syncEach()).build());
    }

    @TearDown(Level.Trial)
    public void close() {
        walrus.close();
        Workload.delete(dir);
    }

    @State(Scope.Thread)
    public static class Writer {
        String topic;
        byte[] payload = Workload.payload(100);

        @Setup(Level.Trial)
        public void open(SyncEachBench bench) {
            topic = bench.topicPerWriter ? "durable-" + bench.topics.getAndIncrement() : "durable";
        }
    }

    @Benchmark
    public long append(Writer writer) {
        return walrus.append(writer.topic, writer.payload);
    }
}
