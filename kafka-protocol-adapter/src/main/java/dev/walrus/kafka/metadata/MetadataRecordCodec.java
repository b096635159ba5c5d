package dev.walrus.kafka.metadata;

import dev.walrus.kafka.authz.Acl;
import dev.walrus.kafka.quota.QuotaEntity;
import dev.walrus.kafka.security.DelegationToken;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The byte layout of a {@link MetadataRecord}, one engine entry each (the engine frames and checksums entries).
 *
 * <pre>
 *  0        1        2
 *  +--------+--------+------------------------------------------+
 *  | format | type   | fields of the type, big-endian            |
 *  +--------+--------+------------------------------------------+
 *  strings: u16 length + modified UTF-8 (DataOutput.writeUTF); uuid: 2 x i64; configs: i32 count, then key, value
 *  1 ClusterCreated  : clusterId
 *  2 TopicCreated    : name, uuid, i32 partitions, configs
 *  3 PartitionsAdded : uuid, i32 newCount
 *  4 ConfigsChanged  : uuid, configs
 *  5 TopicDeleted    : uuid
 *  6 BrokerConfigsChanged : u8 resource (1 this broker, 0 cluster-wide defaults), configs
 *  7 ScramCredentialSet : user, u8 mechanism (1 SCRAM-SHA-256, 2 SCRAM-SHA-512), salt, storedKey, serverKey,
 *                         i32 iterations; the user and the byte fields as i32 length + bytes (UTF-8 for the user), so
 *                         that whatever a client may send can be read back
 *  8 ScramCredentialDeleted : user (i32 length + UTF-8), u8 mechanism
 *  9 AclCreated : u8 resource type, resource name, u8 pattern type, principal, host, u8 operation, u8 permission
 *                 (the codes of Kafka's ResourceType, PatternType, AclOperation, AclPermissionType; the strings as
 *                 i32 length + UTF-8)
 * 10 AclDeleted : the fields of AclCreated
 * 11 ClientQuotaChanged : i32 entity types, each type and u8 named (0: the default entity) then its name; key; f64
 *                         value; u8 removed (strings as i32 length + UTF-8)
 * 12 FeatureLevelChanged : feature (i32 length + UTF-8), i16 level
 * 13 GroupConfigsChanged : group id (i32 length + UTF-8), configs
 * 14 DelegationTokenSet : token id, owner, requester, i32 renewers then each, i64 issue, i64 max, i64 expiry (strings
 *                         as i32 length + UTF-8)
 * 15 DelegationTokenRemoved : token id (i32 length + UTF-8)
 * 16 ClientMetricsConfigsChanged : resource name (i32 length + UTF-8), configs
 * </pre>
 *
 * A record of an unknown format or type stops the broker at start rather than forgetting topics silently.
 */
final class MetadataRecordCodec {

    static final byte FORMAT = 1;
    static final byte CLUSTER_CREATED = 1;
    static final byte TOPIC_CREATED = 2;
    static final byte PARTITIONS_ADDED = 3;
    static final byte CONFIGS_CHANGED = 4;
    static final byte TOPIC_DELETED = 5;
    static final byte BROKER_CONFIGS_CHANGED = 6;
    static final byte SCRAM_CREDENTIAL_SET = 7;
    static final byte SCRAM_CREDENTIAL_DELETED = 8;
    static final byte ACL_CREATED = 9;
    static final byte ACL_DELETED = 10;
    static final byte CLIENT_QUOTA_CHANGED = 11;
    static final byte FEATURE_LEVEL_CHANGED = 12;
    static final byte GROUP_CONFIGS_CHANGED = 13;
    static final byte DELEGATION_TOKEN_SET = 14;
    static final byte DELEGATION_TOKEN_REMOVED = 15;
    static final byte CLIENT_METRICS_CONFIGS_CHANGED = 16;

    private MetadataRecordCodec() {}

