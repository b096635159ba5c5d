package dev.walrus.engine.alloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.walrus.engine.format.FileHeader;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PagePopulatorTest {

    private static final long FILE = 64L * 1024 * 1024;
    private static final long BLOCK = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void shouldPopulatePagesAheadOfTheAllocationPointButNotTheWholeFile() throws Exception {
        assumeThat(PagePopulator.available()).as("madvise(MADV_POPULATE_WRITE) on this kernel").isTrue();
        SegmentFiles files = new SegmentFiles(dir);
        try (BlockAllocator allocator = new BlockAllocator(files, FILE, 1)) {
            BlockAllocator.Allocation a = allocator.allocate(BLOCK);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (a.file().populatedUpTo() < a.offset() + BLOCK && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            assertThat(a.file().populatedUpTo()).isGreaterThanOrEqualTo(a.offset() + BLOCK);
            Thread.sleep(50);
            assertThat(a.file().populatedUpTo())
                    .isLessThanOrEqualTo(a.offset() + BLOCK + BlockAllocator.POPULATE_AHEAD)
                    .isLessThan(a.file().length());
        }
    }

    @Test
    void shouldKeepOnlyASmallWindowPopulatedWhileLittleOfTheFileIsAllocated() throws Exception {
        assumeThat(PagePopulator.available()).as("madvise(MADV_POPULATE_WRITE) on this kernel").isTrue();
        SegmentFiles files = new SegmentFiles(dir);
        try (BlockAllocator allocator = new BlockAllocator(files, FILE, 1)) {
            BlockAllocator.Allocation a = allocator.allocate(BLOCK);
            awaitPopulated(a.file(), a.offset() + BLOCK);
            Thread.sleep(50);

            assertThat(a.file().populatedUpTo())
                    .isLessThanOrEqualTo(a.offset() + BLOCK + BlockAllocator.MIN_POPULATE_AHEAD);
        }
    }

    @Test
    void shouldWidenTheWindowToTheFullPopulateAheadOnceTheFileIsBusy() throws Exception {
        assumeThat(PagePopulator.available()).as("madvise(MADV_POPULATE_WRITE) on this kernel").isTrue();
        SegmentFiles files = new SegmentFiles(dir);
        try (BlockAllocator allocator = new BlockAllocator(files, FILE, 1)) {
            BlockAllocator.Allocation last = null;
            for (int i = 0; i < 20; i++) {
                last = allocator.allocate(BLOCK);
            }
            long beyondHalfTheFullWindow = last.offset() + BLOCK + BlockAllocator.POPULATE_AHEAD / 2;
            awaitPopulated(last.file(), beyondHalfTheFullWindow);

            assertThat(last.file().populatedUpTo()).isGreaterThanOrEqualTo(beyondHalfTheFullWindow);
        }
    }

    private static void awaitPopulated(SegmentFile file, long upTo) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (file.populatedUpTo() < upTo && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
    }

    @Test
    void shouldLeaveTheFileContentsUnchangedWhenPopulating() {
        assumeThat(PagePopulator.available()).as("madvise(MADV_POPULATE_WRITE) on this kernel").isTrue();
        SegmentFiles files = new SegmentFiles(dir);
        SegmentFile file = files.create(1, FileHeader.BLOCKS_OFFSET + 4 * BLOCK);
        try {
            long at = FileHeader.BLOCKS_OFFSET + 12345;
            file.mapping().set(ValueLayout.JAVA_LONG_UNALIGNED, at, 0x0123456789abcdefL);
            byte[] header = file.mapping().asSlice(0, FileHeader.BLOCKS_OFFSET).toArray(ValueLayout.JAVA_BYTE);

            file.populateTo(file.length());

            assertThat(file.populatedUpTo()).isEqualTo(file.length());
            assertThat(file.mapping().get(ValueLayout.JAVA_LONG_UNALIGNED, at)).isEqualTo(0x0123456789abcdefL);
            assertThat(file.mapping().asSlice(0, FileHeader.BLOCKS_OFFSET).toArray(ValueLayout.JAVA_BYTE))
                    .isEqualTo(header);
            assertThat(file.mapping().get(ValueLayout.JAVA_LONG_UNALIGNED, at + 8)).isZero();
        } finally {
            file.closeMapping();
        }
    }

    @Test
    void shouldStopPopulatingAClosedFile() {
        SegmentFiles files = new SegmentFiles(dir);
        SegmentFile file = files.create(1, FileHeader.BLOCKS_OFFSET + 4 * BLOCK);
        file.closeMapping();

        file.populateTo(file.length());

        assertThat(file.populatedUpTo()).isZero();
    }
}
