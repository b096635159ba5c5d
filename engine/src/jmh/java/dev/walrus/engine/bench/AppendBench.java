package dev.walrus.engine.bench;

import dev.walrus.engine.FsyncSchedule;
import dev.walrus.engine.Walrus;
import dev.walrus.engine.WalrusConfig;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Appends with {@code none()}: each iteration writes {@link Workload#entries} entries in total into a fresh engine,
 * split evenly over the JMH threads. With as many topics as threads or more, each thread owns its topics (thread t
 * writes topics t, t + threads, ...); with fewer, the threads share them. Score: ms per iteration.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(1)
@State(Scope.Benchmark)
public class AppendBench {

    @Param({"100", "1024"})
    public int size;

    @Param({"1", "8"})
    public int topics;

    Walrus walrus;
    Path dir;
    int perThread;
    int threads;

    @Setup(Level.Iteration)
    public void open(BenchmarkParams params) {
        dir = Workload.freshDir("append");
        walrus = Walrus.open(WalrusConfig.builder().dataDir(dir).fsync(FsyncSchedule.none()).build());
        threads = params.getThreads();
        perThread = Workload.entries(size) / threads;
    }

    @TearDown(Level.Iteration)
    public void close() {
        walrus.close();
        Workload.delete(dir);
    }

    @State(Scope.Thread)
    public static class Writer {
        byte[] payload;
        String[] mine;

        @Setup(Level.Iteration)
        public void open(AppendBench bench, ThreadParams thread) {
            payload = Workload.payload(bench.size);
            int t = thread.getThreadIndex();
            if (bench.topics >= bench.threads) {
                mine = new String[bench.topics / bench.threads];
                for (int i = 0; i < mine.length; i++) {
                    mine[i] = "topic-" + (t + i * bench.threads);
                }
            } else {
                mine = new String[bench.topics];
                for (int i = 0; i < mine.length; i++) {
                    mine[i] = "topic-" + i;
                }
            }
        }
    }

    @Benchmark
    public long append(Writer writer) {
        Walrus w = walrus;
        byte[] payload = writer.payload;
        String[] mine = writer.mine;
        int n = mine.length;
        long last = 0;
        for (int i = 0, k = 0; i < perThread; i++) {
            last = w.append(mine[k], payload);
            if (++k == n) {
                k = 0;
            }
        }
        return last;
    }
}
