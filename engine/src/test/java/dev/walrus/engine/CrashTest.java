package dev.walrus.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 at random moments: a child JVM appends with syncEach and prints each acknowledged append; after SIGKILL the
 * directory is reopened and every acknowledged entry must be there, at its position, in order, and no batch may be
 * partial. A few cycles run in the normal suite; many in the {@code soak} tag.
 */
class CrashTest {

    @TempDir
    Path dir;

    private record Ack(String topic, long position, long id, int count) {}

    @Test
    void shouldKeepEveryAcknowledgedEntryAcrossAFewKills() throws Exception {
        runCycles(3, new Random(42));
    }

    @Test
    @Tag("soak")
    void shouldKeepEveryAcknowledgedEntryAcrossManyKills() throws Exception {
        runCycles(Integer.getInteger("walrus.crash.cycles", 60), new Random());
    }

    private void runCycles(int cycles, Random random) throws Exception {
        List<Ack> acked = new ArrayList<>();
        for (int cycle = 0; cycle < cycles; cycle++) {
            acked.addAll(runChildUntilKilled(cycle * 10_000_000L, random.nextInt(300)));
            verify(acked);
        }
        assertThat(acked).isNotEmpty();
    }

    private List<Ack> runChildUntilKilled(long firstId, int millis) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", CrashChild.class.getName(), dir.toString(),
                Long.toString(firstId))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<Ack> acks = new ArrayList<>();
        java.util.concurrent.CountDownLatch opened = new java.util.concurrent.CountDownLatch(1);
        Thread pump = Thread.ofPlatform().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    String[] f = line.split(" ");
                    if (f.length == 5 && f[0].equals("ACK")) {
                        synchronized (acks) {
                            acks.add(new Ack(f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), Integer.parseInt(f[4])));
                        }
                        opened.countDown();
                    }
                }
            } catch (java.io.IOException ignored) {
                // the child died mid-line: that line was not an acknowledgement we can hold it to
            }
        });
        // wait for the first acknowledgement (start-up and a first fsync can be slow on a busy machine)
        assertThat(opened.await(60, TimeUnit.SECONDS)).as("child acknowledged a first append").isTrue();
        Thread.sleep(millis); // the random moment
        child.destroyForcibly(); // SIGKILL
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        pump.join();
        synchronized (acks) {
            return new ArrayList<>(acks);
        }
    }

    private void verify(List<Ack> acked) {
        try (Walrus w = Walrus.open(WalrusConfig.builder().dataDir(dir).blockSize(8192).fileSize(64 * 1024)
                .fsync(FsyncSchedule.none()).build())) {
            Map<String, Map<Long, Entry>> byPosition = new HashMap<>();
            for (int t = 0; t < CrashChild.TOPICS; t++) {
                String topic = "crash-" + t;
                Map<Long, Entry> entries = new HashMap<>();
                Map<Long, Integer> batchParts = new HashMap<>();
                Map<Long, Integer> batchCounts = new HashMap<>();
                long previous = -1;
                for (Entry e : w.readBatch(topic, Integer.MAX_VALUE, false)) {
                    assertThat(e.position()).isGreaterThan(previous);
                    previous = e.position();
                    entries.put(e.position(), e);
                    String s = new String(e.bytes(), StandardCharsets.ISO_8859_1);
                    String head = s.substring(0, s.indexOf(':', s.indexOf(':') + 1) + 1);
                    long id = Long.parseLong(head.substring(0, head.indexOf(':')));
                    int count = Integer.parseInt(head.substring(head.indexOf('/') + 1, head.length() - 1));
                    int index = Integer.parseInt(head.substring(head.indexOf(':') + 1, head.indexOf('/')));
                    assertThat(e.bytes()).as("intact payload of %s", head).isEqualTo(CrashChild.payload(id, index, count));
                    batchParts.merge(id, 1, Integer::sum);
                    batchCounts.put(id, count);
                }
                batchParts.forEach((id, parts) -> assertThat(parts).as("entries of batch %d", id)
                        .isEqualTo(batchCounts.get(id)));
                byPosition.put(topic, entries);
            }
            for (Ack a : acked) {
                Entry first = byPosition.get(a.topic()).get(a.position());
                assertThat(first).as("acknowledged %s", a).isNotNull();
                assertThat(first.bytes()).isEqualTo(CrashChild.payload(a.id(), 0, a.count()));
                long p = first.nextPosition();
                for (int i = 1; i < a.count(); i++) {
                    Entry next = byPosition.get(a.topic()).get(p);
                    assertThat(next).as("entry %d of acknowledged batch %s", i, a).isNotNull();
                    assertThat(next.bytes()).isEqualTo(CrashChild.payload(a.id(), i, a.count()));
                    p = next.nextPosition();
                }
            }
        }
    }
}
