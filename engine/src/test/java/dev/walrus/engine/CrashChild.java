package dev.walrus.engine;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The child JVM of {@link CrashTest}: appends with syncEach from several threads until killed, printing one line per
 * acknowledged append: {@code ACK <topic> <position> <id> <count>} (a batch of {@code count} entries, or 1).
 *
 * <p>Entry payload: {@code <id>:<index>/<count>:} then filler of a length derived from the id, then the same header
 * again, so a verifier can rebuild exactly what each acknowledged append wrote. Every third single entry is over
 * 4 KiB and appended from a direct buffer, so positional writes meet the kill too.
 */
public final class CrashChild {

    static final int THREADS = 4;
    static final int TOPICS = 3;

    private CrashChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long firstId = Long.parseLong(args[1]);
        WalrusConfig config = WalrusConfig.builder().dataDir(dir).blockSize(8192).fileSize(64 * 1024)
                .fsync(FsyncSchedule.syncEach()).build();
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        Walrus w = Walrus.open(config);
        out.println("OPEN");
        out.flush();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            threads.add(Thread.ofPlatform().start(() -> {
                for (long n = 0; ; n++) {
                    long id = firstId + n * THREADS + thread;
                    String topic = "crash-" + (id % TOPICS);
                    int count = id % 5 == 0 ? 1 + (int) (id % 4) + 1 : 1;
                    long position;
                    if (count == 1 && id % 3 == 0) {
                        // a large entry from a direct buffer: the engine writes its payload with pwrite
                        byte[] p = payload(id, 0, 1);
                        position = w.append(topic, ByteBuffer.allocateDirect(p.length).put(p).flip());
                    } else if (count == 1) {
                        position = w.append(topic, payload(id, 0, 1));
                    } else {
                        List<byte[]> batch = new ArrayList<>();
                        for (int i = 0; i < count; i++) {
                            batch.add(payload(id, i, count));
                        }
                        position = w.appendBatch(topic, batch);
                    }
                    synchronized (out) {
                        out.println("ACK " + topic + " " + position + " " + id + " " + count);
                        out.flush();
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    static byte[] payload(long id, int index, int count) {
        String head = id + ":" + index + "/" + count + ":";
        // every third single entry is over 4 KiB (see main)
        int filler = (int) (id * 37 % 700) + (count == 1 && id % 3 == 0 ? 4096 : 0);
        ByteBuffer b = ByteBuffer.allocate(head.length() * 2 + filler);
        b.put(head.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < filler; i++) {
            b.put((byte) (id + i));
        }
        b.put(head.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }
}
