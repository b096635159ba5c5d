package dev.walrus.kafka.txn;

import dev.walrus.kafka.group.offsets.CommittedOffset;
import dev.walrus.kafka.group.offsets.CommittedOffsets;
import dev.walrus.kafka.metadata.TopicInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The transaction log's record: a whole snapshot of one transactional id (the last record of an id wins), in a
 * versioned binary layout of our own (the engine's entry CRC guards it).
 *
 * <p>Layout, version 1: version byte, transactional id, producer id, epoch, the epoch before the producer's last own
 * bump (KIP-360), timeout, state ordinal, start and update
 * times, the partitions (topic name, index), the groups, and the offsets to commit (group, then topic id, partition,
 * offset, leader epoch, metadata or null, commit time). Strings are modified UTF-8 as {@link DataOutputStream} writes.
 * Version 2 appends the transaction version 2 flag, the previous and the next producer id (KIP-890 part 2); a version 1
 * record reads as transaction version 1 with neither.
 */
final class TransactionRecords {

    private static final byte VERSION = 2;
    private static final byte VERSION_1 = 1;

    private TransactionRecords() {}

    static byte[] snapshot(Transaction t) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(t.transactionalId);
            out.writeLong(t.producerId);
            out.writeShort(t.epoch);
            out.writeShort(t.lastEpoch);
            out.writeInt(t.timeoutMs);
            out.writeByte(t.state.ordinal());
            out.writeLong(t.startMs);
            out.writeLong(t.updateMs);
            List<TopicPartition> partitions = t.sortedPartitions();
            out.writeInt(partitions.size());
            for (TopicPartition tp : partitions) {
                out.writeUTF(tp.topic());
                out.writeInt(tp.partition());
            }
            out.writeInt(t.groups.size());
            for (String g : t.groups) {
                out.writeUTF(g);
            }
            out.writeInt(t.offsetsToCommit.size());
            for (Map.Entry<String, List<CommittedOffsets.Write>> e : t.offsetsToCommit.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().size());
                for (CommittedOffsets.Write w : e.getValue()) {
                    out.writeLong(w.topic().id().getMostSignificantBits());
                    out.writeLong(w.topic().id().getLeastSignificantBits());
                    out.writeInt(w.partition());
                    out.writeLong(w.value().offset());
                    out.writeInt(w.value().leaderEpoch());
                    out.writeBoolean(w.value().metadata() != null);
                    if (w.value().metadata() != null) {
                        out.writeUTF(w.value().metadata());
                    }
                    out.writeLong(w.value().commitTimestampMs());
                }
            }
            out.writeBoolean(t.tv2);
            out.writeLong(t.prevProducerId);
            out.writeLong(t.nextProducerId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes a snapshot; offsets of topics that no longer exist are dropped.
     *
     * @throws IllegalArgumentException if the record is not one this version can read
     */
    static Transaction decode(byte[] record, Function<Uuid, Optional<TopicInfo>> topicsById) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(record))) {
            byte version = in.readByte();
            if (version != VERSION && version != VERSION_1) {
                throw new IllegalArgumentException("unknown transaction record version " + version);
            }
            String id = in.readUTF();
            long producerId = in.readLong();
            short epoch = in.readShort();
            short lastEpoch = in.readShort();
            int timeoutMs = in.readInt();
            int stateOrdinal = in.readByte();
            if (stateOrdinal < 0 || stateOrdinal >= TransactionState.values().length) {
                throw new IllegalArgumentException("unknown transaction state " + stateOrdinal);
            }
            Transaction t = new Transaction(id, producerId, epoch, timeoutMs, 0);
            t.lastEpoch = lastEpoch;
            t.state = TransactionState.values()[stateOrdinal];
            t.startMs = in.readLong();
            t.updateMs = in.readLong();
            int partitions = in.readInt();
            for (int i = 0; i < partitions; i++) {
                t.partitions.add(new TopicPartition(in.readUTF(), in.readInt()));
            }
            int groups = in.readInt();
            for (int i = 0; i < groups; i++) {
                t.groups.add(in.readUTF());
            }
            int offsetGroups = in.readInt();
            Map<String, List<CommittedOffsets.Write>> offsets = new LinkedHashMap<>();
            for (int i = 0; i < offsetGroups; i++) {
                String group = in.readUTF();
                int count = in.readInt();
                List<CommittedOffsets.Write> writes = new ArrayList<>(count);
                for (int j = 0; j < count; j++) {
                    Uuid topicId = new Uuid(in.readLong(), in.readLong());
                    int partition = in.readInt();
                    long offset = in.readLong();
                    int leaderEpoch = in.readInt();
                    String metadata = in.readBoolean() ? in.readUTF() : null;
                    long commitTime = in.readLong();
                    topicsById.apply(topicId).ifPresent(topic -> writes.add(new CommittedOffsets.Write(topic, partition,
                            new CommittedOffset(offset, leaderEpoch, metadata, commitTime))));
                }
                offsets.put(group, writes);
            }
            t.offsetsToCommit = offsets;
            if (version >= VERSION) {
                t.tv2 = in.readBoolean();
                t.prevProducerId = in.readLong();
                t.nextProducerId = in.readLong();
            }
            return t;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated transaction record", e);
        }
    }
}
