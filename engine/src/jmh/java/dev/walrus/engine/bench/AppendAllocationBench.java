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

/**
 * One append per operation, for {@code -prof gc}: {@code gc.alloc.rate.norm} is then bytes allocated per append
 * (block rolls and file creation included, amortised). Retention keeps the disk bounded: every 2^20 appends the topic
 * is truncated to its end, so whole files delete themselves as they would under Kafka retention.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Thread)
public class AppendAllocationBench {

    @Param({"100", "1024"})
    public int size;

    Walrus walrus;
    Path dir;
    byte[] payload;
    long count;

    @Setup(Level.Iteration)
    public void open() {
        dir = Workload.freshDir("alloc");
        walrus = Walrus.open(WalrusConfig.builder().dataDir(dir).fsync(FsyncSchedule.none()).build());
        payload = Workload.payload(size);
    }

    @TearDown(Level.Iteration)
    public void close() {
        walrus.close();
        Workload.delete(dir);
    }

    @Benchmark
    public long append() {
        long p = walrus.append("t", payload);
        if ((++count & ((1 << 20) - 1)) == 0) {
            walrus.truncateBefore("t", p);
        }
        return p;
    }
}
