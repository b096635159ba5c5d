package dev.walrus.engine.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.engine.FsyncSchedule;
import dev.walrus.engine.Walrus;
import dev.walrus.engine.WalrusConfig;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Holes of sparse files are found without reading them, and recovery still finds every block past them. */
class DataSeekerTest {

    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void shouldJumpOverAHoleToTheNextDataAndReportTheHoleAtTheEnd() throws Exception {
        Path file = dir.resolve("sparse.dat");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(64 * MIB);
            f.seek(0);
            f.write(new byte[] {1});
            f.seek(10 * MIB + 100);
            f.write(new byte[] {2});
        }
        try (DataSeeker seeker = DataSeeker.open(file)) {
            assertThat(seeker.nextData(0)).isZero();
            long next = seeker.nextData(4096);
            assertThat(next).as("the next data is the block holding offset 10 MiB + 100")
                    .isBetween(8 * MIB, 10 * MIB + 100);
            assertThat(seeker.nextData(11 * MIB)).as("nothing but hole after the last data").isEqualTo(-1);
        }
    }

    @Test
    void shouldRecoverEveryEntryFromADirectoryOfMostlyEmptyFilesLeftByRestarts() {
        WalrusConfig config = WalrusConfig.builder().dataDir(dir).fsync(FsyncSchedule.none()).build();
        // every open puts new blocks in a new (64 MiB, mostly hole) file while the old ones stay live
        for (int start = 0; start < 6; start++) {
            try (Walrus w = Walrus.open(config)) {
                for (String topic : new String[] {"a", "b"}) {
                    w.append(topic, (topic + start).getBytes());
                }
            }
        }
        try (Walrus w = Walrus.open(config)) {
            assertThat(w.recoveryDamage()).isEmpty();
            for (String topic : new String[] {"a", "b"}) {
                var entries = w.readBatch(topic, Integer.MAX_VALUE, false);
                assertThat(entries).hasSize(6);
                for (int start = 0; start < 6; start++) {
                    assertThat(new String(entries.get(start).bytes())).isEqualTo(topic + start);
                }
            }
        }
    }
}
