package dev.walrus.kafka.group.store;

import org.apache.kafka.common.Uuid;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Fields the group, share-group and streams-group records share: a string (i32 length, -1 for null, then UTF-8, so
 * that whatever a client sent, ids and host names, reads back as it was) and partitions by topic id (i32 topics, each
 * its id as two i64, i32 partitions, each an i32).
 */
public final class RecordFields {

    private RecordFields() {}

    public static void write(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /** @throws IOException if the record ends inside the string */
    public static String read(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] b = in.readNBytes(length);
        if (b.length != length) {
            throw new IOException("truncated string");
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    public static void writePartitions(DataOutputStream out, Map<Uuid, Set<Integer>> parts) throws IOException {
        out.writeInt(parts.size());
        for (Map.Entry<Uuid, Set<Integer>> e : parts.entrySet()) {
            out.writeLong(e.getKey().getMostSignificantBits());
            out.writeLong(e.getKey().getLeastSignificantBits());
            out.writeInt(e.getValue().size());
            for (int p : e.getValue()) {
                out.writeInt(p);
            }
        }
    }

    /** The partitions by topic id, each topic's in order. */
    public static Map<Uuid, Set<Integer>> readPartitions(DataInputStream in) throws IOException {
        int topics = in.readInt();
        Map<Uuid, Set<Integer>> parts = new HashMap<>();
        for (int t = 0; t < topics; t++) {
            Uuid id = new Uuid(in.readLong(), in.readLong());
            int count = in.readInt();
            Set<Integer> ps = new TreeSet<>();
            for (int i = 0; i < count; i++) {
                ps.add(in.readInt());
            }
            parts.put(id, ps);
        }
        return parts;
    }
}
