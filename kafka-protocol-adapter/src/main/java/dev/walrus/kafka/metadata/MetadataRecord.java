package dev.walrus.kafka.metadata;

import dev.walrus.kafka.security.DelegationToken;

import dev.walrus.kafka.authz.Acl;
import dev.walrus.kafka.quota.QuotaEntity;
import org.apache.kafka.common.Uuid;

import java.util.Map;

/** One change to the cluster metadata, as appended to the metadata log and replayed at start. */
public sealed interface MetadataRecord {

    /** The cluster's identity, written once when the data directory is new. */
    record ClusterCreated(String clusterId) implements MetadataRecord {}

    record TopicCreated(String name, Uuid id, int partitions, Map<String, String> configs) implements MetadataRecord {}

    record PartitionsAdded(Uuid id, int newCount) implements MetadataRecord {}

    /** The topic's full set of overrides after the change. */
    record ConfigsChanged(Uuid id, Map<String, String> configs) implements MetadataRecord {}

    record TopicDeleted(Uuid id) implements MetadataRecord {}

    /**
     * The full set of dynamic broker configs of one resource after a change: this broker's own ({@code perBroker}) or
     * the cluster-wide defaults.
     */
    record BrokerConfigsChanged(boolean perBroker, Map<String, String> configs) implements MetadataRecord {}

    /** A user's SCRAM credential for one mechanism (AlterUserScramCredentials upsertion), replacing any before. */
    record ScramCredentialSet(String user, byte mechanism, byte[] salt, byte[] storedKey, byte[] serverKey,
                              int iterations) implements MetadataRecord {}

    /** A user's SCRAM credential for one mechanism deleted. */
    record ScramCredentialDeleted(String user, byte mechanism) implements MetadataRecord {}

    /** An ACL created (CreateAcls); creating one that exists changes nothing. */
    record AclCreated(Acl acl) implements MetadataRecord {}

    /** An ACL deleted (DeleteAcls). */
    record AclDeleted(Acl acl) implements MetadataRecord {}

    /** One client quota of one entity set to {@code value}, or removed (AlterClientQuotas). */
    record ClientQuotaChanged(QuotaEntity entity, String key, double value, boolean removed) implements MetadataRecord {}

    /** A delegation token created, renewed or given a new expiry (its HMAC is not logged: the secret recomputes it). */
    record DelegationTokenSet(DelegationToken token) implements MetadataRecord {}

    /** A delegation token expired or removed. */
    record DelegationTokenRemoved(String tokenId) implements MetadataRecord {}

    /** A KIP-584 feature finalized at another level (UpdateFeatures); level 0 disables it. */
    record FeatureLevelChanged(String feature, short level) implements MetadataRecord {}

    /**
     * The full set of config overrides of one group after a change (IncrementalAlterConfigs on a GROUP resource), as
     * Kafka keeps group configs in its cluster metadata; an empty set removes them.
     */
    record GroupConfigsChanged(String groupId, Map<String, String> configs) implements MetadataRecord {}

    /**
     * The full set of configs of one client-metrics resource after a change (KIP-714 subscriptions), as Kafka keeps
     * them in its cluster metadata; an empty set removes the resource.
     */
    record ClientMetricsConfigsChanged(String name, Map<String, String> configs) implements MetadataRecord {}
}
