package dev.walrus.kafka.group.store;

import dev.walrus.kafka.group.Group;
import dev.walrus.kafka.group.classic.ClassicGroup;
import dev.walrus.kafka.group.classic.ClassicMember;
import dev.walrus.kafka.group.consumer.ClassicMetadata;
import dev.walrus.kafka.group.consumer.ConsumerGroup;
import dev.walrus.kafka.group.consumer.ConsumerMember;
import dev.walrus.kafka.group.consumer.MemberState;
import dev.walrus.kafka.group.streams.StreamsGroup;
import dev.walrus.kafka.group.streams.StreamsGroupRecords;
import org.apache.kafka.common.Uuid;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The records of the group log: one self-contained snapshot of a group per entry, or a tombstone.
 *
 * <pre>
 * record    := kind:int8 version:int8 groupId:str body
 * kind      := 1 classic | 2 consumer | 3 tombstone (no body) | 4 streams (see StreamsGroupRecords)
 * classic   := generation:int32 protocolType:str? protocolName:str? leader:str? stateSince:int64 count:int32 member*
 *              (stateSince: when the group entered its state, wall-clock ms, -1 unknown; absent before version 4)
 * member    := id:str instanceId:str? clientId:str clientHost:str rebalanceMs:int32 sessionMs:int32
 *              protocols:int32 (name:str metadata:bytes)* assignment:bytes
 * consumer  := groupEpoch:int32 assignmentEpoch:int32 signature:str count:int32 cmember* targets:int32 (id:str parts)*
 * cmember   := id:str instanceId:str? rackId:str? clientId:str clientHost:str rebalanceMs:int32 topics:int32 str*
 *              regex:str? assignor:str? epoch:int32 previousEpoch:int32 state:int8 assigned:parts pending:parts
 *              partitionEpochs:epochs classic
 * classic   := 0 (a consumer-protocol member) | 1 sessionMs:int32 protocols:int32 (name:str metadata:bytes)*
 *              (a classic-protocol member of the consumer group, KIP-848 migration; absent in version 2 records)
 * parts     := topics:int32 (topicId:uuid count:int32 partition:int32*)*
 * epochs    := topics:int32 (topicId:uuid count:int32 (partition:int32 epoch:int32)*)*
 * str       := length:int32 utf8 (str? allows length -1 for null); bytes := length:int32 raw
 * </pre>
 *
 * Big-endian (DataOutputStream). A record with an unknown kind or version is skipped at replay with a warning.
 * Versions: 2 (consumer members without the classic flag), 3 (with it), 4 (classic groups with stateSince). A
 * classic record before version 4 replays with its state time unknown, so its offsets age from their commits, as
 * Kafka treats a {@code GroupMetadata} record of a schema without {@code currentStateTimestamp}.
 */
public final class GroupRecords {

    static final byte CLASSIC = 1;
    static final byte CONSUMER = 2;
    static final byte TOMBSTONE = 3;
    /** A KIP-1071 streams group; its body is {@link StreamsGroupRecords}'. */
    static final byte STREAMS = 4;
    static final byte VERSION = 4;
    /** Records written before classic groups carried the time they entered their state: read with it unknown. */
    static final byte VERSION_WITHOUT_STATE_TIMESTAMP = 3;
    /** Records written before consumer groups could hold classic members: read as if every member were consumer. */
    static final byte VERSION_WITHOUT_CLASSIC_MEMBERS = 2;

    private GroupRecords() {}

    /** One decoded record: the group id, and the group or null for a tombstone. */
    public record Decoded(String groupId, Group group) {}

    public static byte[] tombstone(String groupId) {
        return write(out -> {
            out.writeByte(TOMBSTONE);
            out.writeByte(VERSION);
            str(out, groupId);
        });
    }

