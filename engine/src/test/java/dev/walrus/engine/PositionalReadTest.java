package dev.walrus.engine;

import static dev.walrus.engine.TestEngines.bytes;
import static dev.walrus.engine.TestEngines.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PositionalReadTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadFromAnExactEntryPosition() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            w.append("t", bytes("a"));
            long b = w.append("t", bytes("b"));
            w.append("t", bytes("c"));
            try (ReadResult r = w.read("t", b, 1000)) {
                assertThat(r.entries()).extracting(TestEngines::text).containsExactly("b", "c");
                assertThat(r.entries().getFirst().position()).isEqualTo(b);
                assertThat(r.nextPosition()).isEqualTo(w.endPosition("t"));
            }
        }
    }

    @Test
    void shouldReadTheFirstEntryAfterAPositionInsideAnEntry() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            long a = w.append("t", new byte[50]);
            long b = w.append("t", bytes("b"));
            try (ReadResult r = w.read("t", a + 1, 1000)) {
                assertThat(r.entries().getFirst().position()).isEqualTo(b);
            }
        }
    }

    @Test
    void shouldFindEveryEntryByPositionAcrossManyBlocks() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            List<Long> positions = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                positions.add(w.append("t", bytes("entry-" + i + "|" + "-".repeat(i % 37))));
            }
            for (int i = 0; i < positions.size(); i += 7) {
                try (ReadResult r = w.read("t", positions.get(i), 0)) {
                    assertThat(r.entries()).hasSize(1);
                    assertThat(r.entries().getFirst().position()).isEqualTo(positions.get(i));
                    assertThat(text(r.entries().getFirst())).startsWith("entry-" + i + "|");
                    assertThat(r.nextPosition()).isEqualTo(i + 1 < positions.size() ? positions.get(i + 1)
                            : w.endPosition("t"));
                }
            }
        }
    }

    @Test
    void shouldReturnNothingAtTheEndPosition() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            w.append("t", bytes("a"));
            long end = w.endPosition("t");
            try (ReadResult r = w.read("t", end, 1000)) {
                assertThat(r.entries()).isEmpty();
                assertThat(r.nextPosition()).isEqualTo(end);
            }
        }
    }

    @Test
    void shouldIncludeTheFirstEntryWhateverItsSizeAndStopBeforePassingMaxBytes() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            long first = w.append("t", new byte[300]);
            w.append("t", new byte[300]);
            w.append("t", new byte[300]);
            try (ReadResult r = w.read("t", first, 10)) {
                assertThat(r.entries()).hasSize(1);
            }
            try (ReadResult r = w.read("t", first, 650)) {
                assertThat(r.entries()).hasSize(2);
            }
        }
    }

    @Test
    void shouldStartAtStartPositionWhenAskedForEarlierPositions() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            assertThat(w.startPosition("t")).isZero();
            assertThat(w.endPosition("t")).isZero();
            long a = w.append("t", bytes("a"));
            assertThat(w.startPosition("t")).isEqualTo(a);
            try (ReadResult r = w.read("t", -100, 1000)) {
                assertThat(r.entries()).extracting(TestEngines::text).containsExactly("a");
            }
        }
    }

    @Test
    void shouldReadNothingFromAnUnknownTopic() {
        try (Walrus w = TestEngines.openSmall(dir); ReadResult r = w.read("nope", 5, 100)) {
            assertThat(r.entries()).isEmpty();
            assertThat(r.nextPosition()).isEqualTo(5);
            assertThat(w.topics()).isEmpty();
        }
    }

    @Test
    void shouldKeepViewsValidUntilTheResultIsClosed() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            w.append("t", bytes("hello"));
            ReadResult r = w.read("t", 0, 100);
            var view = r.entries().getFirst().data();
            assertThat(view.isDirect()).isTrue();
            byte[] b = new byte[view.remaining()];
            view.get(b);
            assertThat(new String(b)).isEqualTo("hello");
            r.close();
            r.close(); // closing twice is harmless
        }
    }

    @Test
    void shouldRejectNegativeMaxBytes() {
        try (Walrus w = TestEngines.openSmall(dir)) {
            assertThatThrownBy(() -> w.read("t", 0, -1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maxBytes");
        }
    }
}
