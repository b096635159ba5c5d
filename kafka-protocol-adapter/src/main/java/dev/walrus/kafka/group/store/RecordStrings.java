package dev.walrus.kafka.group.store;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The string field of the group, share-group and streams-group records: i32 length (-1 for null), then UTF-8, so
 * that whatever a client sent (ids, host names) reads back as it was.
 */
public final class RecordStrings {

    private RecordStrings() {}

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
}