    public static byte[] snapshot(Group group) {
        return switch (group) {
            case ClassicGroup g -> write(out -> {
                out.writeByte(CLASSIC);
                out.writeByte(VERSION);
                str(out, g.groupId());
                out.writeInt(g.generationId());
                str(out, g.protocolTypeOrNull());
                str(out, g.protocolName());
                str(out, g.leaderId());
                out.writeLong(g.stateTimestampMs());
                out.writeInt(g.members().size());
                for (ClassicMember m : g.members()) {
                    str(out, m.memberId());
                    str(out, m.groupInstanceId());
                    str(out, m.clientId());
                    str(out, m.clientHost());
                    out.writeInt(m.rebalanceTimeoutMs());
                    out.writeInt(m.sessionTimeoutMs());
                    out.writeInt(m.protocols().size());
                    for (ClassicMember.Protocol p : m.protocols()) {
                        str(out, p.name());
                        bytes(out, p.metadata());
                    }
                    bytes(out, m.assignment());
                }
            });
            case ConsumerGroup g -> write(out -> {
                out.writeByte(CONSUMER);
                out.writeByte(VERSION);
                str(out, g.groupId());
                out.writeInt(g.groupEpoch());
                out.writeInt(g.assignmentEpoch());
                str(out, g.subscriptionSignature());
                out.writeInt(g.members().size());
                for (ConsumerMember m : g.members()) {
                    str(out, m.memberId());
                    str(out, m.instanceId());
                    str(out, m.rackId());
                    str(out, m.clientId());
                    str(out, m.clientHost());
                    out.writeInt(m.rebalanceTimeoutMs());
                    out.writeInt(m.subscribedTopicNames().size());
                    for (String t : m.subscribedTopicNames()) {
                        str(out, t);
                    }
                    str(out, m.subscribedTopicRegex());
                    str(out, m.serverAssignor());
                    out.writeInt(m.memberEpoch());
                    out.writeInt(m.previousMemberEpoch());
                    out.writeByte(m.state().ordinal());
                    parts(out, m.assigned());
                    parts(out, m.pendingRevocation());
                    epochs(out, m.partitionEpochs());
                    ClassicMetadata classic = m.classicMetadata();
                    out.writeByte(classic == null ? 0 : 1);
                    if (classic != null) {
                        out.writeInt(classic.sessionTimeoutMs());
                        out.writeInt(classic.protocols().size());
                        for (ClassicMember.Protocol p : classic.protocols()) {
                            str(out, p.name());
                            bytes(out, p.metadata());
                        }
                    }
                }
                out.writeInt(g.targetAssignment().size());
                for (Map.Entry<String, Map<Uuid, Set<Integer>>> e : g.targetAssignment().entrySet()) {
                    str(out, e.getKey());
                    parts(out, e.getValue());
                }
            });
            case StreamsGroup g -> write(out -> {
                out.writeByte(STREAMS);
                out.writeByte(VERSION);
                str(out, g.groupId());
                StreamsGroupRecords.write(g, out);
            });
            default -> throw new IllegalArgumentException("unknown group kind " + group.getClass());
        };
    }

