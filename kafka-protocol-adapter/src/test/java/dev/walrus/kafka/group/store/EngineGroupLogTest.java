package dev.walrus.kafka.group.store;

import dev.walrus.engine.Walrus;
import dev.walrus.kafka.group.Group;
import dev.walrus.kafka.group.classic.ClassicGroup;
import dev.walrus.kafka.group.classic.ClassicMember;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EngineGroupLogTest {

    @TempDir
    Path dir;

    private static ClassicGroup group(String id, int generation) {
        ClassicMember member = new ClassicMember("m-" + generation, null, "client", "/h", 1000, 1000,
                List.of(new ClassicMember.Protocol("range", new byte[] {1})));
        return ClassicGroup.restore(id, generation, "consumer", "range", member.memberId(), 1_000L, List.of(member),
                List.of(new byte[0]));
    }

    @Test
    void shouldReplayTheLastSnapshotOfEachGroupAndForgetDeletedOnes() {
        try (Walrus engine = Walrus.open(dir)) {
            EngineGroupLog log = new EngineGroupLog(engine);
            log.save(group("a", 1));
            log.save(group("b", 1));
            log.save(group("a", 2));
            log.delete("b");
        }
        try (Walrus engine = Walrus.open(dir)) {
            Map<String, Group> replayed = new EngineGroupLog(engine).replay();

            assertThat(replayed).containsOnlyKeys("a");
            assertThat(((ClassicGroup) replayed.get("a")).generationId()).isEqualTo(2);
        }
    }

    @Test
    void shouldCompactToOneSnapshotPerLiveGroupAndReplayTheSame() {
        try (Walrus engine = Walrus.open(dir)) {
            EngineGroupLog log = new EngineGroupLog(engine);
            for (int generation = 1; generation <= 10_001; generation++) {
                log.save(group("busy", generation));
            }
            long before = engine.startPosition(EngineGroupLog.TOPIC);

            log.maybeCompact(List.of(group("busy", 10_001)));

            assertThat(engine.startPosition(EngineGroupLog.TOPIC)).isGreaterThan(before);
        }
        try (Walrus engine = Walrus.open(dir)) {
            Map<String, Group> replayed = new EngineGroupLog(engine).replay();

            assertThat(((ClassicGroup) replayed.get("busy")).generationId()).isEqualTo(10_001);
        }
    }

    @Test
    void shouldNotCompactASmallLog() {
        try (Walrus engine = Walrus.open(dir)) {
            EngineGroupLog log = new EngineGroupLog(engine);
            log.save(group("a", 1));
            log.save(group("a", 2));
            long before = engine.startPosition(EngineGroupLog.TOPIC);

            log.maybeCompact(List.of(group("a", 2)));

            assertThat(engine.startPosition(EngineGroupLog.TOPIC)).isEqualTo(before);
        }
    }
}