    static byte[] encode(MetadataRecord record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            switch (record) {
                case MetadataRecord.ClusterCreated r -> {
                    out.writeByte(CLUSTER_CREATED);
                    out.writeUTF(r.clusterId());
                }
                case MetadataRecord.TopicCreated r -> {
                    out.writeByte(TOPIC_CREATED);
                    out.writeUTF(r.name());
                    writeUuid(out, r.id());
                    out.writeInt(r.partitions());
                    writeConfigs(out, r.configs());
                }
                case MetadataRecord.PartitionsAdded r -> {
                    out.writeByte(PARTITIONS_ADDED);
                    writeUuid(out, r.id());
                    out.writeInt(r.newCount());
                }
                case MetadataRecord.ConfigsChanged r -> {
                    out.writeByte(CONFIGS_CHANGED);
                    writeUuid(out, r.id());
                    writeConfigs(out, r.configs());
                }
                case MetadataRecord.TopicDeleted r -> {
                    out.writeByte(TOPIC_DELETED);
                    writeUuid(out, r.id());
                }
                case MetadataRecord.BrokerConfigsChanged r -> {
                    out.writeByte(BROKER_CONFIGS_CHANGED);
                    out.writeBoolean(r.perBroker());
                    writeConfigs(out, r.configs());
                }
                case MetadataRecord.ScramCredentialSet r -> {
                    out.writeByte(SCRAM_CREDENTIAL_SET);
                    writeBytes(out, r.user().getBytes(StandardCharsets.UTF_8));
                    out.writeByte(r.mechanism());
                    writeBytes(out, r.salt());
                    writeBytes(out, r.storedKey());
                    writeBytes(out, r.serverKey());
                    out.writeInt(r.iterations());
                }
                case MetadataRecord.ScramCredentialDeleted r -> {
                    out.writeByte(SCRAM_CREDENTIAL_DELETED);
                    writeBytes(out, r.user().getBytes(StandardCharsets.UTF_8));
                    out.writeByte(r.mechanism());
                }
                case MetadataRecord.AclCreated r -> {
                    out.writeByte(ACL_CREATED);
                    writeAcl(out, r.acl());
                }
                case MetadataRecord.AclDeleted r -> {
                    out.writeByte(ACL_DELETED);
                    writeAcl(out, r.acl());
                }
                case MetadataRecord.ClientQuotaChanged r -> {
                    out.writeByte(CLIENT_QUOTA_CHANGED);
                    out.writeInt(r.entity().names().size());
                    for (Map.Entry<String, String> name : r.entity().names().entrySet()) {
                        writeBytes(out, name.getKey().getBytes(StandardCharsets.UTF_8));
                        out.writeBoolean(name.getValue() != null);
                        if (name.getValue() != null) {
                            writeBytes(out, name.getValue().getBytes(StandardCharsets.UTF_8));
                        }
                    }
                    writeBytes(out, r.key().getBytes(StandardCharsets.UTF_8));
                    out.writeDouble(r.value());
                    out.writeBoolean(r.removed());
                }
                case MetadataRecord.DelegationTokenSet r -> {
                    out.writeByte(DELEGATION_TOKEN_SET);
                    DelegationToken t = r.token();
                    writeString(out, t.tokenId());
                    writeString(out, t.owner());
                    writeString(out, t.requester());
                    out.writeInt(t.renewers().size());
                    for (String renewer : t.renewers()) {
                        writeString(out, renewer);
                    }
                    out.writeLong(t.issueMs());
                    out.writeLong(t.maxMs());
                    out.writeLong(t.expiryMs());
                }
                case MetadataRecord.DelegationTokenRemoved r -> {
                    out.writeByte(DELEGATION_TOKEN_REMOVED);
                    writeString(out, r.tokenId());
                }
                case MetadataRecord.FeatureLevelChanged r -> {
                    out.writeByte(FEATURE_LEVEL_CHANGED);
                    writeBytes(out, r.feature().getBytes(StandardCharsets.UTF_8));
                    out.writeShort(r.level());
                }
                case MetadataRecord.ClientMetricsConfigsChanged r -> {
                    out.writeByte(CLIENT_METRICS_CONFIGS_CHANGED);
                    writeBytes(out, r.name().getBytes(StandardCharsets.UTF_8));
                    writeConfigs(out, r.configs());
                }
                case MetadataRecord.GroupConfigsChanged r -> {
                    out.writeByte(GROUP_CONFIGS_CHANGED);
                    writeBytes(out, r.groupId().getBytes(StandardCharsets.UTF_8));
                    writeConfigs(out, r.configs());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static MetadataRecord decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalStateException("metadata record has format " + format + ", this broker reads " + FORMAT);
            }
            byte type = in.readByte();
            return switch (type) {
                case CLUSTER_CREATED -> new MetadataRecord.ClusterCreated(in.readUTF());
                case TOPIC_CREATED -> new MetadataRecord.TopicCreated(in.readUTF(), readUuid(in), in.readInt(), readConfigs(in));
                case PARTITIONS_ADDED -> new MetadataRecord.PartitionsAdded(readUuid(in), in.readInt());
                case CONFIGS_CHANGED -> new MetadataRecord.ConfigsChanged(readUuid(in), readConfigs(in));
                case TOPIC_DELETED -> new MetadataRecord.TopicDeleted(readUuid(in));
                case BROKER_CONFIGS_CHANGED -> new MetadataRecord.BrokerConfigsChanged(in.readBoolean(), readConfigs(in));
                case SCRAM_CREDENTIAL_SET -> new MetadataRecord.ScramCredentialSet(readString(in), in.readByte(),
                        readBytes(in), readBytes(in), readBytes(in), in.readInt());
                case SCRAM_CREDENTIAL_DELETED -> new MetadataRecord.ScramCredentialDeleted(readString(in), in.readByte());
                case ACL_CREATED -> new MetadataRecord.AclCreated(readAcl(in));
                case ACL_DELETED -> new MetadataRecord.AclDeleted(readAcl(in));
                case CLIENT_QUOTA_CHANGED -> readClientQuotaChanged(in);
                case DELEGATION_TOKEN_SET -> readDelegationToken(in);
                case DELEGATION_TOKEN_REMOVED -> new MetadataRecord.DelegationTokenRemoved(readString(in));
                case FEATURE_LEVEL_CHANGED -> new MetadataRecord.FeatureLevelChanged(readString(in), in.readShort());
                case GROUP_CONFIGS_CHANGED -> new MetadataRecord.GroupConfigsChanged(readString(in), readConfigs(in));
                case CLIENT_METRICS_CONFIGS_CHANGED ->
                        new MetadataRecord.ClientMetricsConfigsChanged(readString(in), readConfigs(in));
                default -> throw new IllegalStateException("metadata record has unknown type " + type);
            };
        } catch (IOException e) {
            throw new IllegalStateException("metadata record of " + data.length + " bytes is truncated", e);
        }
    }

