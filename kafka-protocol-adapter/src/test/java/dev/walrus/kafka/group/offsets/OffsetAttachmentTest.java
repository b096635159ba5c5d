package dev.walrus.kafka.group.offsets;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class OffsetAttachmentTest {

    @Test
    void shouldKeepACommitWithoutAnExpireTimestampInVersionOne() {
        CommittedOffset plain = new CommittedOffset(42, 3, "meta", 1_700_000_000_000L);

        byte[] attachment = OffsetAttachment.encode(plain);

        assertThat(attachment[0]).isEqualTo((byte) 1);
        assertThat(attachment).hasSize(17 + 4);
        assertThat(OffsetAttachment.decode(42, attachment)).isEqualTo(plain);
    }

    @Test
    void shouldKeepTheExpireTimestampOfACommitWithARetentionTimeInVersionTwo() {
        CommittedOffset expiring = new CommittedOffset(42, 3, "meta", 1_700_000_000_000L, 1_700_000_060_000L);

        byte[] attachment = OffsetAttachment.encode(expiring);

        assertThat(attachment[0]).isEqualTo((byte) 2);
        assertThat(ByteBuffer.wrap(attachment).getLong(13)).isEqualTo(1_700_000_060_000L);
        assertThat(OffsetAttachment.decode(42, attachment)).isEqualTo(expiring);
    }

    @Test
    void shouldKeepANullMetadataInBothVersions() {
        CommittedOffset plain = new CommittedOffset(1, -1, null, 5L);
        CommittedOffset expiring = new CommittedOffset(1, -1, null, 5L, 10L);

        assertThat(OffsetAttachment.decode(1, OffsetAttachment.encode(plain))).isEqualTo(plain);
        assertThat(OffsetAttachment.decode(1, OffsetAttachment.encode(expiring))).isEqualTo(expiring);
    }

    @Test
    void shouldReadAVersionOneCheckpointWrittenByHandAsACommitWithoutExpireTimestamp() {
        byte[] metadata = "m".getBytes(StandardCharsets.UTF_8);
        ByteBuffer v1 = ByteBuffer.allocate(17 + 1).put((byte) 1).putInt(7).putLong(123L).putInt(1).put(metadata);

        CommittedOffset read = OffsetAttachment.decode(9, v1.array());

        assertThat(read).isEqualTo(new CommittedOffset(9, 7, "m", 123L));
        assertThat(read.hasExpireTimestamp()).isFalse();
    }

    @Test
    void shouldReadAnAttachmentItDidNotWriteAsTheOffsetAlone() {
        assertThat(OffsetAttachment.decode(9, new byte[] {9, 9, 9})).isEqualTo(new CommittedOffset(9, -1, "", 0L));
        assertThat(OffsetAttachment.decode(9, null)).isEqualTo(new CommittedOffset(9, -1, "", 0L));
    }
}
