package dev.walrus.engine.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.walrus.engine.Eventually;
import dev.walrus.engine.format.FileHeader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The preparer zero-writes pages ahead of the allocation point, in a window that grows with the file's use, and never
 * where a writer holds a block: zero-writes are not content-preserving, so that is the rule that matters most.
 */
class PrepareAheadTest {

    private static final long FILE = 64L * 1024 * 1024;
    private static final long BLOCK = 1024 * 1024;

    @TempDir
    Path dir;

    @BeforeEach
    void preparingIsOnHere() {
        assertThat(BlockAllocator.PREPARE).as("pwrite through FFM on this Linux machine").isTrue();
    }

    private static void awaitPrepared(SegmentFile file, long upTo) throws InterruptedException {
        Eventually.await(() -> file.preparedUpTo() >= upTo);
    }

    @Test
    void shouldPreparePagesAheadOfTheAllocationPointButNotTheWholeFile() throws Exception {
        try (BlockAllocator allocator = new BlockAllocator(new SegmentFiles(dir), FILE, 1)) {
            BlockAllocator.Allocation a = allocator.allocate(BLOCK);
            awaitPrepared(a.file(), a.offset() + BLOCK + 1);
            assertThat(a.file().preparedUpTo()).isGreaterThan(a.offset() + BLOCK);
            assertThat(a.file().isPrepared(a.offset() + BLOCK, a.offset() + BLOCK + 4096)).isTrue();
            assertThat(a.file().isPrepared(a.offset(), a.offset() + 4096))
                    .as("the block allocated before any preparing is its writer's to zero-fill").isFalse();
            Thread.sleep(50);
            assertThat(a.file().preparedUpTo())
                    .isLessThanOrEqualTo(a.offset() + BLOCK + BlockAllocator.PREPARE_AHEAD)
                    .isLessThan(a.file().length());
        }
    }

    @Test
    void shouldGiveTheZerosNoBlockReachedBackAsAHoleAtClose() throws Exception {
        SegmentFile file;
        long allocatedUpTo;
        try (BlockAllocator allocator = new BlockAllocator(new SegmentFiles(dir), FILE, 1)) {
            BlockAllocator.Allocation a = allocator.allocate(BLOCK);
            a.file().zeroFill(a.offset(), BLOCK, null); // the writer's own zero-fill: its block is data
            file = a.file();
            allocatedUpTo = a.offset() + BLOCK;
            awaitPrepared(file, allocatedUpTo + 1);
            try (DataSeeker seeker = DataSeeker.open(file.path())) {
                assertThat(seeker.nextData(allocatedUpTo)).as("zero-written ahead: data").isEqualTo(allocatedUpTo);
            }
        }
        try (DataSeeker seeker = DataSeeker.open(file.path())) {
            assertThat(seeker.nextData(allocatedUpTo)).as("hole from the allocation point to the end of the file")
                    .isEqualTo(-1);
            assertThat(seeker.nextData(allocatedUpTo - BLOCK)).as("the block stays").isEqualTo(allocatedUpTo - BLOCK);
        }
        assertThat(java.nio.file.Files.size(file.path())).as("the file keeps its size").isEqualTo(file.length());
    }

    @Test
    void shouldKeepOnlyASmallWindowPreparedWhileLittleOfTheFileIsAllocated() throws Exception {
        try (BlockAllocator allocator = new BlockAllocator(new SegmentFiles(dir), FILE, 1)) {
            BlockAllocator.Allocation a = allocator.allocate(BLOCK);
            awaitPrepared(a.file(), a.offset() + BLOCK + 1);
            Thread.sleep(50);
            assertThat(a.file().preparedUpTo())
                    .isLessThanOrEqualTo(a.offset() + BLOCK + BlockAllocator.MIN_PREPARE_AHEAD);
        }
    }

    @Test
    void shouldWidenTheWindowToTheFullPrepareAheadOnceTheFileIsBusy() throws Exception {
        try (BlockAllocator allocator = new BlockAllocator(new SegmentFiles(dir), FILE, 1)) {
            BlockAllocator.Allocation last = null;
            for (int i = 0; i < 20; i++) {
                last = allocator.allocate(BLOCK);
            }
            long beyondHalfTheFullWindow = last.offset() + BLOCK + BlockAllocator.PREPARE_AHEAD / 2;
            awaitPrepared(last.file(), beyondHalfTheFullWindow);
            assertThat(last.file().preparedUpTo()).isGreaterThanOrEqualTo(beyondHalfTheFullWindow);
        }
    }

