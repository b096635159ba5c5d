package dev.walrus.engine.recovery;

import dev.walrus.engine.alloc.DataSeeker;
import dev.walrus.engine.alloc.SegmentFile;
import dev.walrus.engine.alloc.SegmentFiles;
import dev.walrus.engine.log.Block;
import dev.walrus.engine.meta.MetaState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds every topic chain from the segment files (see the numbered procedure in docs/engine-format.md).
 *
 * <p>Every existing file is mapped, its block headers found, and each block of a live topic incarnation scanned
 * entry by entry. Blocks of deleted incarnations count as checkpointed at once. Every recovered block is sealed. The
 * newest file that holds blocks takes new blocks after its last one ({@link SegmentFile#resumeAllocationAt}); every
 * other file is fully allocated, so after this the four counters decide deletion. Why resume: a start that always
 * began a new file left one more nearly empty file per restart, and each one costs every later start its scan.
 */
public final class Recovery {

    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    /** The recovered chain of one topic (blocks by ascending sequence, all sealed and scanned). */
    public record RecoveredTopic(String name, long incarnation, List<Block> blocks) {}

    /**
     * All recovered chains, the id the next new file takes, and the file new blocks go to first (null: a new file).
     */
    public record Result(Map<String, RecoveredTopic> topics, long nextFileId, SegmentFile resumedFile, int files,
                         int blocks, int entries, List<Damage> damage) {}

    private Recovery() {}

    public static Result run(SegmentFiles files, MetaState meta) {
        // Each file's hole finder, opened once for all of recovery's scans; the keys are the opened files, in order.
        Map<SegmentFile, DataSeeker> opened = new LinkedHashMap<>();
        try {
            return run(files, meta, opened);
        } finally {
            opened.values().forEach(DataSeeker::close);
        }
    }

    private static Result run(SegmentFiles files, MetaState meta, Map<SegmentFile, DataSeeker> opened) {
        long maxId = 0;
        Map<String, List<SegmentScanner.FoundBlock>> byTopic = new HashMap<>();
        int blockCount = 0;
        List<Damage> damage = new ArrayList<>();
        SegmentFile newestWithBlocks = null;
        long newestBlocksEnd = 0;
        for (Path path : files.list()) {
            SegmentFile file = files.open(path);
            DataSeeker seeker = DataSeeker.open(path);
            opened.put(file, seeker);
            maxId = Math.max(maxId, file.id());
            long blocksEnd = 0;
            for (SegmentScanner.FoundBlock b : SegmentScanner.scan(file, seeker, damage)) {
                file.blockRecovered();
                blockCount++;
                byTopic.computeIfAbsent(b.topic(), t -> new ArrayList<>()).add(b);
                blocksEnd = Math.max(blocksEnd, b.offset() + b.length());
            }
            if (blocksEnd > 0 && (newestWithBlocks == null || file.id() > newestWithBlocks.id())) {
                newestWithBlocks = file;
                newestBlocksEnd = blocksEnd;
            }
        }
        Map<String, RecoveredTopic> topics = new HashMap<>();
        int entries = 0;
        for (var e : byTopic.entrySet()) {
            String name = e.getKey();
            long deleted = meta.deletedIncarnation(name);
            long live = e.getValue().stream().mapToLong(SegmentScanner.FoundBlock::incarnation).max().orElse(0);
            List<SegmentScanner.FoundBlock> found = new ArrayList<>(e.getValue());
            found.sort(Comparator.comparingLong(SegmentScanner.FoundBlock::sequence));
            List<Block> chain = new ArrayList<>();
            long lastSequence = -1;
            for (SegmentScanner.FoundBlock f : found) {
                Block block = new Block(f.file(), f.offset(), f.length(), f.headerLength(), f.startPosition(),
                        f.sequence());
                if (f.incarnation() <= deleted || f.incarnation() != live || f.sequence() == lastSequence) {
                    block.checkpoint(); // a deleted (or superseded) incarnation, or a duplicate: nothing to read
                    continue;
                }
                lastSequence = f.sequence();
                entries += BlockScanner.scan(block, opened.get(f.file()), damage).entries();
                chain.add(block);
            }
            if (!chain.isEmpty()) {
                topics.put(name, new RecoveredTopic(name, live, chain));
            }
        }
        SegmentFile resumed = newestWithBlocks != null
                && newestWithBlocks.resumeAllocationAt(newestBlocksEnd, opened.get(newestWithBlocks))
                ? newestWithBlocks : null;
        for (SegmentFile file : opened.keySet()) {
            if (file != resumed) {
                file.markFullyAllocated();
                file.deleteIfEmpty();
            }
        }
        // The scans above touched every page of every file (and the kernel filled the sparse holes with zero pages).
        // Drop them from this process's resident set: the written ones stay in the page cache and readers fault back
        // in only what they read; otherwise each restart kept every old file resident (64 MiB each by default).
        for (SegmentFile file : opened.keySet()) {
            if (!file.isDeleted()) {
                file.mapping().unload();
            }
        }
        LOG.info("recovered {} topics, {} blocks, {} entries from {} segment files", topics.size(), blockCount, entries,
                opened.size());
        return new Result(topics, maxId + 1, resumed, opened.size(), blockCount, entries, List.copyOf(damage));
    }
}
