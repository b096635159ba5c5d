package dev.walrus.engine.recovery;

import dev.walrus.engine.alloc.DataSeeker;
import dev.walrus.engine.format.EntryFrame;
import dev.walrus.engine.log.Block;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds one block's committed length, read index and damaged ranges by checking every frame.
 *
 * <p>Rules: a frame counts only if its magic, length and CRC check out. A batch counts only once its last frame
 * (flag clear) is found; a batch interrupted by damage is dropped whole. Damage followed by a valid frame is a corrupt
 * entry in the middle: skipped with a WARN naming file and offset. Damage with nothing valid after it, and an
 * unfinished batch at the end, are the torn tail: dropped silently.
 */
public final class BlockScanner {

    private static final Logger LOG = LoggerFactory.getLogger(BlockScanner.class);

    /** What a scan found, for logs and tests. */
    public record Result(long committed, int entries, List<long[]> damaged) {}

    private BlockScanner() {}

    public static Result scan(Block block, DataSeeker seeker, List<Damage> report) {
        MemorySegment m = block.file().mapping();
        long base = block.dataOffset();
        long limit = base + block.capacity();
        long off = 0;
        long committed = 0;
        long batchStart = -1;
        int entries = 0;
        int pendingEntries = 0;
        List<Long> pendingFrames = new ArrayList<>();
        List<long[]> pendingDamage = new ArrayList<>();
        List<long[]> damaged = new ArrayList<>();
        try {
            while (base + off + EntryFrame.HEADER_LENGTH <= limit) {
                if (EntryFrame.isValid(m, base + off, limit)) {
                    long frameLength = EntryFrame.frameLength(Integer.toUnsignedLong(EntryFrame.payloadLength(m, base + off)));
                    short flags = EntryFrame.flags(m, base + off);
                    boolean continued = (flags & EntryFrame.FLAG_BATCH_CONTINUED) != 0;
                    if (continued != (batchStart >= 0)) {
                        // a batch member without its predecessor, or a new entry inside an unfinished batch: the batch
                        // lost a frame to damage, so all of it goes
                        long damageStart = batchStart >= 0 ? batchStart : off;
                        pendingFrames.clear();
                        pendingEntries = 0;
                        batchStart = -1;
                        addDamage(pendingDamage, damageStart, off + frameLength);
                        off += frameLength;
                        continue;
                    }
                    pendingFrames.add(off);
                    pendingEntries++;
                    if ((flags & EntryFrame.FLAG_BATCH_CONTINUES) != 0) {
                        if (batchStart < 0) {
                            batchStart = off;
                        }
                    } else {
                        for (long[] d : pendingDamage) {
                            block.addSkip(d[0], d[1]);
                            damaged.add(d);
                            report.add(new Damage(block.file().path(), block.dataOffset() + d[0], d[1] - d[0],
                                    "corrupt entry skipped"));
                            LOG.warn("corrupt entry skipped: file {} offset {} ({} bytes, topic block seq {}); later "
                                    + "entries stay readable", block.file().path(), block.dataOffset() + d[0],
                                    d[1] - d[0], block.sequence());
                        }
                        pendingDamage.clear();
                        for (long f : pendingFrames) {
                            block.indexFrame(f);
                        }
                        pendingFrames.clear();
                        entries += pendingEntries;
                        pendingEntries = 0;
                        committed = off + frameLength;
                        batchStart = -1;
                    }
                    off += frameLength;
                } else {
                    long next = resync(m, seeker, base, off + EntryFrame.ALIGNMENT, limit);
                    if (next < 0) {
                        break;
                    }
                    long damageStart = off;
                    if (batchStart >= 0) {
                        damageStart = batchStart; // the batch lost a frame: drop all of it
                        pendingFrames.clear();
                        pendingEntries = 0;
                        batchStart = -1;
                    }
                    addDamage(pendingDamage, damageStart, next);
                    off = next;
                }
            }
        } catch (InternalError e) {
            // a page of this block's unwritten tail could not be paged in (a hole on a full tmpfs raises SIGBUS even
            // on a read): frames are written contiguously, so nothing written lies beyond it; like a torn tail
            LOG.warn("block with data at offset {} of {}: unreadable unwritten tail from data offset {} (file system full?)",
                    block.dataOffset(), block.file().path(), off);
        }
        block.recoveredCommitted(committed);
        return new Result(committed, entries, damaged);
    }

    /** Records damage [start, end), merging with the previous range when they touch. */
    private static void addDamage(List<long[]> pending, long start, long end) {
        if (!pending.isEmpty()) {
            long[] lastRange = pending.getLast();
            if (start <= lastRange[1]) {
                lastRange[0] = Math.min(lastRange[0], start);
                lastRange[1] = Math.max(lastRange[1], end);
                return;
            }
        }
        pending.add(new long[] {start, end});
    }

    /**
     * The next 8-aligned data offset at or after {@code from} where a valid frame starts, or -1. Blank stretches (the
     * block's unused tail) are passed over in bulk, holes without being read: no frame starts among zeros (see
     * {@link BlankSkipper}).
     */
    private static long resync(MemorySegment m, DataSeeker seeker, long base, long from, long limit) {
        long off = from;
        while (base + off + EntryFrame.HEADER_LENGTH <= limit) {
            long nonZero = BlankSkipper.nextNonZero(seeker, base + off, limit) - base;
            off = Math.max(off, nonZero - nonZero % EntryFrame.ALIGNMENT);
            if (base + off + EntryFrame.HEADER_LENGTH > limit) {
                return -1;
            }
            if (EntryFrame.isValid(m, base + off, limit)) {
                return off;
            }
            off += EntryFrame.ALIGNMENT;
        }
        return -1;
    }
}
