package dev.walrus.kafka.group.offsets;

import dev.walrus.kafka.group.classic.ClassicGroup;
import dev.walrus.kafka.group.classic.ClassicMember;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The group-metadata records of {@code __consumer_offsets} in Kafka's byte layout: what Kafka's
 * {@code GroupMetadataMessageFormatter} prints for a classic group.
 *
 * <p>Key: the record type (int16, 2 = group metadata) then {@code GroupMetadataKey} version 0: {@code group}
 * (int16-length string).
 *
 * <p>Value: the value version (int16, 3: what Kafka 4.x writes) then {@code GroupMetadataValue} version 3, not
 * flexible: {@code protocolType} (string), {@code generation} (int32), {@code protocol} and {@code leader} (nullable
 * strings: length -1 for null), {@code currentStateTimestamp} (int64), then {@code members} (int32 count), each:
 * {@code memberId}, {@code groupInstanceId} (nullable), {@code clientId}, {@code clientHost} (strings),
 * {@code rebalanceTimeout}, {@code sessionTimeout} (int32), {@code subscription}, {@code assignment} (int32-length
 * bytes). A deleted group is the key with a null value.
 *
 * <p>Written from the schemas ({@code GroupMetadataKey.json}, {@code GroupMetadataValue.json}).
 */
public final class GroupMetadataRecords {

    /** The record type of group metadata: the int16 in front of the key. */
    public static final short KEY_TYPE = 2;
    /** The value version Kafka 4.x writes. */
    public static final short VALUE_VERSION = 3;

    private GroupMetadataRecords() {}

    public static byte[] key(String groupId) {
        return write(out -> {
            out.writeShort(KEY_TYPE);
            string(out, groupId);
        });
    }

    /**
     * The group as Kafka records it when a generation completes (every member with the chosen protocol's
     * subscription and its assignment) or when it becomes empty (no members, no protocol); its
     * {@code currentStateTimestamp} is when the group entered that state (-1 when unknown, as Kafka writes it).
     */
    public static byte[] value(ClassicGroup group) {
        long currentStateTimestampMs = group.stateTimestampMs();
        return write(out -> {
            out.writeShort(VALUE_VERSION);
            string(out, group.protocolType());
            out.writeInt(group.generationId());
            nullableString(out, group.isEmpty() ? null : group.protocolName());
            nullableString(out, group.isEmpty() ? null : group.leaderId());
            out.writeLong(currentStateTimestampMs);
            out.writeInt(group.members().size());
            for (ClassicMember m : group.members()) {
                string(out, m.memberId());
                nullableString(out, m.groupInstanceId());
                string(out, m.clientId());
                string(out, m.clientHost());
                out.writeInt(m.rebalanceTimeoutMs());
                out.writeInt(m.sessionTimeoutMs());
                bytes(out, group.protocolName() == null ? null : m.metadataFor(group.protocolName()));
                bytes(out, m.assignment());
            }
        });
    }

    /**
     * A group just created by a JoinGroup, as Kafka records it: no protocol type, generation 0, no members, and
     * {@code currentStateTimestamp} the group's at that moment.
     */
    public static byte[] newGroupValue(long currentStateTimestampMs) {
        return write(out -> {
            out.writeShort(VALUE_VERSION);
            string(out, "");
            out.writeInt(0);
            nullableString(out, null);
            nullableString(out, null);
            out.writeLong(currentStateTimestampMs);
            out.writeInt(0);
        });
    }

    private interface Body {
        void writeTo(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            body.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array never fails
        }
        return bytes.toByteArray();
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        nullableString(out, s == null ? "" : s);
    }

    private static void nullableString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeShort(-1);
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(utf8.length);
        out.write(utf8);
    }

    private static void bytes(DataOutputStream out, byte[] b) throws IOException {
        byte[] value = b == null ? new byte[0] : b;
        out.writeInt(value.length);
        out.write(value);
    }
}
