package dev.walrus.kafka.share;

import dev.walrus.kafka.group.store.RecordFields;
import org.apache.kafka.common.Uuid;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The records of the share group log ({@value ShareGroupLog#TOPIC}): a share group's membership, or a share
 * partition's delivery state (Kafka keeps the first in {@code __consumer_offsets} and the second in
 * {@code __share_group_state}), each a self-contained snapshot, or a tombstone.
 *
 * <pre>
 * record     := kind:int8 version:int8 body
 * 1 group    := groupId:str groupEpoch:int32 assignmentEpoch:int32 signature:str count:int32 member* targets
 *   member   := id:str epoch:int32 rackId:str? clientId:str clientHost:str topics:int32 str* assigned:parts
 *   targets  := count:int32 (memberId:str parts)*
 * 2 group gone      := groupId:str (its share partitions go with it)
 * 3 partition       := groupId:str topicId:uuid partition:int32 startOffset:int64 count:int32
 *                      (first:int64 last:int64 state:int8 deliveryCount:int16)*
 * 4 partition gone  := groupId:str topicId:uuid partition:int32
 * parts      := topics:int32 (topicId:uuid count:int32 partition:int32*)*
 * str        := length:int32 UTF-8 (-1 for null)
 * </pre>
 */
final class ShareRecords {

    static final byte GROUP = 1;
    static final byte GROUP_GONE = 2;
    static final byte PARTITION = 3;
    static final byte PARTITION_GONE = 4;
    static final byte VERSION = 1;

    private ShareRecords() {}

    /** One decoded record: exactly one of its fields is set, with the ids of what is gone. */
    record Decoded(ShareGroup group, String groupGone, SharePartition.Snapshot partition, SharePartitionKey partitionGone) {}

    static byte[] group(ShareGroup g) {
        return write(out -> {
            out.writeByte(GROUP);
            out.writeByte(VERSION);
            str(out, g.groupId());
            out.writeInt(g.groupEpoch);
            out.writeInt(g.assignmentEpoch);
            str(out, g.subscriptionSignature);
            out.writeInt(g.members.size());
            for (ShareMember m : g.members.values()) {
                str(out, m.memberId());
                out.writeInt(m.memberEpoch);
                str(out, m.rackId);
                str(out, m.clientId);
                str(out, m.clientHost);
                out.writeInt(m.subscribedTopicNames.size());
                for (String t : m.subscribedTopicNames) {
                    str(out, t);
                }
                parts(out, m.assigned);
            }
            out.writeInt(g.targetAssignment.size());
            for (Map.Entry<String, Map<Uuid, Set<Integer>>> e : g.targetAssignment.entrySet()) {
                str(out, e.getKey());
                parts(out, e.getValue());
            }
        });
    }

    static byte[] groupGone(String groupId) {
        return write(out -> {
            out.writeByte(GROUP_GONE);
            out.writeByte(VERSION);
            str(out, groupId);
        });
    }

    static byte[] partition(SharePartition.Snapshot s) {
        return write(out -> {
            out.writeByte(PARTITION);
            out.writeByte(VERSION);
            key(out, s.key());
            out.writeLong(s.startOffset());
            out.writeInt(s.batches().size());
            for (StateBatch b : s.batches()) {
                out.writeLong(b.firstOffset());
                out.writeLong(b.lastOffset());
                out.writeByte(b.state().id);
                out.writeShort(b.deliveryCount());
            }
        });
    }

    static byte[] partitionGone(SharePartitionKey key) {
        return write(out -> {
            out.writeByte(PARTITION_GONE);
            out.writeByte(VERSION);
            key(out, key);
        });
    }

    static Decoded decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte kind = in.readByte();
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown share record version " + version);
            }
            return switch (kind) {
                case GROUP -> new Decoded(readGroup(in), null, null, null);
                case GROUP_GONE -> new Decoded(null, str(in), null, null);
                case PARTITION -> {
                    SharePartitionKey key = key(in);
                    long start = in.readLong();
                    int count = in.readInt();
                    List<StateBatch> batches = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        batches.add(new StateBatch(in.readLong(), in.readLong(), DeliveryState.forId(in.readByte()), in.readShort()));
                    }
                    yield new Decoded(null, null, new SharePartition.Snapshot(key, start, batches), null);
                }
                case PARTITION_GONE -> new Decoded(null, null, null, key(in));
                default -> throw new IllegalArgumentException("unknown share record kind " + kind);
            };
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated share record", e);
        }
    }

    private static ShareGroup readGroup(DataInputStream in) throws IOException {
        ShareGroup g = new ShareGroup(str(in));
        g.groupEpoch = in.readInt();
        g.assignmentEpoch = in.readInt();
        g.subscriptionSignature = str(in);
        int members = in.readInt();
        for (int i = 0; i < members; i++) {
            ShareMember m = new ShareMember(str(in));
            m.memberEpoch = in.readInt();
            m.rackId = str(in);
            m.clientId = str(in);
            m.clientHost = str(in);
            int topics = in.readInt();
            List<String> names = new ArrayList<>(topics);
            for (int t = 0; t < topics; t++) {
                names.add(str(in));
            }
            m.subscribedTopicNames = List.copyOf(names);
            m.assigned = parts(in);
            g.members.put(m.memberId(), m);
        }
        int targets = in.readInt();
        for (int i = 0; i < targets; i++) {
            g.targetAssignment.put(str(in), parts(in));
        }
        return g;
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Writer w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void key(DataOutputStream out, SharePartitionKey key) throws IOException {
        str(out, key.groupId());
        out.writeLong(key.topicId().getMostSignificantBits());
        out.writeLong(key.topicId().getLeastSignificantBits());
        out.writeInt(key.partition());
    }

    private static SharePartitionKey key(DataInputStream in) throws IOException {
        return new SharePartitionKey(str(in), new Uuid(in.readLong(), in.readLong()), in.readInt());
    }

    private static void parts(DataOutputStream out, Map<Uuid, Set<Integer>> parts) throws IOException {
        RecordFields.writePartitions(out, parts);
    }

    private static Map<Uuid, Set<Integer>> parts(DataInputStream in) throws IOException {
        return RecordFields.readPartitions(in);
    }

    private static void str(DataOutputStream out, String s) throws IOException {
        RecordFields.write(out, s);
    }

    private static String str(DataInputStream in) throws IOException {
        return RecordFields.read(in);
    }
}
