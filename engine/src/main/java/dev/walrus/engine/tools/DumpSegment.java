package dev.walrus.engine.tools;

import dev.walrus.engine.alloc.SegmentFiles;
import dev.walrus.engine.format.BlockHeader;
import dev.walrus.engine.format.EntryFrame;
import dev.walrus.engine.format.FileHeader;
import dev.walrus.engine.format.Layout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * Prints segment files as annotated text: file header, each block header, each entry frame with its position, CRC
 * verdict and a payload preview. Read-only; safe on a live directory (it maps files read-only).
 *
 * <p>Usage: {@code java -cp walrus-engine.jar dev.walrus.engine.tools.DumpSegment <file.wal | data-dir>...}
 */
public final class DumpSegment {

    private static final int PREVIEW = 24;

    private DumpSegment() {}

    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: DumpSegment <segment-file | data-dir>...");
            System.exit(2);
        }
        for (String a : args) {
            Path p = Path.of(a);
            List<Path> files = Files.isDirectory(p) ? new SegmentFiles(p).list() : List.of(p);
            for (Path f : files) {
                System.out.print(dump(f));
            }
        }
    }

    /** The annotated dump of one segment file. */
    public static String dump(Path file) {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            MemorySegment m = c.map(FileChannel.MapMode.READ_ONLY, 0, c.size(), arena);
            return dump(file.getFileName().toString(), m);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot dump " + file, e);
        }
    }

    static String dump(String name, MemorySegment m) {
        StringBuilder out = new StringBuilder();
        long size = m.byteSize();
        out.append("segment ").append(name).append(" (").append(size).append(" bytes)\n");
        if (size < FileHeader.BLOCKS_OFFSET) {
            return out.append("  truncated: no complete file header\n").toString();
        }
        long fileId = FileHeader.fileId(m);
        out.append(String.format("  @%-8d file header: magic %s, version %d, file id %d, length %d, created %s%n", 0,
                m.get(Layout.LONG, FileHeader.MAGIC_OFFSET) == FileHeader.MAGIC ? "ok" : "BAD",
                FileHeader.version(m), fileId, FileHeader.fileLength(m),
                Instant.ofEpochMilli(FileHeader.createdMillis(m))));
        long off = FileHeader.BLOCKS_OFFSET;
        long freeFrom = -1;
        while (off + BlockHeader.TOPIC_OFFSET <= size) {
            if (!BlockHeader.isValid(m, off, fileId)) {
                if (freeFrom < 0) {
                    freeFrom = off;
                }
                off += Layout.PAGE;
                continue;
            }
            if (freeFrom >= 0) {
                out.append(String.format("  @%-8d no block header up to @%d%n", freeFrom, off));
                freeFrom = -1;
            }
            long length = Math.min(BlockHeader.blockLength(m, off), size - off);
            int headerLength = BlockHeader.headerLength(m, off);
            long start = BlockHeader.startPosition(m, off);
            out.append(String.format("  @%-8d block: length %d, topic \"%s\", incarnation %d, sequence %d, "
                            + "start position %d, header %d bytes%n", off, length, BlockHeader.topic(m, off),
                    BlockHeader.incarnation(m, off), BlockHeader.sequence(m, off), start, headerLength));
            dumpFrames(out, m, off + headerLength, off + length, start);
            off += length;
        }
        if (freeFrom >= 0) {
            out.append(String.format("  @%-8d no block header up to the end (@%d)%n", freeFrom, size));
        }
        return out.toString();
    }

    private static void dumpFrames(StringBuilder out, MemorySegment m, long data, long limit, long start) {
        long f = data;
        while (f + EntryFrame.HEADER_LENGTH <= limit) {
            if (m.get(Layout.SHORT, f + EntryFrame.MAGIC_OFFSET) != EntryFrame.MAGIC) {
                boolean zero = isZero(m, f, limit);
                out.append(String.format("  @%-8d   %s%n", f, zero ? "zero to end of block (free)"
                        : "no frame magic: damaged or torn, " + (limit - f) + " bytes to end of block"));
                return;
            }
            long length = Integer.toUnsignedLong(m.get(Layout.INT, f + EntryFrame.LENGTH_OFFSET));
            short flags = m.get(Layout.SHORT, f + EntryFrame.FLAGS_OFFSET);
            boolean valid = EntryFrame.isValid(m, f, limit);
            out.append(String.format("  @%-8d   entry: position %d, length %d, flags %s, crc 0x%08x %s", f,
                    start + (f - data), length, flagNames(flags),
                    m.get(Layout.INT, f + EntryFrame.CRC_OFFSET), valid ? "ok" : "MISMATCH"));
            if (valid) {
                out.append(", ").append(preview(m, f + EntryFrame.HEADER_LENGTH, length));
            }
            out.append('\n');
            if (!valid) {
                return;
            }
            f += EntryFrame.frameLength(length);
        }
    }

    private static String flagNames(short flags) {
        boolean continues = (flags & EntryFrame.FLAG_BATCH_CONTINUES) != 0;
        boolean continued = (flags & EntryFrame.FLAG_BATCH_CONTINUED) != 0;
        if (continues && continued) {
            return "batch-middle";
        }
        return continues ? "batch-first" : continued ? "batch-last" : "-";
    }

    private static boolean isZero(MemorySegment m, long from, long to) {
        for (long i = from; i < to; i++) {
            if (m.get(ValueLayout.JAVA_BYTE, i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static String preview(MemorySegment m, long at, long length) {
        int n = (int) Math.min(length, PREVIEW);
        byte[] b = m.asSlice(at, n).toArray(ValueLayout.JAVA_BYTE);
        boolean printable = true;
        for (byte x : b) {
            printable &= x >= 0x20 && x < 0x7f;
        }
        StringBuilder s = new StringBuilder();
        if (printable) {
            s.append('"').append(new String(b, java.nio.charset.StandardCharsets.US_ASCII)).append('"');
        } else {
            s.append("hex ");
            for (byte x : b) {
                s.append(String.format("%02x", x));
            }
        }
        if (length > n) {
            s.append("...");
        }
        return s.toString();
    }
}
