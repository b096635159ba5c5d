package dev.walrus.engine.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.engine.Eventually;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockAllocatorTest {

    private static final int BLOCK = 4096;

    @TempDir
    Path dir;

    private static void awaitFiles(SegmentFiles files, int count) throws InterruptedException {
        Eventually.await(() -> files.list().size() >= count);
    }

    @Test
    void shouldPrepareTheNextFileOnceTheActiveOneIsHalfAllocated() throws Exception {
        SegmentFiles files = new SegmentFiles(dir);
        try (BlockAllocator allocator = new BlockAllocator(files, 4L * BLOCK, 1)) {
            BlockAllocator.Allocation first = allocator.allocate(BLOCK);
            assertThat(files.list()).hasSize(1);
            allocator.allocate(BLOCK); // two of four blocks (plus the header page): past half
            Eventually.await(allocator::hasSpare);
            assertThat(files.list()).hasSize(2);
            allocator.allocate(BLOCK);
            allocator.allocate(BLOCK);
            BlockAllocator.Allocation fifth = allocator.allocate(BLOCK);
            assertThat(fifth.file()).isNotSameAs(first.file());
            assertThat(fifth.file().id()).isEqualTo(2);
            assertThat(first.file().isFullyAllocated()).isTrue();
        }
    }

    @Test
    void shouldGiveABlockLargerThanAFileAFileOfItsOwn() {
        SegmentFiles files = new SegmentFiles(dir);
        try (BlockAllocator allocator = new BlockAllocator(files, 4L * BLOCK, 1)) {
            BlockAllocator.Allocation big = allocator.allocate(10L * BLOCK);
            assertThat(big.file().length()).isGreaterThanOrEqualTo(10L * BLOCK);
            assertThat(big.offset()).isEqualTo(dev.walrus.engine.format.FileHeader.BLOCKS_OFFSET);
        }
    }

    @Test
    void shouldDeleteAnUnusedSpareFileOnClose() throws Exception {
        SegmentFiles files = new SegmentFiles(dir);
        BlockAllocator allocator = new BlockAllocator(files, 4L * BLOCK, 1);
        for (int i = 0; i < 3; i++) {
            allocator.allocate(BLOCK);
        }
        awaitFiles(files, 2);
        allocator.close();
        assertThat(files.list()).hasSize(1);
    }
}
