package dev.walrus.kafka.metadata;

import dev.walrus.engine.FsyncSchedule;
import dev.walrus.engine.ReadConsistency;
import dev.walrus.engine.TopicSettings;
import dev.walrus.engine.Walrus;
import dev.walrus.kafka.EngineReplay;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The cluster metadata's durable home: one internal engine topic, one entry per {@link MetadataRecord}, replayed in
 * order at start. Not a Kafka topic: clients never see it.
 *
 * <p>Durability: {@link #append} returns once written; callers answer the client only after {@link #durable()}
 * completes, so an acknowledged change survives a crash.
 */
final class MetadataLog {

    /** The engine topic; its name cannot collide with a partition's ({@code p-<id>-<n>}). */
    static final String ENGINE_TOPIC = "__walrus_metadata";

    private final Walrus engine;
    /** Records replayed and appended: the log's end offset, as DescribeQuorum reports the metadata log's. */
    private final AtomicLong records = new AtomicLong();

    MetadataLog(Walrus engine) {
        this.engine = engine;
    }

    /**
     * The log never fsyncs on its own: every change is followed by {@link #durable()} before anyone is answered, so
     * an append never blocks a network thread on the disk.
     */
    void configure() {
        engine.configureTopic(ENGINE_TOPIC, new TopicSettings(FsyncSchedule.none(), ReadConsistency.strictlyAtOnce()));
    }

    void replay(Consumer<MetadataRecord> apply) {
        EngineReplay.forEachEntry(engine, ENGINE_TOPIC, entry -> {
            apply.accept(MetadataRecordCodec.decode(entry.bytes()));
            records.incrementAndGet();
        });
    }

    /**
     * Essential to the engine (see {@link Walrus#appendEssential}): on a full disk, deleting a topic or changing its
     * retention is how space is freed, and its record must get through.
     */
    void append(MetadataRecord record) {
        engine.appendEssential(ENGINE_TOPIC, MetadataRecordCodec.encode(record));
        records.incrementAndGet();
    }

    /** The number of records in the log, replayed and appended since. */
    long endOffset() {
        return records.get();
    }

    /** Completes once every record appended so far is on disk (shares the engine's group commit). */
    CompletableFuture<Void> durable() {
        return engine.syncAsync();
    }
}
