package dev.walrus.kafka.metadata;

import dev.walrus.kafka.authz.Acl;
import dev.walrus.kafka.quota.QuotaEntity;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetadataRecordCodecTest {

    private static final Uuid ID = Uuid.randomUuid();

    @Test
    void shouldRoundTripEveryRecordType() {
        for (MetadataRecord record : new MetadataRecord[] {
                new MetadataRecord.ClusterCreated("f4LEMEEjT_ahRHPoe0JKEw"),
                new MetadataRecord.TopicCreated("orders", ID, 3, Map.of("retention.ms", "1000", "cleanup.policy", "compact")),
                new MetadataRecord.PartitionsAdded(ID, 5),
                new MetadataRecord.ConfigsChanged(ID, Map.of("segment.bytes", "1048576")),
                new MetadataRecord.TopicDeleted(ID)}) {
            assertThat(MetadataRecordCodec.decode(MetadataRecordCodec.encode(record))).isEqualTo(record);
        }
    }

    @Test
    void shouldRoundTripScramCredentialsOfAnySizeAClientCanSend() {
        // AlterUserScramCredentials takes any salt and name; a record that cannot be read back would stop the broker
        // at its next start
        String longName = "u".repeat(70_000) + "\u00e9";
        MetadataRecord.ScramCredentialSet set = new MetadataRecord.ScramCredentialSet(longName, (byte) 2,
                new byte[2048], new byte[] {1, 2, 3}, new byte[] {4, 5}, 8192);
        assertThat(MetadataRecordCodec.decode(MetadataRecordCodec.encode(set))).usingRecursiveComparison().isEqualTo(set);
        MetadataRecord.ScramCredentialDeleted deleted = new MetadataRecord.ScramCredentialDeleted(longName, (byte) 1);
        assertThat(MetadataRecordCodec.decode(MetadataRecordCodec.encode(deleted))).isEqualTo(deleted);
    }

    @Test
    void shouldRoundTripAclsWithAnyNamesAClientCanSend() {
        Acl acl = new Acl(ResourceType.TOPIC, "t".repeat(70_000) + "\u00e9", PatternType.PREFIXED, "User:CN=a,O=b",
                "10.0.0.0/8", AclOperation.ALL, AclPermissionType.DENY);
        for (MetadataRecord record : new MetadataRecord[] {new MetadataRecord.AclCreated(acl), new MetadataRecord.AclDeleted(acl)}) {
            assertThat(MetadataRecordCodec.decode(MetadataRecordCodec.encode(record))).isEqualTo(record);
        }
    }

    @Test
    void shouldRoundTripClientQuotaChangesWithDefaultEntities() {
        java.util.Map<String, String> names = new java.util.HashMap<>();
        names.put("user", null);
        names.put("client-id", "app\u00e9");
        for (MetadataRecord record : new MetadataRecord[] {
                new MetadataRecord.ClientQuotaChanged(new QuotaEntity(names), "producer_byte_rate", 1024.0, false),
                new MetadataRecord.ClientQuotaChanged(new QuotaEntity(Map.of("ip", "10.0.0.1")), "connection_creation_rate", 0, true)}) {
            assertThat(MetadataRecordCodec.decode(MetadataRecordCodec.encode(record))).isEqualTo(record);
        }
    }

    @Test
    void shouldRoundTripDelegationTokens() {
        for (MetadataRecord record : new MetadataRecord[] {
                new MetadataRecord.DelegationTokenSet(new dev.walrus.kafka.security.DelegationToken("token-1",
                        "User:alice", "User:admin", java.util.List.of("User:bob", "User:carol\u00e9"), 1_000L, 9_000L, 5_000L)),
                new MetadataRecord.DelegationTokenSet(new dev.walrus.kafka.security.DelegationToken("token-2",
                        "User:alice", "User:alice", java.util.List.of(), 1L, Long.MAX_VALUE, 2L)),
                new MetadataRecord.DelegationTokenRemoved("token-1"),
                new MetadataRecord.ClientMetricsConfigsChanged("sub-\u00e9", Map.of("interval.ms", "1000",
                        "match", "client_id=a.*")),
                new MetadataRecord.ClientMetricsConfigsChanged("sub", Map.of())}) {
            assertThat(MetadataRecordCodec.decode(MetadataRecordCodec.encode(record))).isEqualTo(record);
        }
    }

    @Test
    void shouldPinTheLayoutOfATopicDeletion() {
        byte[] bytes = MetadataRecordCodec.encode(new MetadataRecord.TopicDeleted(new Uuid(1, 2)));

        assertThat(bytes).containsExactly(1, 5, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2);
    }

    @Test
    void shouldRefuseAnUnknownFormat() {
        byte[] bytes = MetadataRecordCodec.encode(new MetadataRecord.TopicDeleted(ID));
        bytes[0] = 9;

        assertThatThrownBy(() -> MetadataRecordCodec.decode(bytes))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("format 9");
    }

    @Test
    void shouldRefuseAnUnknownType() {
        byte[] bytes = MetadataRecordCodec.encode(new MetadataRecord.TopicDeleted(ID));
        bytes[1] = 42;

        assertThatThrownBy(() -> MetadataRecordCodec.decode(bytes))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("unknown type 42");
    }

    @Test
    void shouldRefuseATruncatedRecord() {
        byte[] bytes = MetadataRecordCodec.encode(new MetadataRecord.TopicCreated("orders", ID, 3, Map.of()));

        assertThatThrownBy(() -> MetadataRecordCodec.decode(java.util.Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("truncated");
    }
}
