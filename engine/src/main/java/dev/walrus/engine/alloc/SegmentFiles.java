package dev.walrus.engine.alloc;

import dev.walrus.engine.format.FileHeader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live segment files of a data directory: naming, creation (sparse, header fsynced with the directory), opening
 * and the registry the flusher walks.
 */
public final class SegmentFiles implements SegmentFileListener {

    /** File name: 20-digit zero-padded id, so names sort by id. */
    public static final String SUFFIX = ".wal";
    private static final Pattern NAME = Pattern.compile("(\\d{20})\\.wal");

    private final Path dir;
    private final ConcurrentSkipListMap<Long, SegmentFile> live = new ConcurrentSkipListMap<>();

    public SegmentFiles(Path dir) {
        this.dir = dir;
    }

    public static String fileName(long id) {
        return String.format("%020d%s", id, SUFFIX);
    }

    /** The id of a segment file name, or -1 if the name is not one. */
    public static long idOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Existing segment files, by ascending id. */
    public List<Path> list() {
        try (var stream = Files.list(dir)) {
            return stream.filter(p -> idOf(p) >= 0).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** Creates, sizes (sparse), maps and registers a new file, its header durable with the directory entry. */
    public SegmentFile create(long id, long length) {
        Path path = dir.resolve(fileName(id));
        FileChannel channel = null;
        Arena arena = null;
        try {
            channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            // the header page by write(), not by a store into a hole of the mapping: on a full disk that store would
            // be a SIGBUS, whereas write() fails with an IOException
            channel.write(ByteBuffer.allocate(FileHeader.BLOCKS_OFFSET), 0);
            // sparse: sized by ftruncate, so that nothing after the header is data. (A byte written at the end made its
            // page data, and each restart then took that for leftovers of a crash: a punch and an fsync per start.)
            try (RandomAccessFile sizer = new RandomAccessFile(path.toFile(), "rw")) {
                sizer.setLength(length);
            }
            arena = Arena.ofShared();
            MemorySegment mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, length, arena);
            FileHeader.write(mapping, id, length, System.currentTimeMillis());
            channel.force(false);
            forceDirectory(dir);
            SegmentFile file = new SegmentFile(id, path, channel, arena, mapping, this);
            file.nextBlockOffset = FileHeader.BLOCKS_OFFSET;
            live.put(id, file);
            return file;
        } catch (IOException e) {
            closeQuietly(channel, arena);
            if (channel != null) { // we created it: leave no empty file behind (each failed try would add one)
                try {
                    Files.deleteIfExists(path);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new UncheckedIOException("cannot create segment file " + path, e);
        }
    }

    /** Maps an existing file for recovery; the caller validates the header. */
    public SegmentFile open(Path path) {
        long id = idOf(path);
        FileChannel channel = null;
        Arena arena = null;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            arena = Arena.ofShared();
            MemorySegment mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size(), arena);
            SegmentFile file = new SegmentFile(id, path, channel, arena, mapping, this);
            file.nextBlockOffset = mapping.byteSize();
            live.put(id, file);
            return file;
        } catch (IOException e) {
            closeQuietly(channel, arena);
            throw new UncheckedIOException("cannot open segment file " + path, e);
        }
    }

    public Collection<SegmentFile> live() {
        return live.values();
    }

    public List<SegmentFile> snapshot() {
        return new ArrayList<>(live.values());
    }

    @Override
    public void fileDeleted(SegmentFile file) {
        live.remove(file.id(), file);
    }

    public static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fsync directory " + dir, e);
        }
    }

    private static void closeQuietly(FileChannel channel, Arena arena) {
        try {
            if (arena != null) {
                arena.close();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException | RuntimeException ignored) {
            // already failing: the original exception is what the caller sees
        }
    }
}
