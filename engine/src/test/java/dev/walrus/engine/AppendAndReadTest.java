package dev.walrus.engine;

import static dev.walrus.engine.TestEngines.bytes;
import static dev.walrus.engine.TestEngines.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppendAndReadTest {

    @TempDir
    Path dir;

    @Test
    void shouldReturnStrictlyIncreasingPositionsAcrossBlocksAndFiles() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            long previous = -1;
            for (int i = 0; i < 500; i++) {
                long p = w.append("t", TestEngines.filled(100, i));
                assertThat(p).isGreaterThan(previous);
                previous = p;
            }
            assertThat(TestEngines.segmentFiles(dir).size()).isGreaterThan(1);
        }
    }

    @Test
    void shouldPeekWithoutCheckpointAndAdvanceWithCheckpoint() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            w.append("t", bytes("a"));
            w.append("t", bytes("b"));
            assertThat(w.readNext("t", false).map(TestEngines::text)).contains("a");
            assertThat(w.readNext("t", false).map(TestEngines::text)).contains("a");
            assertThat(w.readNext("t", true).map(TestEngines::text)).contains("a");
            assertThat(w.readNext("t", true).map(TestEngines::text)).contains("b");
            assertThat(w.readNext("t", true)).isEmpty();
        }
    }

    @Test
    void shouldSeeAnEntryAsSoonAsAppendReturns() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            for (int i = 0; i < 50; i++) {
                long p = w.append("t", bytes("e" + i));
                Optional<Entry> e = w.readNext("t", true);
                assertThat(e).isPresent();
                assertThat(e.get().position()).isEqualTo(p);
                assertThat(text(e.get())).isEqualTo("e" + i);
            }
        }
    }

    @Test
    void shouldReadBatchUpToMaxBytesButAtLeastOneEntry() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            for (int i = 0; i < 10; i++) {
                w.append("t", new byte[100]);
            }
            assertThat(w.readBatch("t", 350, false)).hasSize(3);
            assertThat(w.readBatch("t", 1, false)).hasSize(1);
            assertThat(w.readBatch("t", 10_000, true)).hasSize(10);
            assertThat(w.readBatch("t", 10_000, true)).isEmpty();
        }
    }

    @Test
    void shouldAppendByteBufferWithoutMovingItsPosition() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            ByteBuffer b = ByteBuffer.wrap(bytes("xxhello"));
            b.position(2);
            w.append("t", b);
            assertThat(b.position()).isEqualTo(2);
            assertThat(w.readNext("t", true).map(TestEngines::text)).contains("hello");
            ByteBuffer direct = ByteBuffer.allocateDirect(5).put(bytes("world")).flip();
            w.append("t", direct);
            assertThat(w.readNext("t", true).map(TestEngines::text)).contains("world");
        }
    }

    @Test
    void shouldStoreEmptyEntries() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            long p = w.append("t", new byte[0]);
            Entry e = w.readNext("t", true).orElseThrow();
            assertThat(e.position()).isEqualTo(p);
            assertThat(e.bytes()).isEmpty();
        }
    }

    @Test
    void shouldAppendBatchContiguouslyAndReturnFirstPosition() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            w.append("t", bytes("before"));
            long first = w.appendBatch("t", List.of(bytes("a"), bytes("b"), bytes("c")));
            List<Entry> all = w.readBatch("t", 10_000, true);
            assertThat(all).extracting(TestEngines::text).containsExactly("before", "a", "b", "c");
            assertThat(all.get(1).position()).isEqualTo(first);
        }
    }

    @Test
    void shouldGiveAnOversizedEntryABlockOfItsOwn() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            w.append("t", bytes("small"));
            byte[] big = TestEngines.filled(100_000, 7);
            long p = w.append("t", big);
            w.append("t", bytes("after"));
            List<Entry> all = w.readBatch("t", Integer.MAX_VALUE, true);
            assertThat(all).hasSize(3);
            assertThat(all.get(1).position()).isEqualTo(p);
            assertThat(all.get(1).bytes()).isEqualTo(big);
            assertThat(text(all.get(2))).isEqualTo("after");
        }
    }

    @Test
    void shouldKeepTopicsIndependent() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            w.append("a", bytes("a1"));
            w.append("b", bytes("b1"));
            w.append("a", bytes("a2"));
            assertThat(w.readBatch("a", 1000, true)).extracting(TestEngines::text).containsExactly("a1", "a2");
            assertThat(w.readBatch("b", 1000, true)).extracting(TestEngines::text).containsExactly("b1");
            assertThat(w.topics()).containsExactlyInAnyOrder("a", "b");
        }
    }

    @Test
    void shouldReturnReadOnlyDataViewAndIndependentByteCopies() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            w.append("t", bytes("abc"));
            Entry e = w.readNext("t", false).orElseThrow();
            assertThat(e.data().isReadOnly()).isTrue();
            assertThat(e.topic()).isEqualTo("t");
            byte[] copy = e.bytes();
            copy[0] = 'z';
            assertThat(text(e)).isEqualTo("abc");
        }
    }
}
