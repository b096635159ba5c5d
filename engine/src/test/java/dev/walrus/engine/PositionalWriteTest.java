package dev.walrus.engine;

import static dev.walrus.engine.TestEngines.filled;
import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.engine.alloc.PositionalWriter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Entries of at least a page from direct buffers are written with {@code pwrite} (the Kafka adapter's batches), the
 * others through the mapping. Both kinds in one topic, one block, one file: every entry reads back whole, in order,
 * right after its append and after a reopen, and a small entry after a large one never zero-fills over it.
 */
class PositionalWriteTest {

    @TempDir
    Path dir;

    @BeforeEach
    void pwriteIsAvailableHere() {
        assertThat(PositionalWriter.available()).as("pwrite through FFM on this Linux machine").isTrue();
    }

    private WalrusConfig config() {
        return WalrusConfig.builder().dataDir(dir).blockSize(64 * 1024).fileSize(1024 * 1024)
                .fsync(FsyncSchedule.none()).build();
    }

    private static ByteBuffer direct(byte[] data) {
        return ByteBuffer.allocateDirect(data.length).put(data).flip();
    }

    @Test
    void shouldReadBackMixedPositionalAndMappedEntriesBeforeAndAfterReopening() {
        Random random = new Random(42);
        List<byte[]> written = new ArrayList<>();
        List<Long> positions = new ArrayList<>();
        try (Walrus w = Walrus.open(config())) {
            for (int i = 0; i < 600; i++) {
                // sizes around the threshold, up to a few pages, and small ones between them
                int size = switch (i % 4) {
                    case 0 -> 4096 + random.nextInt(12 * 1024);
                    case 1 -> random.nextInt(300);
                    case 2 -> 4090 + random.nextInt(12);
                    default -> 1000 + random.nextInt(3000);
                };
                byte[] data = filled(size, i);
                ByteBuffer source = i % 5 == 4 ? ByteBuffer.wrap(data) : direct(data);
                long p = w.append("mixed", source);
                assertThat(source.remaining()).as("the source's position does not move").isEqualTo(size);
                // visible as soon as append returns, whole
                assertThat(w.endPosition("mixed")).isGreaterThan(p);
                try (ReadResult r = w.read("mixed", p, 0)) {
                    assertThat(r.entries()).isNotEmpty();
                    assertThat(r.entries().getFirst().bytes()).as("entry %d right after its append", i).isEqualTo(data);
                }
                written.add(data);
                positions.add(p);
            }
            assertAll(w, written, positions);
        }
        try (Walrus w = Walrus.open(config())) {
            assertThat(w.recoveryDamage()).isEmpty();
            assertAll(w, written, positions);
        }
    }

    @Test
    void shouldKeepAPositionalEntryIntactWhenSmallEntriesFollowItInTheSameBlock() {
        byte[] large = filled(20_000, 7);
        List<byte[]> small = new ArrayList<>();
        try (Walrus w = Walrus.open(config())) {
            w.append("t", filled(10, 1)); // the block starts through the mapping, zero-filled ahead
            w.append("t", direct(large));
            for (int i = 0; i < 200; i++) { // through the mapping again, past the large entry
                byte[] s = filled(100 + i, 100 + i);
                w.append("t", s);
                small.add(s);
            }
            List<Entry> entries = w.readBatch("t", Integer.MAX_VALUE, false);
            assertThat(entries).hasSize(202);
            assertThat(entries.get(1).bytes()).isEqualTo(large);
            for (int i = 0; i < small.size(); i++) {
                assertThat(entries.get(2 + i).bytes()).isEqualTo(small.get(i));
            }
        }
    }

    private static void assertAll(Walrus w, List<byte[]> written, List<Long> positions) {
        List<Entry> entries = w.readBatch("mixed", Integer.MAX_VALUE, false);
        assertThat(entries).hasSameSizeAs(written);
        for (int i = 0; i < written.size(); i++) {
            assertThat(entries.get(i).position()).isEqualTo(positions.get(i));
            assertThat(entries.get(i).bytes()).as("entry %d", i).isEqualTo(written.get(i));
        }
    }
}