    /** Decodes one record; throws {@link IllegalArgumentException} for a record it does not understand. */
    public static Decoded decode(byte[] record) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(record))) {
            byte kind = in.readByte();
            byte version = in.readByte();
            if (version < VERSION_WITHOUT_CLASSIC_MEMBERS || version > VERSION) {
                throw new IllegalArgumentException("unknown group record version " + version);
            }
            String groupId = str(in);
            return switch (kind) {
                case TOMBSTONE -> new Decoded(groupId, null);
                case CLASSIC -> new Decoded(groupId, classic(groupId, in, version > VERSION_WITHOUT_STATE_TIMESTAMP));
                case CONSUMER -> new Decoded(groupId, consumer(groupId, in, version > VERSION_WITHOUT_CLASSIC_MEMBERS));
                case STREAMS -> new Decoded(groupId, StreamsGroupRecords.read(groupId, in));
                default -> throw new IllegalArgumentException("unknown group record kind " + kind);
            };
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated group record", e);
        }
    }

    private static ClassicGroup classic(String groupId, DataInputStream in, boolean withStateTimestamp) throws IOException {
        int generation = in.readInt();
        String protocolType = str(in);
        String protocolName = str(in);
        String leader = str(in);
        long stateTimestampMs = withStateTimestamp ? in.readLong() : ClassicGroup.UNKNOWN_TIMESTAMP;
        int count = in.readInt();
        List<ClassicMember> members = new ArrayList<>(count);
        List<byte[]> assignments = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = str(in);
            String instanceId = str(in);
            String clientId = str(in);
            String clientHost = str(in);
            int rebalance = in.readInt();
            int session = in.readInt();
            int protocols = in.readInt();
            List<ClassicMember.Protocol> list = new ArrayList<>(protocols);
            for (int p = 0; p < protocols; p++) {
                list.add(new ClassicMember.Protocol(str(in), bytes(in)));
            }
            members.add(new ClassicMember(id, instanceId, clientId, clientHost, rebalance, session, list));
            assignments.add(bytes(in));
        }
        return ClassicGroup.restore(groupId, generation, protocolType, protocolName, leader, stateTimestampMs, members,
                assignments);
    }

    private static ConsumerGroup consumer(String groupId, DataInputStream in, boolean withClassic) throws IOException {
        int groupEpoch = in.readInt();
        int assignmentEpoch = in.readInt();
        String signature = str(in);
        int count = in.readInt();
        List<ConsumerMember> members = new ArrayList<>(count);
        MemberState[] states = MemberState.values();
        for (int i = 0; i < count; i++) {
            String id = str(in);
            String instanceId = str(in);
            String rackId = str(in);
            String clientId = str(in);
            String clientHost = str(in);
            int rebalance = in.readInt();
            int topicCount = in.readInt();
            List<String> topics = new ArrayList<>(topicCount);
            for (int t = 0; t < topicCount; t++) {
                topics.add(str(in));
            }
            String regex = str(in);
            String assignor = str(in);
            int epoch = in.readInt();
            int previous = in.readInt();
            MemberState state = states[in.readByte()];
            Map<Uuid, Set<Integer>> assigned = parts(in);
            Map<Uuid, Set<Integer>> pending = parts(in);
            Map<Uuid, Map<Integer, Integer>> partitionEpochs = epochs(in);
            ConsumerMember member = ConsumerMember.restore(id, instanceId, rackId, clientId, clientHost, rebalance, topics,
                    regex, assignor, epoch, previous, state, assigned, pending, partitionEpochs);
            if (withClassic && in.readByte() == 1) {
                int session = in.readInt();
                int protocols = in.readInt();
                List<ClassicMember.Protocol> list = new ArrayList<>(protocols);
                for (int p = 0; p < protocols; p++) {
                    list.add(new ClassicMember.Protocol(str(in), bytes(in)));
                }
                member.withClassicMetadata(new ClassicMetadata(session, list));
            }
            members.add(member);
        }
        int targets = in.readInt();
        Map<String, Map<Uuid, Set<Integer>>> target = new LinkedHashMap<>();
        for (int i = 0; i < targets; i++) {
            target.put(str(in), parts(in));
        }
        return ConsumerGroup.restore(groupId, groupEpoch, assignmentEpoch, signature == null ? "" : signature, members, target);
    }

    // ---- primitives -------------------------------------------------------------------------------------------------

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void str(DataOutputStream out, String s) throws IOException {
        RecordFields.write(out, s);
    }

    private static String str(DataInputStream in) throws IOException {
        return RecordFields.read(in);
    }

    private static void bytes(DataOutputStream out, byte[] b) throws IOException {
        byte[] v = b == null ? new byte[0] : b;
        out.writeInt(v.length);
        out.write(v);
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        byte[] b = in.readNBytes(Math.max(0, length));
        if (b.length != Math.max(0, length)) {
            throw new IOException("truncated bytes");
        }
        return b;
    }

    private static void parts(DataOutputStream out, Map<Uuid, Set<Integer>> parts) throws IOException {
        RecordFields.writePartitions(out, parts);
    }

    private static void epochs(DataOutputStream out, Map<Uuid, Map<Integer, Integer>> epochs) throws IOException {
        out.writeInt(epochs.size());
        for (Map.Entry<Uuid, Map<Integer, Integer>> e : epochs.entrySet()) {
            out.writeLong(e.getKey().getMostSignificantBits());
            out.writeLong(e.getKey().getLeastSignificantBits());
            out.writeInt(e.getValue().size());
            for (Map.Entry<Integer, Integer> pe : e.getValue().entrySet()) {
                out.writeInt(pe.getKey());
                out.writeInt(pe.getValue());
            }
        }
    }

    private static Map<Uuid, Map<Integer, Integer>> epochs(DataInputStream in) throws IOException {
        int topics = in.readInt();
        Map<Uuid, Map<Integer, Integer>> epochs = new HashMap<>();
        for (int t = 0; t < topics; t++) {
            Uuid id = new Uuid(in.readLong(), in.readLong());
            int count = in.readInt();
            Map<Integer, Integer> ps = new HashMap<>();
            for (int i = 0; i < count; i++) {
                ps.put(in.readInt(), in.readInt());
            }
            epochs.put(id, ps);
        }
        return epochs;
    }

    private static Map<Uuid, Set<Integer>> parts(DataInputStream in) throws IOException {
        return RecordFields.readPartitions(in);
    }
}
