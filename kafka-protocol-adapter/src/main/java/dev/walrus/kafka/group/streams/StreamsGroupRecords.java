package dev.walrus.kafka.group.streams;

import dev.walrus.kafka.group.store.RecordFields;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The body of a streams group's snapshot in the group log ({@code __walrus_groups}, kind 4 of
 * {@link dev.walrus.kafka.group.store.GroupRecords}).
 *
 * <pre>
 * streams   := groupEpoch:int32 assignmentEpoch:int32 endpointEpoch:int32 ready:int8 signature:str
 *              hasTopology:int8 [topology] count:int32 member* targets:int32 (id:str active:tasks standby:tasks)*
 * topology  := epoch:int32 count:int32 (id:str sources:strs sinks:strs repartition:topics changelog:topics
 *              copartition:int32 (sources:ints repartition:ints)*)*
 * topics    := count:int32 (name:str partitions:int32 rf:int16 configs:int32 (key:str value:str)*)*
 * member    := id:str instanceId:str? rackId:str? clientId:str clientHost:str rebalanceMs:int32 topologyEpoch:int32
 *              processId:str hasEndpoint:int8 [host:str port:int32] tags:int32 (key:str value:str)*
 *              epoch:int32 previousEpoch:int32 state:int8 active:tasks standby:tasks warmup:tasks
 *              activePending:tasks standbyPending:tasks activeEpochs:epochs
 * tasks     := count:int32 (subtopology:str n:int32 partition:int32*)*
 * epochs    := count:int32 (subtopology:str n:int32 (partition:int32 epoch:int32)*)*
 * </pre>
 */
public final class StreamsGroupRecords {

    private StreamsGroupRecords() {}

    public static void write(StreamsGroup g, DataOutputStream out) throws IOException {
        out.writeInt(g.groupEpoch);
        out.writeInt(g.assignmentEpoch);
        out.writeInt(g.endpointInformationEpoch);
        out.writeByte(g.topologyReady ? 1 : 0);
        str(out, g.topologySignature);
        out.writeByte(g.topology == null ? 0 : 1);
        if (g.topology != null) {
            topology(out, g.topology);
        }
        out.writeInt(g.members.size());
        for (StreamsMember m : g.members.values()) {
            str(out, m.memberId());
            str(out, m.instanceId);
            str(out, m.rackId);
            str(out, m.clientId);
            str(out, m.clientHost);
            out.writeInt(m.rebalanceTimeoutMs);
            out.writeInt(m.topologyEpoch);
            str(out, m.processId);
            out.writeByte(m.userEndpoint == null ? 0 : 1);
            if (m.userEndpoint != null) {
                str(out, m.userEndpoint.host());
                out.writeInt(m.userEndpoint.port());
            }
            stringMap(out, m.clientTags);
            out.writeInt(m.memberEpoch);
            out.writeInt(m.previousMemberEpoch);
            out.writeByte(m.state.ordinal());
            tasks(out, m.active);
            tasks(out, m.standby);
            tasks(out, m.warmup);
            tasks(out, m.activePendingRevocation);
            tasks(out, m.standbyPendingRevocation);
            out.writeInt(m.activeTaskEpochs.size());
            for (Map.Entry<String, Map<Integer, Integer>> e : m.activeTaskEpochs.entrySet()) {
                str(out, e.getKey());
                out.writeInt(e.getValue().size());
                for (Map.Entry<Integer, Integer> pe : e.getValue().entrySet()) {
                    out.writeInt(pe.getKey());
                    out.writeInt(pe.getValue());
                }
            }
        }
        out.writeInt(g.targetAssignment.size());
        for (Map.Entry<String, StickyTaskAssignor.Target> e : g.targetAssignment.entrySet()) {
            str(out, e.getKey());
            tasks(out, e.getValue().active());
            tasks(out, e.getValue().standby());
        }
    }

    public static StreamsGroup read(String groupId, DataInputStream in) throws IOException {
        int groupEpoch = in.readInt();
        int assignmentEpoch = in.readInt();
        int endpointEpoch = in.readInt();
        boolean ready = in.readByte() != 0;
        String signature = str(in);
        StreamsTopology topology = in.readByte() == 0 ? null : topology(in);
        int count = in.readInt();
        List<StreamsMember> members = new ArrayList<>(count);
        StreamsMemberState[] states = StreamsMemberState.values();
        for (int i = 0; i < count; i++) {
            StreamsMember m = new StreamsMember(str(in));
            m.instanceId = str(in);
            m.rackId = str(in);
            m.clientId = str(in);
            m.clientHost = str(in);
            m.rebalanceTimeoutMs = in.readInt();
            m.topologyEpoch = in.readInt();
            m.processId = str(in);
            if (in.readByte() != 0) {
                m.userEndpoint = new StreamsMember.Endpoint(str(in), in.readInt());
            }
            m.clientTags = stringMap(in);
            m.memberEpoch = in.readInt();
            m.previousMemberEpoch = in.readInt();
            m.state = states[in.readByte()];
            m.active = tasks(in);
            m.standby = tasks(in);
            m.warmup = tasks(in);
            m.activePendingRevocation = tasks(in);
            m.standbyPendingRevocation = tasks(in);
            int subtopologies = in.readInt();
            Map<String, Map<Integer, Integer>> epochs = new HashMap<>();
            for (int s = 0; s < subtopologies; s++) {
                String id = str(in);
                int n = in.readInt();
                Map<Integer, Integer> ps = new HashMap<>();
                for (int p = 0; p < n; p++) {
                    ps.put(in.readInt(), in.readInt());
                }
                epochs.put(id, ps);
            }
            m.activeTaskEpochs = epochs;
            members.add(m);
        }
        int targets = in.readInt();
        Map<String, StickyTaskAssignor.Target> target = new LinkedHashMap<>();
        for (int i = 0; i < targets; i++) {
            target.put(str(in), new StickyTaskAssignor.Target(tasks(in), tasks(in)));
        }
        return StreamsGroup.restore(groupId, groupEpoch, assignmentEpoch, topology, ready,
                signature == null ? "" : signature, endpointEpoch, members, target);
    }

