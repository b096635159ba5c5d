package dev.walrus.engine;

import dev.walrus.engine.alloc.BlockAllocator;
import dev.walrus.engine.alloc.SegmentFile;
import dev.walrus.engine.alloc.SegmentFiles;
import dev.walrus.engine.format.BlockHeader;
import dev.walrus.engine.format.EntryFrame;
import dev.walrus.engine.format.MetaRecord;
import dev.walrus.engine.log.Cursor;
import dev.walrus.engine.log.TopicLog;
import dev.walrus.engine.meta.MetaLog;
import dev.walrus.engine.meta.MetaState;
import dev.walrus.engine.recovery.Damage;
import dev.walrus.engine.recovery.Recovery;
import dev.walrus.engine.space.DiskSpace;
import dev.walrus.engine.sync.Flusher;
import dev.walrus.engine.sync.Notifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Walrus write-ahead log: many topics, each an independent chain of blocks in shared segment files.
 *
 * <p>Thread-safe. Appends to different topics never wait for each other beyond block allocation; reads are lock-free.
 * Every method throws {@link IllegalStateException} after {@link #close()}.
 *
 * <p>This class is the facade: it validates input, finds the topic, takes the topic's write lock around the append
 * and applies the fsync schedule. The format lives in {@code .format}, block allocation and file lifetime in
 * {@code .alloc}, chains and readers in {@code .log}, persisted metadata in {@code .meta}, fsync and wake-ups in
 * {@code .sync}, start-up in {@code .recovery}.
 */
public final class Walrus implements AutoCloseable {

    /** The longest topic name, in UTF-8 bytes. */
    public static final int MAX_TOPIC_NAME_BYTES = 255;

    /** The largest reader-checkpoint attachment. */
    public static final int MAX_ATTACHMENT_BYTES = 32 * 1024;

    /** The lock file in the data directory, held (OS file lock) while the engine is open. */
    public static final String LOCK_FILE = "walrus.lock";

    /** The largest {@code maxEntrySize} the engine accepts: a block must stay addressable by an int. */
    static final int MAX_ENTRY_SIZE_LIMIT = 1 << 30;

    private static final Logger LOG = LoggerFactory.getLogger(Walrus.class);
    private static final String DEFAULT_READER = "";

    private final WalrusConfig config;
    /** Built once: the append path must not allocate. */
    private final TopicSettings defaultSettings;
    private final Path dir;
    private FileChannel lockChannel;
    private FileLock lock;
    private MetaLog meta;
    private DiskSpace space;
    private SegmentFiles files;
    private BlockAllocator allocator;
    private Flusher flusher;
    private Notifier notifier;
    private final ConcurrentHashMap<String, TopicLog> topics = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> deletedIncarnations = new ConcurrentHashMap<>();
    private final Cursor.CheckpointStore checkpoints = new Checkpoints();
    private final Object closeLock = new Object();
    private volatile boolean closed;
    private List<Damage> recoveryDamage = List.of();

    private Walrus(WalrusConfig config) {
        this.config = config;
        this.defaultSettings = config.defaultTopicSettings();
        this.dir = config.dataDir();
    }

    public static Walrus open(Path dataDir) {
        return open(WalrusConfig.builder().dataDir(dataDir).build());
    }

    public static Walrus open(WalrusConfig config) {
        Objects.requireNonNull(config, "config");
        if (config.maxEntrySize() > MAX_ENTRY_SIZE_LIMIT) {
            throw new IllegalArgumentException("maxEntrySize must be at most " + MAX_ENTRY_SIZE_LIMIT + ", got "
                    + config.maxEntrySize());
        }
        Walrus w = new Walrus(config);
        try {
            w.start();
        } catch (RuntimeException | Error e) {
            w.abandon();
            throw e;
        }
        return w;
    }

    private void start() {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir, e);
        }
        takeLock();
        space = DiskSpace.open(dir, config.diskReserve(), 2L * config.blockSize());
        meta = MetaLog.open(dir);
        files = new SegmentFiles(dir);
        MetaState state = meta.state();
        deletedIncarnations.putAll(state.deletedIncarnations());
        Recovery.Result recovered = Recovery.run(files, state);
        recoveryDamage = recovered.damage();
        flusher = new Flusher(files, "walrus-flusher"); // started below; made first for the allocator to ask
        allocator = new BlockAllocator(files, config.fileSize(), recovered.nextFileId(), recovered.resumedFile(),
                flusher::fsyncsAwaited, space::isFull);
        notifier = new Notifier("walrus-notifier");
        for (var r : recovered.topics().values()) {
            TopicLog t = newTopicLog(r.name(), r.incarnation());
            MetaState.TopicMeta m = state.topics().get(r.name());
            t.recover(r.blocks(), m == null ? -1 : m.truncation);
            topics.put(r.name(), t);
        }
        for (var e : state.topics().entrySet()) {
            TopicLog t = topics.computeIfAbsent(e.getKey(), n -> {
                TopicLog fresh = newTopicLog(n, state.deletedIncarnation(n) + 1);
                fresh.recover(List.of(), e.getValue().truncation);
                return fresh;
            });
            if (e.getValue().settings != null) {
                t.settings(e.getValue().settings);
                t.markMaterialized();
            }
            e.getValue().readers.forEach((name, c) ->
                    t.cursors().put(name, new Cursor(t, name, c.position(), c.attachment(), checkpoints)));
        }
        notifier.start();
        flusher.start();
        updateFlushPeriod();
        LOG.info("opened Walrus at {}: {} topics", dir, topics.size());
    }

    private TopicLog newTopicLog(String name, long incarnation) {
        return new TopicLog(name, name.getBytes(StandardCharsets.UTF_8), incarnation, allocator, config.blockSize(),
                notifier);
    }

    private void takeLock() {
        Path lockFile = dir.resolve(LOCK_FILE);
        try {
            lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException("data directory " + dir + " is already open in this JVM (lock file "
                    + lockFile + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock data directory " + dir, e);
        }
        if (lock == null) {
            throw new IllegalStateException("data directory " + dir + " is locked by another process (lock file "
                    + lockFile + ")");
        }
    }

    /** Open failed half-way: release what was taken. */
    private void abandon() {
        closed = true;
        try {
            if (flusher != null) {
                flusher.close();
            }
            if (notifier != null) {
                notifier.close();
            }
            if (allocator != null) {
                allocator.close();
            }
            if (files != null) {
                files.snapshot().forEach(SegmentFile::closeMapping);
            }
            if (meta != null) {
                meta.close();
            }
        } catch (RuntimeException e) {
            LOG.warn("while abandoning a failed open", e);
        }
        releaseLock();
    }

    private void releaseLock() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.warn("cannot release lock file", e);
        }
    }

    // ---- writing -------------------------------------------------------------------------------------------------

    /** Appends one entry; returns its position. Durable on return if the topic's schedule is syncEach. */
    public long append(String topic, byte[] data) {
        Objects.requireNonNull(data, "data");
        checkOpen();
        EntryFrame.checkPayloadLength(data.length, config.maxEntrySize());
        return appendLocked(topic, data, null, null, false);
    }

    /**
     * As {@link #append(String, byte[])}, for an entry that must get through a full disk: metadata whose loss would
     * keep the disk full (a deletion, a truncation, a retention change) or leave the data inconsistent. On a full disk
     * it releases the engine's disk reserve and tries again, where an ordinary append is refused
     * ({@link StorageFullException}). Keep such entries small and rare: the reserve is a few megabytes.
     */
    public long appendEssential(String topic, byte[] data) {
        Objects.requireNonNull(data, "data");
        checkOpen();
        EntryFrame.checkPayloadLength(data.length, config.maxEntrySize());
        return appendLocked(topic, data, null, null, true);
    }

    /** Appends the remaining bytes of {@code data} (its position is not moved); returns the entry's position. */
    public long append(String topic, ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        checkOpen();
        EntryFrame.checkPayloadLength(data.remaining(), config.maxEntrySize());
        return appendLocked(topic, null, data, null, false);
    }

    /** Appends all entries or none (all-or-nothing across a crash too); returns the position of the first. */
    public long appendBatch(String topic, List<byte[]> entries) {
        Objects.requireNonNull(entries, "entries");
        checkOpen();
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one entry");
        }
        long total = 0;
        for (byte[] e : entries) {
            Objects.requireNonNull(e, "batch entry");
            EntryFrame.checkPayloadLength(e.length, config.maxEntrySize());
            total += e.length;
        }
        if (total > config.maxEntrySize()) {
            throw new IllegalArgumentException("batch of " + total + " bytes exceeds maxEntrySize "
                    + config.maxEntrySize() + " (a batch is stored in one block)");
        }
        return appendLocked(topic, null, null, entries, false);
    }

    /**
     * The one append path: takes the topic's writer lock (retrying if a concurrent delete retired the topic), writes
     * exactly one of {@code array}, {@code buffer} or {@code batch}, then applies the fsync schedule outside the lock.
     * Three nullable arguments rather than a lambda, so an append allocates nothing. On a full disk (see
     * {@link DiskSpace}) an ordinary append is refused, an {@code essential} one is tried once more with the reserve
     * released.
     */
    private long appendLocked(String topic, byte[] array, ByteBuffer buffer, List<byte[]> batch, boolean essential) {
        if (space.isFull() && !essential && !space.recovered()) {
            throw space.refusal(topic, null);
        }
        boolean retried = false;
        for (;;) {
            TopicLog t = topicFor(topic);
            ReentrantLock l = t.writeLock();
            long position;
            UncheckedIOException failure = null;
            l.lock();
            try {
                if (t.isDeleted()) {
                    continue;
                }
                checkOpen();
                if (array != null) {
                    position = t.append(array, 0, array.length);
                } else if (buffer != null) {
                    position = t.append(buffer);
                } else {
                    position = t.appendBatch(batch);
                }
            } catch (InternalError e) {
                failure = writeFailed(topic, e);
                position = -1;
            } catch (UncheckedIOException e) {
                failure = e;
                position = -1;
            } finally {
                l.unlock();
            }
            if (failure != null) {
                if (!space.metFullDisk(failure)) {
                    throw failure;
                }
                if (essential && !retried && space.releaseReserve()) {
                    retried = true;
                    continue;
                }
                throw failure instanceof StorageFullException full ? full : space.refusal(topic, failure);
            }
            afterAppend(t);
            return position;
        }
    }

    /**
     * A metadata record that must get through a full disk (a setting, a truncation, a deletion: what frees space):
     * on a full disk it is written again with the reserve released.
     */
    private void writeEssentialMeta(MetaRecord record) {
        try {
            meta.write(record, true);
        } catch (UncheckedIOException e) {
            if (!space.metFullDisk(e) || !space.releaseReserve()) {
                throw e;
            }
            meta.write(record, true);
        }
    }

    /** A fault while copying into the mapping (SIGBUS: disk full on a sparse file, I/O error). Nothing was published. */
    private static UncheckedIOException writeFailed(String topic, InternalError e) {
        return new UncheckedIOException(new IOException("append to topic " + topic
                + " failed while writing the mapped segment (disk full or I/O error); nothing was published", e));
    }

    /** Applies the topic's fsync schedule; reads one cached field, so {@code none()} costs a compare. */
    private void afterAppend(TopicLog t) {
        FsyncSchedule fsync = settingsOf(t).fsync();
        if (fsync instanceof FsyncSchedule.None) {
            return;
        }
        if (fsync instanceof FsyncSchedule.Every) {
            flusher.timedAppend();
        } else {
            flusher.awaitSync();
        }
    }

    /** Fsyncs everything appended so far, on every topic, and every metadata record. */
    public void flush() {
        checkOpen();
        flusher.awaitSync();
        meta.force();
    }

    /**
     * Completes once every append that returned before this call is durable. Concurrent callers share one fsync
     * (group commit); the caller's thread never blocks. This is how the Kafka adapter answers acks=all produces.
     */
    public CompletableFuture<Void> syncAsync() {
        checkOpen();
        return flusher.syncAsync();
    }

    // ---- per-topic settings --------------------------------------------------------------------------------------

    /** Sets a topic's fsync schedule and read consistency (persisted; survives restart). */
    public void configureTopic(String topic, TopicSettings settings) {
        Objects.requireNonNull(settings, "settings");
        checkOpen();
        for (;;) {
            TopicLog t = topicFor(topic);
            ReentrantLock l = t.writeLock();
            l.lock();
            try {
                if (t.isDeleted()) {
                    continue;
                }
                writeEssentialMeta(new MetaRecord.Settings(topic, settings));
                t.settings(settings);
                t.markMaterialized();
            } finally {
                l.unlock();
            }
            updateFlushPeriod();
            return;
        }
    }

    /** The settings of a topic that was never configured: the config's fsync schedule and read consistency. */
    public TopicSettings defaultTopicSettings() {
        return defaultSettings;
    }

    public TopicSettings topicSettings(String topic) {
        checkOpen();
        TopicLog t = existing(topic);
        return t == null ? defaultSettings : settingsOf(t);
    }

    private TopicSettings settingsOf(TopicLog t) {
        TopicSettings s = t.settings();
        return s != null ? s : defaultSettings;
    }

    private void updateFlushPeriod() {
        long period = Long.MAX_VALUE;
        if (config.fsync() instanceof FsyncSchedule.Every e) {
            period = e.interval().toNanos();
        }
        for (TopicLog t : topics.values()) {
            if (t.settings() != null && t.settings().fsync() instanceof FsyncSchedule.Every e) {
                period = Math.min(period, e.interval().toNanos());
            }
        }
        flusher.period(period == Long.MAX_VALUE ? 0 : period);
    }

    // ---- the default reader (the seed's API) ---------------------------------------------------------------------

    /** The next entry of the default reader; with {@code checkpoint} the reader advances, else it is a peek. */
    public Optional<Entry> readNext(String topic, boolean checkpoint) {
        checkOpen();
        TopicLog t = existing(topic);
        return t == null ? Optional.empty() : cursor(t, DEFAULT_READER).readNext(checkpoint);
    }

    /** Entries of the default reader up to {@code maxBytes} of payload (at least one if any is there). */
    public List<Entry> readBatch(String topic, int maxBytes, boolean checkpoint) {
        checkOpen();
        TopicLog t = existing(topic);
        return t == null ? List.of() : cursor(t, DEFAULT_READER).readBatch(maxBytes, checkpoint);
    }

    // ---- named readers -------------------------------------------------------------------------------------------

    /** The named reader of a topic, created at the topic's start position if new. */
    public NamedReader reader(String topic, String name) {
        checkOpen();
        checkReaderName(name);
        return cursor(topicFor(topic), name);
    }

    public Set<String> readerNames(String topic) {
        checkOpen();
        TopicLog t = existing(topic);
        if (t == null) {
            return Set.of();
        }
        return t.cursors().keySet().stream().filter(n -> !n.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    public void deleteReader(String topic, String name) {
        checkOpen();
        checkReaderName(name);
        TopicLog t = existing(topic);
        if (t != null && t.cursors().remove(name) != null) {
            writeEssentialMeta(new MetaRecord.ReaderDelete(topic, name));
        }
    }

    private Cursor cursor(TopicLog t, String name) {
        Cursor c = t.cursors().get(name);
        if (c != null) {
            return c;
        }
        return t.cursors().computeIfAbsent(name, n -> {
            Cursor fresh = new Cursor(t, n, t.startPosition(), null, checkpoints);
            if (!n.isEmpty()) {
                meta.write(new MetaRecord.ReaderCommit(t.name(), n, fresh.position(), new byte[0]), false);
            }
            return fresh;
        });
    }

    private static void checkReaderName(String name) {
        Objects.requireNonNull(name, "reader name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("reader name must not be empty");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_TOPIC_NAME_BYTES) {
            throw new IllegalArgumentException("reader name of " + bytes + " UTF-8 bytes exceeds "
                    + MAX_TOPIC_NAME_BYTES);
        }
    }

    /** Persists reader checkpoints in the metadata log. */
    private final class Checkpoints implements Cursor.CheckpointStore {
        @Override
        public void store(Cursor cursor, long position, byte[] attachment, boolean durable) {
            meta.write(new MetaRecord.ReaderCommit(cursor.topic(), cursor.name(), position, attachment), durable);
        }

        @Override
        public ReadConsistency consistency(TopicLog topic) {
            return settingsOf(topic).readConsistency();
        }

        @Override
        public void checkUsable(Cursor cursor) {
            checkOpen();
            if (cursor.log().isDeleted()) {
                throw new IllegalStateException("topic " + cursor.topic() + " was deleted; reader " + cursor.name()
                        + " is gone with it");
            }
        }
    }

    // ---- positional reads (for the Kafka adapter) ----------------------------------------------------------------

    /**
     * Entries from the first one at or after {@code fromPosition}, until adding one would pass {@code maxBytes} of
     * payload; the first entry is always included if there is one, whatever its size. Zero-copy views.
     */
    public ReadResult read(String topic, long fromPosition, int maxBytes) {
        checkOpen();
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative, got " + maxBytes);
        }
        TopicLog t = existing(topic);
        if (t == null) {
            return new EmptyReadResult(fromPosition);
        }
        return t.read(fromPosition, maxBytes);
    }

    /** The position just after the last entry of the topic (the start position if it is empty). */
    public long endPosition(String topic) {
        checkOpen();
        TopicLog t = existing(topic);
        return t == null ? 0 : t.endPosition();
    }

    /** The first readable position (after truncation). */
    public long startPosition(String topic) {
        checkOpen();
        TopicLog t = existing(topic);
        return t == null ? 0 : t.startPosition();
    }

    /**
     * Completes (on an engine thread; keep the callback short) as soon as the topic's end position is greater than
     * {@code position}, at once if it already is. The caller may cancel the future; the engine then drops it. Also
     * completes when the topic is deleted; fails with {@link IllegalStateException} when the engine closes.
     */
    public CompletableFuture<Void> awaitAppend(String topic, long position) {
        checkOpen();
        return topicFor(topic).waiters().await(position);
    }

    // ---- retention -----------------------------------------------------------------------------------------------

    /**
     * Drops every entry before {@code position}; the blocks below it count as checkpointed. Persisted. The new start
     * position is the first entry at or after {@code position} (never past the end); a position at or below the
     * current start changes nothing.
     */
    public void truncateBefore(String topic, long position) {
        checkOpen();
        TopicLog t = existing(topic);
        if (t == null) {
            return;
        }
        ReentrantLock l = t.writeLock();
        l.lock();
        try {
            if (t.isDeleted()) {
                return;
            }
            long target = t.truncationTarget(position);
            if (target > t.startPosition()) {
                writeEssentialMeta(new MetaRecord.Truncate(topic, target));
                t.applyTruncation(target);
            }
        } finally {
            l.unlock();
        }
    }

    /** Deletes a topic with its readers and settings; its blocks count as checkpointed. */
    public void deleteTopic(String topic) {
        checkOpen();
        TopicLog t = existing(topic);
        if (t == null) {
            return;
        }
        ReentrantLock l = t.writeLock();
        l.lock();
        try {
            if (t.isDeleted()) {
                return;
            }
            writeEssentialMeta(new MetaRecord.DeleteTopic(topic, t.incarnation()));
            deletedIncarnations.merge(topic, t.incarnation(), Math::max);
            t.applyDeletion();
            topics.remove(topic, t);
        } finally {
            l.unlock();
        }
        updateFlushPeriod();
    }

    /** Every topic that has been appended to or configured and not deleted. */
    public Set<String> topics() {
        checkOpen();
        return topics.values().stream().filter(t -> t.isMaterialized() && !t.isDeleted()).map(TopicLog::name)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The damage recovery found and skipped when this engine opened (each was also logged as a WARN). */
    public List<Damage> recoveryDamage() {
        return recoveryDamage;
    }

    /** The data directory. */
    public Path dataDir() {
        return dir;
    }

    /** The configuration this engine was opened with. */
    public WalrusConfig config() {
        return config;
    }

    // ---- topics --------------------------------------------------------------------------------------------------

    private TopicLog existing(String topic) {
        TopicLog t = topics.get(Objects.requireNonNull(topic, "topic"));
        if (t == null) {
            checkTopicName(topic);
        }
        return t;
    }

    /** The live topic of that name, created (in memory only) if absent. */
    private TopicLog topicFor(String topic) {
        TopicLog t = topics.get(Objects.requireNonNull(topic, "topic"));
        if (t != null) {
            return t;
        }
        checkTopicName(topic);
        return topics.computeIfAbsent(topic, n -> newTopicLog(n, deletedIncarnation(n) + 1));
    }

    private long deletedIncarnation(String topic) {
        return deletedIncarnations.getOrDefault(topic, 0L);
    }

    static void checkTopicName(String topic) {
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("topic name must not be empty");
        }
        int bytes = topic.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_TOPIC_NAME_BYTES) {
            throw new IllegalArgumentException("topic name of " + bytes + " UTF-8 bytes exceeds the limit of "
                    + MAX_TOPIC_NAME_BYTES);
        }
        assert MAX_TOPIC_NAME_BYTES == BlockHeader.MAX_TOPIC_BYTES;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("Walrus at " + dir + " is closed");
        }
    }

    // ---- closing -------------------------------------------------------------------------------------------------

    /**
     * Waits for in-flight appends, fsyncs everything, persists pending at-least-once checkpoints, fails pending
     * {@link #awaitAppend} futures, unmaps every file not pinned by an open {@link ReadResult}, and releases the
     * directory lock. Closing twice is harmless.
     */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        List<RuntimeException> failures = new ArrayList<>();
        IllegalStateException closedError = new IllegalStateException("Walrus at " + dir + " is closed");
        for (TopicLog t : topics.values()) {
            ReentrantLock l = t.writeLock();
            l.lock();
            try {
                t.closeWriter();
            } finally {
                l.unlock();
            }
            for (Cursor c : t.cursors().values()) {
                try {
                    c.persistPending();
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }
            t.waiters().failAll(closedError);
        }
        try {
            flusher.syncAsync().join();
        } catch (RuntimeException e) {
            failures.add(e);
        }
        flusher.close();
        notifier.close();
        try {
            meta.close();
        } catch (RuntimeException e) {
            failures.add(e);
        }
        allocator.close();
        for (SegmentFile f : files.snapshot()) {
            f.closeMapping();
        }
        releaseLock();
        LOG.info("closed Walrus at {}", dir);
        if (!failures.isEmpty()) {
            RuntimeException first = failures.getFirst();
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    /** A result with no entries. */
    private record EmptyReadResult(long nextPosition) implements ReadResult {
        @Override
        public List<Entry> entries() {
            return List.of();
        }

        @Override
        public void close() {
        }
    }

    @Override
    public String toString() {
        return "Walrus[" + dir + ", " + topics.size() + " topics]";
    }

    /** How many fsync rounds the flusher has run: with group commit, fewer than the sync requests. */
    public long flusherRounds() {
        return flusher.rounds();
    }

    /** For tests and tools: the live topics' internal logs. */
    Map<String, TopicLog> topicLogs() {
        return topics;
    }
}
