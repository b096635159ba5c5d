package dev.walrus.engine.recovery;

import dev.walrus.engine.alloc.DataSeeker;
import dev.walrus.engine.alloc.SegmentFile;
import dev.walrus.engine.format.BlockHeader;
import dev.walrus.engine.format.FileHeader;
import dev.walrus.engine.format.FormatVersion;
import dev.walrus.engine.format.Layout;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds every valid block header of a segment file, resynchronising page by page past a damaged one and skipping
 * holes (never written) without reading them (see {@link DataSeeker}).
 */
public final class SegmentScanner {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentScanner.class);

    /** A block header found in a file. */
    public record FoundBlock(SegmentFile file, long offset, long length, int headerLength, String topic,
                             long incarnation, long sequence, long startPosition) {}

    private SegmentScanner() {}

    /**
     * The blocks of {@code file}, by offset. A file from a newer format version is an exception; a damaged file
     * header is a WARN (the blocks are still scanned, each carries the file id). {@code seeker}: over this file.
     */
    public static List<FoundBlock> scan(SegmentFile file, DataSeeker seeker, List<Damage> report) {
        MemorySegment m = file.mapping();
        List<FoundBlock> found = new ArrayList<>();
        if (m.byteSize() < FileHeader.BLOCKS_OFFSET) {
            LOG.warn("segment file {} is only {} bytes: no blocks", file.path(), m.byteSize());
            return found;
        }
        if (m.get(Layout.LONG, FileHeader.MAGIC_OFFSET) == FileHeader.MAGIC
                && FileHeader.version(m) > FormatVersion.CURRENT) {
            FormatVersion.checkReadable(FileHeader.version(m), file.path().toString()); // throws: a newer engine's file
        }
        try {
            FileHeader.check(m, file.id(), file.path().toString());
        } catch (IllegalStateException e) {
            if (m.get(Layout.LONG, FileHeader.MAGIC_OFFSET) != 0) {
                LOG.warn("damaged segment file header, scanning blocks anyway: {}", e.getMessage());
                report.add(new Damage(file.path(), 0, FileHeader.LENGTH, "damaged file header"));
            }
        }
        scanBlocks(file, m, seeker, found, report);
        return found;
    }

    private static void scanBlocks(SegmentFile file, MemorySegment m, DataSeeker seeker, List<FoundBlock> found,
                                   List<Damage> report) {
        long off = FileHeader.BLOCKS_OFFSET;
        boolean expectHeader = true;
        while (off + BlockHeader.TOPIC_OFFSET <= m.byteSize()) {
            if (!expectHeader) {
                // skip holes without paging them in (nothing was ever written there) and blank data (the window the
                // preparer zero-wrote ahead) in bulk: no block starts in either
                long blankEnd = skipBlank(m, seeker, off);
                if (blankEnd > off) {
                    off = blankEnd;
                    continue;
                }
            }
            if (!readable(m, off)) {
                off += Layout.PAGE; // a hole that cannot be paged in (full tmpfs): nothing was ever written there
                expectHeader = false;
                continue;
            }
            if (BlockHeader.isValid(m, off, file.id())) {
                long length = BlockHeader.blockLength(m, off);
                if (off + length > m.byteSize()) {
                    LOG.warn("segment file {} is truncated inside the block at offset {}: keeping its first {} bytes",
                            file.path(), off, m.byteSize() - off);
                    length = m.byteSize() - off;
                }
                found.add(new FoundBlock(file, off, length, BlockHeader.headerLength(m, off), BlockHeader.topic(m, off),
                        BlockHeader.incarnation(m, off), BlockHeader.sequence(m, off),
                        BlockHeader.startPosition(m, off)));
                off += length;
                expectHeader = true;
            } else {
                if (expectHeader && m.get(Layout.LONG, off) != 0) {
                    LOG.warn("damaged block header in file {} at offset {}: its entries are lost, looking for the "
                            + "next block", file.path(), off);
                    report.add(new Damage(file.path(), off, Layout.PAGE, "damaged block header"));
                }
                expectHeader = false;
                off += Layout.PAGE;
            }
        }
    }

    /**
     * The page holding the first non-zero byte at or after {@code off}, the file's size if none: no block header
     * starts in a blank page (see {@link BlankSkipper}). {@code off} itself where the file cannot be read: the page
     * walk deals with those.
     */
    private static long skipBlank(MemorySegment m, DataSeeker seeker, long off) {
        long nonZero = BlankSkipper.nextNonZero(seeker, off, m.byteSize());
        return nonZero == m.byteSize() ? nonZero : Math.max(off, nonZero - nonZero % Layout.PAGE);
    }

    /**
     * Whether the page at {@code off} can be read. On tmpfs even a read fault into a hole of a sparse file allocates a
     * page; on a full tmpfs that fault is a SIGBUS, which the JVM raises as an {@link InternalError}. Such a page was
     * never written (written pages exist), so it is blank. A block header lies within one page (page-aligned, at most
     * 56 + 255 bytes), so once its first bytes are readable the whole header is.
     */
    private static boolean readable(MemorySegment m, long off) {
        try {
            m.get(Layout.LONG, off);
            return true;
        } catch (InternalError e) {
            return false;
        }
    }
}
