package dev.walrus.engine.meta;

import dev.walrus.engine.alloc.SegmentFiles;
import dev.walrus.engine.format.MetaFileHeader;
import dev.walrus.engine.format.MetaRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata log: an append-only file of {@link MetaRecord}s beside the segment files, replayed at open and
 * compacted into a new generation when it grows.
 *
 * <p>Writes are serialized by one lock (they are rare: settings, truncations, deletions, reader commits). A durable
 * write is fsynced with group commit: whoever takes the force lock fsyncs everything written so far, and the others
 * find their record already covered.
 */
public final class MetaLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetaLog.class);
    private static final Pattern NAME = Pattern.compile("meta-(\\d{20})\\.wal");
    /** Compact when the log passes this size and is four times its last snapshot. */
    static final long COMPACT_THRESHOLD = 4L * 1024 * 1024;

    private final Path dir;
    private final MetaState state = new MetaState();
    private final Object writeLock = new Object();
    private final Object forceLock = new Object();
    private FileChannel channel;
    private long generation;
    private long size;
    private long snapshotSize;
    /** After a failed compaction, the size at which to try again (write lock held). */
    private long compactRetryAt;
    private volatile long writtenSeq;
    private volatile long syncedSeq;
    private final long compactThreshold;

    private MetaLog(Path dir, long compactThreshold) {
        this.dir = dir;
        this.compactThreshold = compactThreshold;
    }

    /** Opens (or creates) the metadata log of {@code dir} and replays it. */
    public static MetaLog open(Path dir) {
        return open(dir, COMPACT_THRESHOLD);
    }

    public static MetaLog open(Path dir, long compactThreshold) {
        MetaLog log = new MetaLog(dir, compactThreshold);
        log.load();
        return log;
    }

    private void load() {
        try {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    if (p.getFileName().toString().startsWith("meta-") && p.getFileName().toString().endsWith(".tmp")) {
                        Files.delete(p); // an unfinished compaction: the previous generation is still complete
                    }
                }
            }
            List<Path> generations;
            try (var files = Files.list(dir)) {
                generations = files.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).sorted().toList();
            }
            if (generations.isEmpty()) {
                writeGeneration(1, List.of());
                return;
            }
            Path newest = generations.getLast();
            byte[] bytes = Files.readAllBytes(newest);
            ByteBuffer in = ByteBuffer.wrap(bytes);
            long gen = MetaFileHeader.check(in.slice(0, Math.min(bytes.length, MetaFileHeader.LENGTH)), newest.toString());
            generation = gen;
            in.position(MetaFileHeader.LENGTH);
            MetaRecord r;
            while ((r = MetaRecord.decode(in)) != null) {
                state.apply(r);
            }
            size = in.position();
            snapshotSize = size;
            if (size < bytes.length) {
                LOG.warn("metadata log {}: dropped {} bytes of torn tail at offset {}", newest, bytes.length - size, size);
            }
            channel = FileChannel.open(newest, StandardOpenOption.READ, StandardOpenOption.WRITE);
            if (size < bytes.length) {
                channel.truncate(size);
                channel.force(false);
            }
            for (Path old : generations.subList(0, generations.size() - 1)) {
                Files.deleteIfExists(old);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open metadata log in " + dir, e);
        }
    }

    static String fileName(long generation) {
        return String.format("meta-%020d.wal", generation);
    }

    /**
     * Writes {@code records} as generation {@code gen} and makes it the log, atomically replacing the previous one. A
     * failure before the switch leaves the previous generation the log, whole and open, and removes the partial new
     * one; a failure of the directory fsync after it leaves the new generation the log (both are complete).
     */
    private void writeGeneration(long gen, List<MetaRecord> records) throws IOException {
        Path tmp = dir.resolve(fileName(gen) + ".tmp");
        Path target = dir.resolve(fileName(gen));
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            out.write(MetaFileHeader.encode(gen));
            for (MetaRecord r : records) {
                ByteBuffer b = ByteBuffer.wrap(MetaRecord.encode(r));
                while (b.hasRemaining()) {
                    out.write(b);
                }
            }
            out.force(false);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp, e); // else the next open deletes it
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        FileChannel next;
        try {
            next = FileChannel.open(target, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            // undo: the newest generation on disk must be the one this log appends to
            deleteQuietly(target, e);
            throw e;
        }
        FileChannel previous = channel;
        channel = next;
        generation = gen;
        size = next.size();
        snapshotSize = size;
        if (previous != null) {
            previous.close();
            Files.deleteIfExists(dir.resolve(fileName(gen - 1)));
        }
        SegmentFiles.forceDirectory(dir);
    }

    private static void deleteQuietly(Path file, Exception cause) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException cleanup) {
            cause.addSuppressed(cleanup);
        }
    }

    /** The replayed state; callers read it at open, before concurrent writes begin. */
    public MetaState state() {
        return state;
    }

    /** Appends a record (applied to the state); fsynced before return if {@code durable}. */
    public void write(MetaRecord record, boolean durable) {
        byte[] bytes = MetaRecord.encode(record);
        long seq;
        synchronized (writeLock) {
            try {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                long at = size;
                while (b.hasRemaining()) {
                    at += channel.write(b, at);
                }
                size = at; // a failed write leaves size alone: the next record overwrites the partial one
            } catch (IOException e) {
                throw new UncheckedIOException("metadata write failed", e);
            }
            state.apply(record);
            seq = ++writtenSeq;
            if (size > compactThreshold && size > 4 * snapshotSize && size >= compactRetryAt && compact()) {
                syncedSeq = seq; // the new generation was fsynced whole, this record with it
                return;
            }
        }
        if (durable) {
            syncTo(seq);
        }
    }

    private void syncTo(long seq) {
        if (syncedSeq >= seq) {
            return;
        }
        synchronized (forceLock) {
            if (syncedSeq >= seq) {
                return;
            }
            long target = writtenSeq;
            FileChannel c;
            synchronized (writeLock) {
                c = channel;
            }
            try {
                c.force(false);
            } catch (java.nio.channels.ClosedChannelException e) {
                // compaction replaced the file; the new generation was fsynced whole
            } catch (IOException e) {
                throw new UncheckedIOException("metadata fsync failed", e);
            }
            syncedSeq = Math.max(syncedSeq, target);
        }
    }

    /** Fsyncs every record written so far. */
    public void force() {
        syncTo(writtenSeq);
    }

    /**
     * Rewrites the state as a new generation (write lock held); whether it did. A failure (a full disk) is not the
     * failure of the record that triggered it, which is already in the current generation: the log stays there, the
     * caller's write goes on to its own fsync, and compaction is tried again once the log has doubled.
     */
    private boolean compact() {
        try {
            writeGeneration(generation + 1, state.snapshot());
            compactRetryAt = 0;
            LOG.info("compacted metadata log into generation {} ({} bytes)", generation, size);
            return true;
        } catch (IOException e) {
            compactRetryAt = 2 * size;
            LOG.warn("metadata log compaction failed, the log stays in generation {} ({} bytes): {}", generation, size,
                    e.toString());
            return false;
        }
    }

    public long size() {
        synchronized (writeLock) {
            return size;
        }
    }

    @Override
    public void close() {
        synchronized (writeLock) {
            try {
                if (channel != null) {
                    channel.force(false);
                    channel.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close metadata log", e);
            }
        }
    }
}
