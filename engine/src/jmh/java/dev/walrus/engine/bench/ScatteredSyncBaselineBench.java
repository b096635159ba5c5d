package dev.walrus.engine.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * The physical limit of group commit in this layout, without the engine: one thread writes 100 B into each of
 * {@code regions} places 1 MiB apart in a mapped sparse file (as many topics' blocks), then fdatasyncs. Score:
 * fsync rounds per second; appends per second is that times {@code regions}. With one region the fsync writes one
 * page; with 64 it writes 64 scattered pages, which this disk does no faster than one by one.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@State(Scope.Thread)
public class ScatteredSyncBaselineBench {

    @Param({"1", "64"})
    public int regions;

    Path dir;
    FileChannel channel;
    Arena arena;
    MemorySegment mapping;
    byte[] payload = Workload.payload(100);
    long offset;

    @Setup(Level.Iteration)
    public void open() throws IOException {
        dir = Workload.freshDir("scattered");
        channel = FileChannel.open(dir.resolve("file"), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        long length = 64L << 20;
        channel.write(ByteBuffer.allocate(1), length - 1);
        arena = Arena.ofShared();
        mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, length, arena);
        offset = 0;
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        arena.close();
        channel.close();
        Workload.delete(dir);
    }

    @Benchmark
    public long round() throws IOException {
        for (int r = 0; r < regions; r++) {
            MemorySegment.copy(payload, 0, mapping, ValueLayout.JAVA_BYTE, ((long) r << 20) + offset, payload.length);
        }
        offset = (offset + 112) & ((1 << 20) - 1);
        channel.force(false);
        return offset;
    }
}