    @Test
    void shouldNeverZeroWriteABlockAWriterHolds() throws Exception {
        // small blocks, allocated fast by several threads, each filled at once with its own pattern through the
        // mapping while the preparer zero-writes ahead; a zero-write under a writer would show as lost bytes
        int blockSize = 16 * 1024;
        int threads = 4;
        int blocksPerThread = 3000;
        ConcurrentLinkedQueue<BlockAllocator.Allocation> done = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        try (BlockAllocator allocator = new BlockAllocator(new SegmentFiles(dir), 8L * 1024 * 1024, 1)) {
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                writers.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < blocksPerThread; i++) {
                            BlockAllocator.Allocation a = allocator.allocate(blockSize);
                            MemorySegment m = a.file().mapping();
                            for (long at = 0; at < blockSize; at += 8) {
                                m.set(ValueLayout.JAVA_LONG_UNALIGNED, a.offset() + at, pattern(a, at));
                            }
                            done.add(a);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread w : writers) {
                w.join();
            }
            assertThat(failures).isEmpty();
            Thread.sleep(100); // let a zero-write still under way finish: it must not land on anything either
            for (BlockAllocator.Allocation a : done) {
                MemorySegment m = a.file().mapping();
                for (long at = 0; at < blockSize; at += 8) {
                    long got = m.get(ValueLayout.JAVA_LONG_UNALIGNED, a.offset() + at);
                    if (got != pattern(a, at)) {
                        assertThat(got).as("%s at %d + %d", a.file().path().getFileName(), a.offset(), at)
                                .isEqualTo(pattern(a, at));
                    }
                }
            }
            assertThat(done).hasSize(threads * blocksPerThread);
        }
    }

    private static long pattern(BlockAllocator.Allocation a, long at) {
        return (a.file().id() << 48) ^ (a.offset() + at) ^ 0x5a5a5a5a5a5a5a5aL;
    }

    @Test
    void shouldHandOutTheSpareFileWhileThePreparerWritesItsWindow() throws Exception {
        try (BlockAllocator allocator = new BlockAllocator(new SegmentFiles(dir), 4 * BLOCK, 1)) {
            allocator.allocate(BLOCK);
            allocator.allocate(BLOCK);
            allocator.allocate(BLOCK); // past half: the spare is created (and prepared from its start)
            Eventually.await(allocator::hasSpare);
            assertThat(allocator.hasSpare()).isTrue();
            BlockAllocator.Allocation inSpare = allocator.allocate(2 * BLOCK); // does not fit: the spare takes it
            assertThat(inSpare.offset()).isEqualTo(FileHeader.BLOCKS_OFFSET);
            assertThat(inSpare.file().length()).isEqualTo(FileHeader.BLOCKS_OFFSET + 4 * BLOCK);
        }
    }

    @Test
    void shouldPrepareNothingAheadOfFirstBlocksEvenWhileFsyncsAreAwaited() throws Exception {
        try (BlockAllocator allocator = new BlockAllocator(new SegmentFiles(dir), FILE, 1, null, () -> true, () -> false)) {
            BlockAllocator.Allocation last = null;
            for (int i = 0; i < 20; i++) { // twenty new topics' first blocks
                last = allocator.allocate(BLOCK, BlockAllocator.Filling.FIRST_BLOCK);
            }
            Thread.sleep(100);
            assertThat(last.file().preparedUpTo()).as("no zeros written for topics that may never fill a block")
                    .isZero();

            BlockAllocator.Allocation rolled = allocator.allocate(BLOCK, BlockAllocator.Filling.POSITIONAL_WRITES);
            awaitPrepared(rolled.file(), rolled.offset() + BLOCK + 1);
            assertThat(rolled.file().isPrepared(rolled.offset() + BLOCK, rolled.offset() + BLOCK + 4096))
                    .as("a writer that filled a block is a sign the file fills with data").isTrue();
        }
    }

    @Test
    void shouldPrepareAheadOfPositionalWritersOnlyWhileFsyncsAreAwaited() throws Exception {
        AtomicBoolean awaited = new AtomicBoolean(false);
        try (BlockAllocator allocator = new BlockAllocator(new SegmentFiles(dir), FILE, 1, null, awaited::get, () -> false)) {
            BlockAllocator.Allocation quiet = allocator.allocate(BLOCK, BlockAllocator.Filling.POSITIONAL_WRITES);
            Thread.sleep(100);
            assertThat(quiet.file().preparedUpTo()).as("positional writers need no zeros ahead").isZero();

            awaited.set(true); // acks=all producers or syncEach writers are waiting for fsyncs
            BlockAllocator.Allocation durable = allocator.allocate(BLOCK, BlockAllocator.Filling.POSITIONAL_WRITES);
            awaitPrepared(durable.file(), durable.offset() + BLOCK + 1);
            assertThat(durable.file().isPrepared(durable.offset() + BLOCK, durable.offset() + BLOCK + 4096))
                    .as("the next block's pages are zero-written, and fdatasynced, before any writer gets there")
                    .isTrue();
        }
    }
}
