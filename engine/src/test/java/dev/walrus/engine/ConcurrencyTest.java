package dev.walrus.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrencyTest {

    private static final int THREADS = 8;
    private static final int TOPICS = 16;
    private static final int PER_THREAD = 3000;

    @TempDir
    Path dir;

    /** Payload: writer id, sequence, filler, then a CRC of all that, so a reader can prove it is intact. */
    static byte[] payload(int writer, int seq) {
        int filler = (seq * 7 + writer) % 300;
        ByteBuffer b = ByteBuffer.allocate(12 + filler);
        b.putInt(writer).putInt(seq);
        for (int i = 0; i < filler; i++) {
            b.put((byte) (writer + seq + i));
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 8 + filler);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    static void assertIntact(ByteBuffer data) {
        ByteBuffer b = data.duplicate();
        byte[] all = new byte[b.remaining()];
        b.get(all);
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 4);
        assertThat(ByteBuffer.wrap(all, all.length - 4, 4).getInt()).as("payload CRC").isEqualTo((int) crc.getValue());
    }

    @Test
    void shouldKeepEveryEntryOfManyThreadsOnManyTopicsInPerWriterOrder() throws Exception {
        try (Walrus w = Walrus.open(TestEngines.small(dir).blockSize(16 * 1024).fileSize(256 * 1024).build())) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int writer = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < PER_THREAD; i++) {
                        String topic = "topic-" + ((writer + i) % TOPICS);
                        if (i % 10 == 0) {
                            w.appendBatch(topic, List.of(payload(writer, i), payload(writer, i + 1)));
                            i++;
                        } else {
                            w.append(topic, payload(writer, i));
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            int[] lastSeq = new int[THREADS];
            long total = 0;
            for (int k = 0; k < TOPICS; k++) {
                java.util.Arrays.fill(lastSeq, -1);
                long previous = -1;
                for (Entry e : w.readBatch("topic-" + k, Integer.MAX_VALUE, false)) {
                    assertIntact(e.data());
                    assertThat(e.position()).isGreaterThan(previous);
                    previous = e.position();
                    ByteBuffer d = e.data();
                    int writer = d.getInt(0);
                    int seq = d.getInt(4);
                    assertThat(seq).isGreaterThan(lastSeq[writer]);
                    lastSeq[writer] = seq;
                    total++;
                }
            }
            assertThat(total).isEqualTo((long) THREADS * PER_THREAD);
        }
    }

    @Test
    void shouldServeTailReadsWhileWriting() throws Exception {
        try (Walrus w = TestEngines.openSmall(dir)) {
            int count = 20_000;
            AtomicLong seen = new AtomicLong();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    long pos = 0;
                    int expected = 0;
                    while (expected < count) {
                        try (ReadResult r = w.read("t", pos, 64 * 1024)) {
                            for (Entry e : r.entries()) {
                                assertIntact(e.data());
                                assertThat(e.data().getInt(4)).isEqualTo(expected);
                                expected++;
                            }
                            pos = r.nextPosition();
                        }
                        seen.set(expected);
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            });
            for (int i = 0; i < count; i++) {
                w.append("t", payload(0, i));
            }
            reader.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(failures).isEmpty();
            assertThat(seen.get()).isEqualTo(count);
        }
    }

    @Test
    void shouldWakeALongPollingConsumerForEveryAppend() throws Exception {
        try (Walrus w = TestEngines.openSmall(dir)) {
            int count = 2000;
            CountDownLatch done = new CountDownLatch(1);
            AtomicLong received = new AtomicLong();
            Thread consumer = Thread.ofPlatform().start(() -> {
                long pos = 0;
                while (received.get() < count) {
                    try {
                        w.awaitAppend("t", pos).get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        return;
                    }
                    try (ReadResult r = w.read("t", pos, 1 << 20)) {
                        received.addAndGet(r.entries().size());
                        pos = r.nextPosition();
                    }
                }
                done.countDown();
            });
            for (int i = 0; i < count; i++) {
                w.append("t", payload(1, i));
                if (i % 100 == 0) {
                    Thread.sleep(1);
                }
            }
            assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
            consumer.join();
            assertThat(received.get()).isEqualTo(count);
        }
    }

    @Test
    void shouldNeverServeGarbageWhileTruncatingUnderReadersAndWriters() throws Exception {
        try (Walrus w = TestEngines.openSmall(dir)) {
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            Thread writer = Thread.ofPlatform().start(() -> {
                for (int i = 0; !stop.get(); i++) {
                    w.append("t", payload(2, i));
                }
            });
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(Thread.ofPlatform().start(() -> {
                    try {
                        while (!stop.get()) {
                            long start = w.startPosition("t");
                            try (ReadResult res = w.read("t", start, 32 * 1024)) {
                                int previous = -1;
                                for (Entry e : res.entries()) {
                                    assertIntact(e.data());
                                    int seq = e.data().getInt(4);
                                    assertThat(seq).isGreaterThan(previous);
                                    previous = seq;
                                }
                            }
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < deadline) {
                w.truncateBefore("t", w.endPosition("t") - 20_000);
                Thread.sleep(5);
            }
            stop.set(true);
            writer.join();
            for (Thread r : readers) {
                r.join();
            }
            assertThat(failures).isEmpty();
            // retention really reclaims files: 20 KB of 4 KiB blocks span at most 3 files of 16 KiB, plus the active
            w.truncateBefore("t", w.endPosition("t") - 20_000);
            assertThat(TestEngines.segmentFiles(dir).size()).isLessThanOrEqualTo(4);
        }
    }
}
