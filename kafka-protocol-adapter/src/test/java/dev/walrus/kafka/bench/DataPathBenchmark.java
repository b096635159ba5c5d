package dev.walrus.kafka.bench;

import dev.walrus.kafka.ResponseFrame;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.testing.AdapterHarness;
import dev.walrus.kafka.testing.Requests;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * The adapter's own cost per request, without network or client: produce 16 KiB batches of 100 B records (acks=1
 * and acks=all) and fetch them back, through {@link dev.walrus.kafka.KafkaAdapter#handle}. Prints figures; asserts
 * nothing about time (tagged {@code benchmark}, excluded from the normal test run).
 *
 * <p>Run: {@code ./mvnw -q -o -pl kafka-protocol-adapter -am test -Dtest=DataPathBenchmark -Dexcluded.test.groups=
 * -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("benchmark")
class DataPathBenchmark {

    private static final int BATCHES = Integer.getInteger("bench.batches", 20_000);
    private static final int RECORDS_PER_BATCH = 150;

    @TempDir
    Path dir;

    @Test
    void measureProduceAndFetch() {
        try (AdapterHarness broker = new AdapterHarness(dir)) {
            TopicInfo topic = broker.createTopic("bench", 1);
            MemoryRecords batch = batchOf100ByteRecords();
            run(broker, batch, (short) 1, "warm-up acks=1");
            run(broker, batch, (short) 1, "produce acks=1");
            run(broker, batch, (short) -1, "produce acks=all");
            fetchAll(broker, topic, "fetch (warm-up)");
            fetchAll(broker, topic, "fetch");
            long t0 = System.nanoTime();
            broker.restart();
            System.out.printf("restart with %d batches (%d MiB): %.0f ms%n", BATCHES * 3,
                    (long) BATCHES * 3 * batch.sizeInBytes() >> 20, (System.nanoTime() - t0) / 1e6);
        }
    }

    @Test
    void measureStartWithManyTopics() {
        try (AdapterHarness broker = new AdapterHarness(dir)) {
            int topics = Integer.getInteger("bench.topics", 5_000);
            for (int i = 0; i < topics; i++) {
                broker.createTopic("t" + i, 1);
            }
            for (int i = 0; i < topics; i += 10) {
                broker.send(ApiKeys.PRODUCE, (short) 12, Requests.produce("t" + i, 0, batchOf100ByteRecords(), (short) 1));
            }
            long t0 = System.nanoTime();
            broker.restart();
            System.out.printf("restart with %d topics (a tenth written): %.0f ms%n", topics, (System.nanoTime() - t0) / 1e6);
        }
    }

    private static void run(AdapterHarness broker, MemoryRecords batch, short acks, String label) {
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        CompletableFuture<?>[] pending = new CompletableFuture<?>[BATCHES];
        for (int i = 0; i < BATCHES; i++) {
            ByteBuffer frame = broker.frame(ApiKeys.PRODUCE, (short) 12,
                    Requests.produce("bench", 0, MemoryRecords.readableRecords(batch.buffer().duplicate()), acks));
            pending[i] = broker.adapter().handle(broker.context(), frame);
        }
        CompletableFuture.allOf(pending).join();
        report(label, t0, cpu0, (long) BATCHES * batch.sizeInBytes(), BATCHES);
    }

    private static void fetchAll(AdapterHarness broker, TopicInfo topic, String label) {
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        long offset = 0;
        long bytes = 0;
        int requests = 0;
        long end = (long) BATCHES * RECORDS_PER_BATCH * 3;
        while (offset < end) {
            FetchRequestData request = Requests.fetch(null, topic.id(), 0, offset, 1024 * 1024, 0, 0);
            ResponseFrame.Send send = (ResponseFrame.Send) AdapterHarness.await(
                    broker.adapter().handle(broker.context(), broker.frame(ApiKeys.FETCH, (short) 16, request)));
            int size = 0;
            for (ByteBuffer b : send.buffers()) {
                size += b.remaining();
            }
            ByteBuffer last = send.buffers().get(send.buffers().size() - 2);
            // The last batch's header gives the next offset (base offset + last offset delta + 1).
            offset = last.getLong(last.position()) + last.getInt(last.position() + 23) + 1;
            send.release().run();
            bytes += size;
            requests++;
        }
        report(label, t0, cpu0, bytes, requests);
    }

    private static void report(String label, long t0, long cpu0, long bytes, int requests) {
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuMs = (cpuNanos() - cpu0) / 1e6;
        System.out.printf("%-18s %8d requests %8.1f MiB/s %9.1f us/request wall, process CPU %.0f ms%n", label,
                requests, bytes / seconds / (1 << 20), seconds * 1e6 / requests, cpuMs);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static MemoryRecords batchOf100ByteRecords() {
        SimpleRecord[] records = new SimpleRecord[RECORDS_PER_BATCH];
        byte[] value = new byte[100];
        for (int i = 0; i < records.length; i++) {
            records[i] = new SimpleRecord(System.currentTimeMillis(), null, value);
        }
        return MemoryRecords.withRecords(Compression.NONE, records);
    }
}