    private static void topology(DataOutputStream out, StreamsTopology t) throws IOException {
        out.writeInt(t.epoch());
        out.writeInt(t.subtopologies().size());
        for (StreamsTopology.Subtopology s : t.subtopologies()) {
            str(out, s.id());
            strings(out, s.sourceTopics());
            strings(out, s.repartitionSinkTopics());
            topics(out, s.repartitionSourceTopics());
            topics(out, s.stateChangelogTopics());
            out.writeInt(s.copartitionGroups().size());
            for (StreamsTopology.CopartitionGroup g : s.copartitionGroups()) {
                ints(out, g.sourceTopics());
                ints(out, g.repartitionSourceTopics());
            }
        }
    }

    private static StreamsTopology topology(DataInputStream in) throws IOException {
        int epoch = in.readInt();
        int count = in.readInt();
        List<StreamsTopology.Subtopology> subtopologies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = str(in);
            List<String> sources = strings(in);
            List<String> sinks = strings(in);
            List<StreamsTopology.InternalTopic> repartition = topics(in);
            List<StreamsTopology.InternalTopic> changelog = topics(in);
            int groups = in.readInt();
            List<StreamsTopology.CopartitionGroup> copartition = new ArrayList<>(groups);
            for (int g = 0; g < groups; g++) {
                copartition.add(new StreamsTopology.CopartitionGroup(ints(in), ints(in)));
            }
            subtopologies.add(new StreamsTopology.Subtopology(id, sources, sinks, repartition, changelog, List.copyOf(copartition)));
        }
        return new StreamsTopology(epoch, List.copyOf(subtopologies));
    }

    private static void topics(DataOutputStream out, List<StreamsTopology.InternalTopic> topics) throws IOException {
        out.writeInt(topics.size());
        for (StreamsTopology.InternalTopic t : topics) {
            str(out, t.name());
            out.writeInt(t.partitions());
            out.writeShort(t.replicationFactor());
            stringMap(out, t.configs());
        }
    }

    private static List<StreamsTopology.InternalTopic> topics(DataInputStream in) throws IOException {
        int count = in.readInt();
        List<StreamsTopology.InternalTopic> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(new StreamsTopology.InternalTopic(str(in), in.readInt(), in.readShort(), stringMap(in)));
        }
        return List.copyOf(list);
    }

    private static void tasks(DataOutputStream out, Map<String, Set<Integer>> tasks) throws IOException {
        out.writeInt(tasks.size());
        for (Map.Entry<String, Set<Integer>> e : tasks.entrySet()) {
            str(out, e.getKey());
            out.writeInt(e.getValue().size());
            for (int p : e.getValue()) {
                out.writeInt(p);
            }
        }
    }

    private static Map<String, Set<Integer>> tasks(DataInputStream in) throws IOException {
        int count = in.readInt();
        Map<String, Set<Integer>> tasks = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            String id = str(in);
            int n = in.readInt();
            for (int p = 0; p < n; p++) {
                Tasks.add(tasks, id, in.readInt());
            }
        }
        return tasks;
    }

    private static void stringMap(DataOutputStream out, Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            str(out, e.getKey());
            str(out, e.getValue());
        }
    }

    private static Map<String, String> stringMap(DataInputStream in) throws IOException {
        int count = in.readInt();
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            map.put(str(in), str(in));
        }
        return map;
    }

    private static void strings(DataOutputStream out, List<String> list) throws IOException {
        out.writeInt(list.size());
        for (String s : list) {
            str(out, s);
        }
    }

    private static List<String> strings(DataInputStream in) throws IOException {
        int count = in.readInt();
        List<String> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(str(in));
        }
        return List.copyOf(list);
    }

    private static void ints(DataOutputStream out, List<Integer> list) throws IOException {
        out.writeInt(list.size());
        for (int v : list) {
            out.writeInt(v);
        }
    }

    private static List<Integer> ints(DataInputStream in) throws IOException {
        int count = in.readInt();
        List<Integer> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(in.readInt());
        }
        return List.copyOf(list);
    }

    private static void str(DataOutputStream out, String s) throws IOException {
        RecordFields.write(out, s);
    }

    private static String str(DataInputStream in) throws IOException {
        return RecordFields.read(in);
    }
}
