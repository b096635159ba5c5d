package dev.walrus.engine;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A Walrus write-ahead log: many topics, each an independent chain of blocks in shared segment files.
 *
 * <p>Thread-safe. Appends to different topics never wait for each other beyond block allocation; reads are lock-free.
 * Every method throws {@link IllegalStateException} after {@link #close()}.
 *
 * <p>CONTRACT (written before the implementation; the engine issue fills in the bodies, keeping these signatures).
 */
public final class Walrus implements AutoCloseable {

    /** The longest topic name, in UTF-8 bytes. */
    public static final int MAX_TOPIC_NAME_BYTES = 255;

    /** The largest reader-checkpoint attachment. */
    public static final int MAX_ATTACHMENT_BYTES = 4096;

    private Walrus() {}

    public static Walrus open(Path dataDir) {
        return open(WalrusConfig.builder().dataDir(dataDir).build());
    }

    public static Walrus open(WalrusConfig config) {
        throw new UnsupportedOperationException("engine not implemented yet");
    }

    // ---- writing -------------------------------------------------------------------------------------------------

    /** Appends one entry; returns its position. Durable on return if the topic's schedule is syncEach. */
    public long append(String topic, byte[] data) { throw new UnsupportedOperationException(); }

    /** Appends the remaining bytes of {@code data} (its position is not moved); returns the entry's position. */
    public long append(String topic, ByteBuffer data) { throw new UnsupportedOperationException(); }

    /** Appends all entries or none (all-or-nothing across a crash too); returns the position of the first. */
    public long appendBatch(String topic, List<byte[]> entries) { throw new UnsupportedOperationException(); }

    /** Fsyncs everything appended so far, on every topic. */
    public void flush() { throw new UnsupportedOperationException(); }

    /**
     * Completes once every append that returned before this call is durable. Concurrent callers share one fsync
     * (group commit); the caller's thread never blocks. This is how the Kafka adapter answers acks=all produces.
     */
    public CompletableFuture<Void> syncAsync() { throw new UnsupportedOperationException(); }

    // ---- per-topic settings --------------------------------------------------------------------------------------

    /** Sets a topic's fsync schedule and read consistency (persisted; survives restart). */
    public void configureTopic(String topic, TopicSettings settings) { throw new UnsupportedOperationException(); }

    public TopicSettings topicSettings(String topic) { throw new UnsupportedOperationException(); }

    // ---- the default reader (the seed's API) ---------------------------------------------------------------------

    /** The next entry of the default reader; with {@code checkpoint} the reader advances, else it is a peek. */
    public Optional<Entry> readNext(String topic, boolean checkpoint) { throw new UnsupportedOperationException(); }

    /** Entries of the default reader up to {@code maxBytes} of payload (at least one if any is there). */
    public List<Entry> readBatch(String topic, int maxBytes, boolean checkpoint) { throw new UnsupportedOperationException(); }

    // ---- named readers -------------------------------------------------------------------------------------------

    /** The named reader of a topic, created at the topic's start position if new. */
    public NamedReader reader(String topic, String name) { throw new UnsupportedOperationException(); }

    public Set<String> readerNames(String topic) { throw new UnsupportedOperationException(); }

    public void deleteReader(String topic, String name) { throw new UnsupportedOperationException(); }

    // ---- positional reads (for the Kafka adapter) ----------------------------------------------------------------

    /**
     * Entries from the first one at or after {@code fromPosition}, until adding one would pass {@code maxBytes} of
     * payload; the first entry is always included if there is one, whatever its size. Zero-copy views.
     */
    public ReadResult read(String topic, long fromPosition, int maxBytes) { throw new UnsupportedOperationException(); }

    /** The position just after the last entry of the topic (the start position if it is empty). */
    public long endPosition(String topic) { throw new UnsupportedOperationException(); }

    /** The first readable position (after truncation). */
    public long startPosition(String topic) { throw new UnsupportedOperationException(); }

    /**
     * Completes (on an engine thread; keep the callback short) as soon as the topic's end position is greater than
     * {@code position}, at once if it already is. The caller may cancel the future; the engine then drops it.
     */
    public CompletableFuture<Void> awaitAppend(String topic, long position) { throw new UnsupportedOperationException(); }

    // ---- retention -----------------------------------------------------------------------------------------------

    /** Drops every entry before {@code position}; the blocks below it count as checkpointed. Persisted. */
    public void truncateBefore(String topic, long position) { throw new UnsupportedOperationException(); }

    /** Deletes a topic with its readers and settings; its blocks count as checkpointed. */
    public void deleteTopic(String topic) { throw new UnsupportedOperationException(); }

    /** Every topic that has been appended to or configured and not deleted. */
    public Set<String> topics() { throw new UnsupportedOperationException(); }

    @Override
    public void close() { throw new UnsupportedOperationException(); }
}
