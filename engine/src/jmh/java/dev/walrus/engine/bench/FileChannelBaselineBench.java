package dev.walrus.engine.bench;

import java.io.IOException;
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
 * The physical baseline in the same JVM: the same volume as {@link AppendBench} appended sequentially to one new file
 * with a plain {@link FileChannel}. {@code perEntry}: one write call per entry. {@code largeWrites}: entries gathered
 * into 1 MiB buffers, one write per buffer (the disk's sequential bandwidth through the page cache).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(1)
@State(Scope.Thread)
public class FileChannelBaselineBench {

    @Param({"100", "1024"})
    public int size;

    Path dir;
    FileChannel channel;
    ByteBuffer entry;
    ByteBuffer buffer;
    int entries;

    @Setup(Level.Iteration)
    public void open() throws IOException {
        dir = Workload.freshDir("filechannel");
        channel = FileChannel.open(dir.resolve("log"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        entry = ByteBuffer.allocateDirect(size).put(Workload.payload(size)).flip();
        buffer = ByteBuffer.allocateDirect(1 << 20);
        entries = Workload.entries(size);
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        channel.close();
        Workload.delete(dir);
    }

    @Benchmark
    public long perEntry() throws IOException {
        for (int i = 0; i < entries; i++) {
            write(entry.rewind());
        }
        return channel.position();
    }

    @Benchmark
    public long largeWrites() throws IOException {
        buffer.clear();
        for (int i = 0; i < entries; i++) {
            if (buffer.remaining() < size) {
                write(buffer.flip());
                buffer.clear();
            }
            buffer.put(entry.rewind());
        }
        write(buffer.flip());
        return channel.position();
    }

    private void write(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }
}