    private static MetadataRecord readDelegationToken(DataInputStream in) throws IOException {
        String id = readString(in);
        String owner = readString(in);
        String requester = readString(in);
        int count = in.readInt();
        List<String> renewers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            renewers.add(readString(in));
        }
        return new MetadataRecord.DelegationTokenSet(new DelegationToken(id, owner, requester, renewers,
                in.readLong(), in.readLong(), in.readLong()));
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        writeBytes(out, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeAcl(DataOutputStream out, Acl acl) throws IOException {
        out.writeByte(acl.resourceType().code());
        writeBytes(out, acl.resourceName().getBytes(StandardCharsets.UTF_8));
        out.writeByte(acl.patternType().code());
        writeBytes(out, acl.principal().getBytes(StandardCharsets.UTF_8));
        writeBytes(out, acl.host().getBytes(StandardCharsets.UTF_8));
        out.writeByte(acl.operation().code());
        out.writeByte(acl.permission().code());
    }

    private static Acl readAcl(DataInputStream in) throws IOException {
        return new Acl(ResourceType.fromCode(in.readByte()), readString(in), PatternType.fromCode(in.readByte()),
                readString(in), readString(in), AclOperation.fromCode(in.readByte()),
                AclPermissionType.fromCode(in.readByte()));
    }

    private static MetadataRecord readClientQuotaChanged(DataInputStream in) throws IOException {
        int types = in.readInt();
        if (types < 0 || types > 3) {
            throw new IOException("client quota entity of " + types + " types");
        }
        Map<String, String> names = new java.util.HashMap<>();
        for (int i = 0; i < types; i++) {
            String type = readString(in);
            names.put(type, in.readBoolean() ? readString(in) : null);
        }
        return new MetadataRecord.ClientQuotaChanged(new QuotaEntity(names), readString(in), in.readDouble(),
                in.readBoolean());
    }

    private static void writeUuid(DataOutputStream out, Uuid id) throws IOException {
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static Uuid readUuid(DataInputStream in) throws IOException {
        return new Uuid(in.readLong(), in.readLong());
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("byte field of length " + length + " with " + in.available() + " bytes left");
        }
        return in.readNBytes(length);
    }

    private static String readString(DataInputStream in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    private static void writeConfigs(DataOutputStream out, Map<String, String> configs) throws IOException {
        out.writeInt(configs.size());
        for (Map.Entry<String, String> e : configs.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
    }

    private static Map<String, String> readConfigs(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("negative config count " + count);
        }
        Map<String, String> configs = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            configs.put(in.readUTF(), in.readUTF());
        }
        return configs;
    }
}
