package dev.walrus.engine.bench;

import dev.walrus.engine.Entry;
import dev.walrus.engine.FsyncSchedule;
import dev.walrus.engine.NamedReader;
import dev.walrus.engine.ReadConsistency;
import dev.walrus.engine.ReadResult;
import dev.walrus.engine.Walrus;
import dev.walrus.engine.WalrusConfig;
import java.nio.file.Path;
import java.util.List;
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
 * Reads a topic of {@link Workload#entries} entries from start to end, one thread, 1 MiB per call. {@code readBatch}:
 * the seed's API through a fresh named reader per iteration (copies, checkpointing every batch, at-least-once so the
 * checkpoint costs a metadata write but no fsync). {@code positional}: the Kafka adapter's zero-copy {@code read}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(1)
@State(Scope.Benchmark)
public class ReadBench {

    private static final int BATCH_BYTES = 1 << 20;

    @Param({"100", "1024"})
    public int size;

    Walrus walrus;
    Path dir;
    int iteration;

    @Setup(Level.Trial)
    public void fill() {
        dir = Workload.freshDir("read");
        walrus = Walrus.open(WalrusConfig.builder().dataDir(dir).fsync(FsyncSchedule.none())
                .readConsistency(ReadConsistency.atLeastOnce(1 << 30)).build());
        byte[] payload = Workload.payload(size);
        for (int i = 0; i < Workload.entries(size); i++) {
            walrus.append("r", payload);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        walrus.close();
        Workload.delete(dir);
    }

    @Benchmark
    public long readBatch() {
        NamedReader reader = walrus.reader("r", "reader-" + iteration++);
        long count = 0;
        for (;;) {
            List<Entry> batch = reader.readBatch(BATCH_BYTES, true);
            if (batch.isEmpty()) {
                break;
            }
            count += batch.size();
        }
        check(count);
        return count;
    }

    @Benchmark
    public long positional() {
        long position = walrus.startPosition("r");
        long count = 0;
        long bytes = 0;
        for (;;) {
            try (ReadResult r = walrus.read("r", position, BATCH_BYTES)) {
                if (r.entries().isEmpty()) {
                    break;
                }
                for (Entry e : r.entries()) {
                    bytes += e.data().remaining();
                }
                count += r.entries().size();
                position = r.nextPosition();
            }
        }
        check(count);
        return bytes;
    }

    private void check(long count) {
        if (count != Workload.entries(size)) {
            throw new IllegalStateException("read " + count + " entries, expected " + Workload.entries(size));
        }
    }
}
