package dev.walrus.engine.format;

import dev.walrus.engine.FsyncSchedule;
import dev.walrus.engine.ReadConsistency;
import dev.walrus.engine.TopicSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.CRC32C;

/**
 * One record of the metadata log: topic settings, truncation points, topic deletions and reader checkpoints.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      body length (u32)                        |  0
 * +---------------------------------------------------------------+
 * |                   CRC32C of the body (u32)                    |  4
 * +---------------+-----------------------------------------------+
 * |  type (u8)    |  topic: u16 length + UTF-8, then per type:    |  8
 * +---------------+                                               |
 * |  SETTINGS:       fsync kind u8, interval nanos u64,           |
 * |                  consistency kind u8, persistEvery u32        |
 * |  TRUNCATE:       start position u64                           |
 * |  DELETE_TOPIC:   incarnation u64                              |
 * |  READER_COMMIT:  reader name (u16 + UTF-8), position u64,     |
 * |                  attachment (u32 length + bytes)              |
 * |  READER_DELETE:  reader name (u16 + UTF-8)                    |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * A record whose length or CRC does not check out ends the log (torn tail). Durability rule: a record that must be
 * durable (settings, truncation, deletion, strictly-at-once checkpoints) is fsynced before the call that wrote it
 * returns; truncation and deletion are durable before any block is counted as checkpointed.
 */
public sealed interface MetaRecord {

    int LENGTH_OFFSET = 0;
    int CRC_OFFSET = 4;
    int BODY_OFFSET = 8;
    /** A body longer than this is damage, not a record (names are short, attachments at most 4 KiB). */
    int MAX_BODY = 64 * 1024;

    byte SETTINGS = 1;
    byte TRUNCATE = 2;
    byte DELETE_TOPIC = 3;
    byte READER_COMMIT = 4;
    byte READER_DELETE = 5;

    byte FSYNC_NONE = 0;
    byte FSYNC_EACH = 1;
    byte FSYNC_EVERY = 2;
    byte CONSISTENCY_STRICT = 0;
    byte CONSISTENCY_AT_LEAST_ONCE = 1;

    String topic();

    record Settings(String topic, TopicSettings settings) implements MetaRecord {}

    record Truncate(String topic, long position) implements MetaRecord {}

    record DeleteTopic(String topic, long incarnation) implements MetaRecord {}

    record ReaderCommit(String topic, String reader, long position, byte[] attachment) implements MetaRecord {}

    record ReaderDelete(String topic, String reader) implements MetaRecord {}

    /** The framed bytes of a record (length, CRC, body). */
    static byte[] encode(MetaRecord r) {
        ByteBuffer body = ByteBuffer.allocate(MAX_BODY).order(Layout.ORDER);
        switch (r) {
            case Settings s -> {
                body.put(SETTINGS);
                putString(body, s.topic());
                switch (s.settings().fsync()) {
                    case FsyncSchedule.None n -> body.put(FSYNC_NONE).putLong(0);
                    case FsyncSchedule.SyncEach e -> body.put(FSYNC_EACH).putLong(0);
                    case FsyncSchedule.Every e -> body.put(FSYNC_EVERY).putLong(e.interval().toNanos());
                }
                switch (s.settings().readConsistency()) {
                    case ReadConsistency.StrictlyAtOnce x -> body.put(CONSISTENCY_STRICT).putInt(0);
                    case ReadConsistency.AtLeastOnce a -> body.put(CONSISTENCY_AT_LEAST_ONCE).putInt(a.persistEvery());
                }
            }
            case Truncate t -> {
                body.put(TRUNCATE);
                putString(body, t.topic());
                body.putLong(t.position());
            }
            case DeleteTopic d -> {
                body.put(DELETE_TOPIC);
                putString(body, d.topic());
                body.putLong(d.incarnation());
            }
            case ReaderCommit c -> {
                body.put(READER_COMMIT);
                putString(body, c.topic());
                putString(body, c.reader());
                body.putLong(c.position());
                body.putInt(c.attachment().length);
                body.put(c.attachment());
            }
            case ReaderDelete d -> {
                body.put(READER_DELETE);
                putString(body, d.topic());
                putString(body, d.reader());
            }
        }
        int length = body.position();
        CRC32C crc = new CRC32C();
        crc.update(body.array(), 0, length);
        byte[] framed = new byte[BODY_OFFSET + length];
        ByteBuffer f = ByteBuffer.wrap(framed).order(Layout.ORDER);
        f.putInt(length).putInt((int) crc.getValue()).put(body.array(), 0, length);
        return framed;
    }

    /**
     * Decodes the record at the buffer's position and advances past it; null (position unchanged) if what is there
     * is not a complete, intact record.
     */
    static MetaRecord decode(ByteBuffer in) {
        in.order(Layout.ORDER);
        int start = in.position();
        if (in.remaining() < BODY_OFFSET) {
            return null;
        }
        int length = in.getInt(start + LENGTH_OFFSET);
        if (length < 1 || length > MAX_BODY || in.remaining() < BODY_OFFSET + length) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(in.slice(start + BODY_OFFSET, length));
        if ((int) crc.getValue() != in.getInt(start + CRC_OFFSET)) {
            return null;
        }
        ByteBuffer body = in.slice(start + BODY_OFFSET, length).order(Layout.ORDER);
        MetaRecord r;
        try {
            byte type = body.get();
            String topic = getString(body);
            r = switch (type) {
                case SETTINGS -> {
                    byte fk = body.get();
                    long nanos = body.getLong();
                    byte ck = body.get();
                    int every = body.getInt();
                    FsyncSchedule fs = switch (fk) {
                        case FSYNC_NONE -> FsyncSchedule.none();
                        case FSYNC_EACH -> FsyncSchedule.syncEach();
                        case FSYNC_EVERY -> FsyncSchedule.every(Duration.ofNanos(nanos));
                        default -> throw new IllegalStateException("unknown fsync kind " + fk);
                    };
                    ReadConsistency rc = ck == CONSISTENCY_STRICT ? ReadConsistency.strictlyAtOnce()
                            : ReadConsistency.atLeastOnce(every);
                    yield new Settings(topic, new TopicSettings(fs, rc));
                }
                case TRUNCATE -> new Truncate(topic, body.getLong());
                case DELETE_TOPIC -> new DeleteTopic(topic, body.getLong());
                case READER_COMMIT -> {
                    String reader = getString(body);
                    long position = body.getLong();
                    byte[] attachment = new byte[body.getInt()];
                    body.get(attachment);
                    yield new ReaderCommit(topic, reader, position, attachment);
                }
                case READER_DELETE -> new ReaderDelete(topic, getString(body));
                default -> throw new IllegalStateException("unknown meta record type " + type);
            };
        } catch (RuntimeException e) {
            throw new IllegalStateException("metadata record with a valid CRC does not decode: " + e.getMessage()
                    + " (written by a newer engine?)", e);
        }
        in.position(start + BODY_OFFSET + length);
        return r;
    }

    private static void putString(ByteBuffer b, String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        b.putShort((short) utf8.length);
        b.put(utf8);
    }

    private static String getString(ByteBuffer b) {
        byte[] utf8 = new byte[Short.toUnsignedInt(b.getShort())];
        b.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
