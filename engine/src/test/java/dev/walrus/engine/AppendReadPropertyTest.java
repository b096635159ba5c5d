package dev.walrus.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Combinators;

/** Properties of the format and recovery over arbitrary sequences of appends and batches. */
class AppendReadPropertyTest {

    /** One append: a topic (0..2) and the sizes of its entries (one size: a single append; more: a batch). */
    record Op(int topic, List<Integer> sizes) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> size = Arbitraries.oneOf(Arbitraries.integers().between(0, 64),
                Arbitraries.integers().between(65, 6000));
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 2),
                size.list().ofMinSize(1).ofMaxSize(4)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(120);
    }

    private record Written(long position, byte[] data) {}

    private static List<List<Written>> apply(Walrus w, List<Op> ops) {
        List<List<Written>> byTopic = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        int n = 0;
        for (Op op : ops) {
            List<byte[]> entries = new ArrayList<>();
            for (int s : op.sizes()) {
                entries.add(TestEngines.filled(s, n++));
            }
            String topic = "p" + op.topic();
            if (entries.size() == 1) {
                byTopic.get(op.topic()).add(new Written(w.append(topic, entries.getFirst()), entries.getFirst()));
            } else {
                w.appendBatch(topic, entries);
                // positions of batch members are read back below; record data only
                for (byte[] e : entries) {
                    byTopic.get(op.topic()).add(new Written(-1, e));
                }
            }
        }
        return byTopic;
    }

    @Property(tries = 25)
    void shouldReadBackEveryEntryInOrderAfterReopening(@ForAll("ops") List<Op> ops) throws IOException {
        Path dir = Files.createTempDirectory("walrus-prop");
        try {
            List<List<Written>> written;
            try (Walrus w = TestEngines.openSmall(dir)) {
                written = apply(w, ops);
            }
            try (Walrus w = TestEngines.openSmall(dir)) {
                for (int t = 0; t < 3; t++) {
                    List<Entry> read = w.readBatch("p" + t, Integer.MAX_VALUE, false);
                    List<Written> expected = written.get(t);
                    assertThat(read).hasSize(expected.size());
                    for (int i = 0; i < read.size(); i++) {
                        assertThat(read.get(i).bytes()).isEqualTo(expected.get(i).data());
                        if (expected.get(i).position() >= 0) {
                            assertThat(read.get(i).position()).isEqualTo(expected.get(i).position());
                        }
                    }
                }
            }
        } finally {
            CrashCopies.delete(dir);
        }
    }

    @Property(tries = 25)
    void shouldFindTheFirstEntryAtOrAfterAnyPosition(@ForAll("ops") List<Op> ops,
                                                     @ForAll("fractions") List<Double> probes) throws IOException {
        Path dir = Files.createTempDirectory("walrus-prop");
        try (Walrus w = TestEngines.openSmall(dir)) {
            apply(w, ops);
            for (int t = 0; t < 3; t++) {
                String topic = "p" + t;
                List<Entry> all = w.readBatch(topic, Integer.MAX_VALUE, false);
                long end = w.endPosition(topic);
                for (double f : probes) {
                    long p = (long) (f * (end + 10)) - 5;
                    Entry expected = all.stream().filter(e -> e.position() >= p).findFirst().orElse(null);
                    try (ReadResult r = w.read(topic, p, 0)) {
                        if (expected == null) {
                            assertThat(r.entries()).isEmpty();
                        } else {
                            assertThat(r.entries()).hasSize(1);
                            assertThat(r.entries().getFirst().position()).isEqualTo(expected.position());
                            assertThat(r.entries().getFirst().bytes()).isEqualTo(expected.bytes());
                        }
                    }
                }
            }
        } finally {
            CrashCopies.delete(dir);
        }
    }

    @Provide
    Arbitrary<List<Double>> fractions() {
        return Arbitraries.doubles().between(0, 1).list().ofMinSize(1).ofMaxSize(20);
    }
}
