package dev.walrus.kafka.metadata;

import dev.walrus.engine.Walrus;
import dev.walrus.kafka.config.BrokerSettings;
import dev.walrus.kafka.config.TopicConfigs;
import dev.walrus.kafka.authz.Acl;
import dev.walrus.kafka.authz.AclTable;
import dev.walrus.kafka.quota.ClientQuotas;
import dev.walrus.kafka.quota.QuotaEntity;
import dev.walrus.kafka.security.DelegationToken;
import dev.walrus.kafka.security.DelegationTokens;
import dev.walrus.kafka.security.ScramCredential;
import dev.walrus.kafka.security.ScramCredentials;
import dev.walrus.kafka.security.ScramMechanism;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster's topics: validation of changes by Kafka's rules, the metadata log that makes them durable, and the
 * in-memory view every request reads.
 *
 * <p>Threading: changes are serialized on this object's monitor (they are rare, and the log order must be the
 * order of the in-memory state); reads use concurrent maps without locking. Each {@link TopicInfo} is immutable.
 */
public final class TopicRegistry implements Topics {

    private static final Logger log = LoggerFactory.getLogger(TopicRegistry.class);

    /**
     * The topics, by name (sorted) and by ID, and Kafka's '.'/'_'-unified name of each to its name. Changed only
     * under the registry's lock, in an order that keeps lock-free readers consistent: a topic is added by ID before
     * by name and removed by name before by ID, so whatever a reader finds by name it also finds by ID.
     */
    private final ConcurrentSkipListMap<String, TopicInfo> byName = new ConcurrentSkipListMap<>();
    private final ConcurrentHashMap<Uuid, TopicInfo> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> byCollisionKey = new ConcurrentHashMap<>();
    /** Group config overrides by group id; read lock-free by the share group path. */
    private final ConcurrentHashMap<String, Map<String, String>> groupConfigs = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Map<String, String>> clientMetricsConfigs = new ConcurrentHashMap<>();
    private final Collection<TopicInfo> allTopics = Collections.unmodifiableCollection(byName.values());

    /** Adds or replaces a topic (its ID is the key; a rename never happens). */
    private void put(TopicInfo topic) {
        byId.put(topic.id(), topic);
        byName.put(topic.name(), topic);
        byCollisionKey.put(Topic.unifyCollisionChars(topic.name()), topic.name());
    }

    private void remove(TopicInfo topic) {
        byCollisionKey.remove(Topic.unifyCollisionChars(topic.name()));
        byName.remove(topic.name());
        byId.remove(topic.id());
    }

    private final Walrus engine;
    private final BrokerSettings settings;
    private final MetadataLog metadataLog;
    private final List<TopicsListener> listeners = new CopyOnWriteArrayList<>();
    private final ScramCredentials scramCredentials = new ScramCredentials();
    private final AclTable acls = new AclTable();
    private final ClientQuotas clientQuotas = new ClientQuotas();
    private final DelegationTokens delegationTokens;
    private final FinalizedFeatures features = new FinalizedFeatures();
    private volatile String clusterId;

    private TopicRegistry(Walrus engine, BrokerSettings settings) {
        this.engine = engine;
        this.settings = settings;
        this.metadataLog = new MetadataLog(engine);
        this.delegationTokens = new DelegationTokens(settings.get("delegation.token.secret.key"));
    }

    /**
     * Replays the metadata log; a new data directory gets a cluster id, durable before this returns. Partition logs
     * that no topic owns after a crash are deleted now.
     */
    static TopicRegistry open(Walrus engine, BrokerSettings settings) {
        TopicRegistry registry = new TopicRegistry(engine, settings);
        registry.metadataLog.replay(registry::apply);
        registry.metadataLog.configure();
        boolean created = registry.clusterId == null;
        if (created) {
            registry.clusterId = Uuid.randomUuid().toString();
            registry.metadataLog.append(new MetadataRecord.ClusterCreated(registry.clusterId));
            log.info("New cluster id {}", registry.clusterId);
        }
        boolean minInsyncReplicasAdded = registry.keepClusterWideMinInsyncReplicas();
        if (created || minInsyncReplicasAdded) {
            registry.metadataLog.durable().join();   // one fsync for a new data directory's first records
        }
        registry.deleteLeftoverPartitions();
        log.info("Cluster {}: {} topics", registry.clusterId, registry.byName.size());
        return registry;
    }

    /**
     * As a Kafka 4.x controller with eligible leader replicas (ELR) does when it bootstraps a cluster: the static
     * {@code min.insync.replicas} becomes a cluster-wide dynamic config, which every topic's DescribeConfigs then
     * reports (source DYNAMIC_DEFAULT_BROKER_CONFIG) and which cannot be removed. Logged once per data directory;
     * returns whether it was, the caller making it durable.
     */
    private boolean keepClusterWideMinInsyncReplicas() {
        Map<String, String> cluster = settings.dynamic().clusterDefault();
        if (cluster.containsKey(MIN_INSYNC_REPLICAS)) {
            return false;
        }
        String value = settings.staticValue(MIN_INSYNC_REPLICAS);
        Map<String, String> configs = new java.util.HashMap<>(cluster);
        configs.put(MIN_INSYNC_REPLICAS, value == null ? "1" : value);
        metadataLog.append(new MetadataRecord.BrokerConfigsChanged(false, configs));
        settings.replaceDynamic(false, configs);
        return true;
    }

    private static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";

    private void apply(MetadataRecord record) {
        switch (record) {
            case MetadataRecord.ClusterCreated r -> clusterId = r.clusterId();
            case MetadataRecord.TopicCreated r -> put(new TopicInfo(r.name(), r.id(), r.partitions(), Map.copyOf(r.configs())));
            case MetadataRecord.PartitionsAdded r -> {
                TopicInfo t = requireId(r.id());
                put(new TopicInfo(t.name(), t.id(), r.newCount(), t.configs()));
            }
            case MetadataRecord.ConfigsChanged r -> {
                TopicInfo t = requireId(r.id());
                put(new TopicInfo(t.name(), t.id(), t.partitions(), Map.copyOf(r.configs())));
            }
            case MetadataRecord.TopicDeleted r -> remove(requireId(r.id()));
            case MetadataRecord.BrokerConfigsChanged r -> settings.replaceDynamic(r.perBroker(), r.configs());
            case MetadataRecord.ScramCredentialSet r -> scramCredentials.put(r.user(), new ScramCredential(
                    ScramMechanism.forType(r.mechanism()).orElseThrow(), r.salt(), r.storedKey(), r.serverKey(),
                    r.iterations()));
            case MetadataRecord.ScramCredentialDeleted r ->
                    scramCredentials.remove(r.user(), ScramMechanism.forType(r.mechanism()).orElseThrow());
            case MetadataRecord.AclCreated r -> acls.add(r.acl());
            case MetadataRecord.AclDeleted r -> acls.remove(r.acl());
            case MetadataRecord.ClientQuotaChanged r -> clientQuotas.apply(r.entity(), r.key(), r.removed() ? null : r.value());
            case MetadataRecord.DelegationTokenSet r -> delegationTokens.put(r.token());
            case MetadataRecord.DelegationTokenRemoved r -> delegationTokens.remove(r.tokenId());
            case MetadataRecord.FeatureLevelChanged r -> features.apply(r.feature(), r.level());
            case MetadataRecord.GroupConfigsChanged r -> putGroupConfigs(r.groupId(), r.configs());
            case MetadataRecord.ClientMetricsConfigsChanged r -> putClientMetricsConfigs(r.name(), r.configs());
        }
    }

    private TopicInfo requireId(Uuid id) {
        TopicInfo topic = byId.get(id);
        if (topic == null) {
            throw new IllegalStateException("metadata log names topic id " + id + " before its creation");
        }
        return topic;
    }

    /** A partition's engine topic name, as {@link TopicInfo#engineTopic} makes it. */
    private static final Pattern PARTITION_ENGINE_TOPIC = Pattern.compile("p-([A-Za-z0-9_-]{22})-(\\d{1,9})(?:\\.c\\d{1,9})?");

    /**
     * Deletes partition logs no live topic owns: those of a topic whose deletion was logged but not finished, and
     * those written for a topic whose creation never became durable before a crash.
     */
    private void deleteLeftoverPartitions() {
        for (String engineTopic : Set.copyOf(engine.topics())) {
            Matcher m = PARTITION_ENGINE_TOPIC.matcher(engineTopic);
            if (!m.matches()) {
                continue;
            }
            Uuid id;
            try {
                id = Uuid.fromString(m.group(1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            TopicInfo owner = byId.get(id);
            if (owner == null || Integer.parseInt(m.group(2)) >= owner.partitions()) {
                log.warn("Deleting partition log {}: no topic owns it (a deletion or creation interrupted by a crash)", engineTopic);
                engine.deleteTopic(engineTopic);
            }
        }
    }

    // ---- reading ---------------------------------------------------------------------------------------------------

    public String clusterId() {
        return clusterId;
    }

    /** The metadata log's end offset (its record count), what DescribeQuorum reports as the quorum's. */
    public long metadataEndOffset() {
        return metadataLog.endOffset();
    }

    @Override
    public Optional<TopicInfo> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    @Override
    public Optional<TopicInfo> byId(Uuid id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Every topic, sorted by name. */
    @Override
    public Collection<TopicInfo> all() {
        return allTopics;
    }

    @Override
    public String effectiveConfig(TopicInfo topic, String key) {
        return TopicConfigs.resolve(key, topic.configs(), settings).value();
    }

    @Override
    public void addListener(TopicsListener listener) {
        listeners.add(listener);
    }

    // ---- changing --------------------------------------------------------------------------------------------------

    /**
     * Whether a new topic may take this name: Kafka's rules (legal characters, length, not "." or ".."), not taken,
     * and not colliding with an existing name once '.' and '_' are unified.
     */
    public Outcome<Void> checkNewName(String name) {
        try {
            Topic.validate(name);
        } catch (InvalidTopicException e) {
            return Outcome.fail(Errors.INVALID_TOPIC_EXCEPTION, e.getMessage());
        }
        if (byName.containsKey(name)) {
            return Outcome.fail(Errors.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists.");
        }
        String colliding = byCollisionKey.get(Topic.unifyCollisionChars(name));
        if (colliding != null) {
            return Outcome.fail(Errors.INVALID_TOPIC_EXCEPTION, "Topic '" + name + "' collides with existing topic: " + colliding);
        }
        return Outcome.ok(null);
    }

    /**
     * Creates a topic (or, with {@code validateOnly}, checks that it could be created and returns what it would be).
     * Partition count and configs must already be valid; the name is checked again under the lock.
     */
    public synchronized Outcome<TopicInfo> create(String name, int partitions, Map<String, String> configs, boolean validateOnly) {
        return create(name, partitions, configs, validateOnly, () -> Outcome.ok(null));
    }

    /**
     * As {@link #create(String, int, Map, boolean)}, with {@code lastCheck} run once every other check passed and
     * before anything is written (a client's mutation quota, counted only for a topic that could be created): its
     * failure is the outcome.
     */
    public synchronized Outcome<TopicInfo> create(String name, int partitions, Map<String, String> configs,
                                                  boolean validateOnly, Supplier<Outcome<Void>> lastCheck) {
        Outcome<Void> nameCheck = checkNewName(name);
        if (!nameCheck.isOk()) {
            return nameCheck.asFailure();
        }
        if (partitions < 1) {
            return Outcome.fail(Errors.INVALID_PARTITIONS, "Number of partitions was set to an invalid non-positive value.");
        }
        Optional<String> configProblem = TopicConfigs.validate(configs);
        if (configProblem.isPresent()) {
            return Outcome.fail(Errors.INVALID_CONFIG, configProblem.get());
        }
        Outcome<Void> last = lastCheck.get();
        if (!last.isOk()) {
            return last.asFailure();
        }
        TopicInfo topic = new TopicInfo(name, Uuid.randomUuid(), partitions, Map.copyOf(configs));
        if (!validateOnly) {
            metadataLog.append(new MetadataRecord.TopicCreated(topic.name(), topic.id(), topic.partitions(), topic.configs()));
            put(topic);
            log.info("Created topic {} ({}) with {} partitions and configs {}", name, topic.id(), partitions, configs);
        }
        return Outcome.ok(topic);
    }

    @Override
    public Optional<TopicInfo> getOrAutoCreate(String name) {
        Optional<TopicInfo> existing = byName(name);
        if (existing.isPresent() || !mayAutoCreate(name)) {
            return existing;
        }
        Outcome<TopicInfo> created = autoCreate(name);
        if (created.isOk()) {
            metadataLog.durable(); // started now, so the creation reaches the disk soon; callers that answer a client wait on durable()
        }
        return Optional.ofNullable(created.value());
    }

    /**
     * Whether a Metadata request may create this topic: auto-creation on, a legal name, and not one of Kafka's
     * internal topics (their state lives in the engine's own structures here).
     */
    public boolean mayAutoCreate(String name) {
        return settings.getBoolean("auto.create.topics.enable") && !Topic.isInternal(name) && checkNewName(name).isOk();
    }

    /** Creates a topic with the broker's defaults (num.partitions, no overrides); the topic if it already exists. */
    public synchronized Outcome<TopicInfo> autoCreate(String name) {
        TopicInfo existing = byName.get(name);
        if (existing != null) {
            return Outcome.ok(existing);
        }
        return create(name, settings.getInt("num.partitions"), Map.of(), false);
    }

    /**
     * Creates one of Kafka's internal topics ({@code __consumer_offsets}) as the broker does on first use, never from a
     * client's Metadata request; the topic if it already exists. Durable once {@link #durable} completes.
     */
    public synchronized Outcome<TopicInfo> createInternal(String name, int partitions, Map<String, String> configs) {
        TopicInfo existing = byName.get(name);
        if (existing != null) {
            return Outcome.ok(existing);
        }
        return create(name, partitions, configs, false);
    }

    /** Grows a topic to {@code newCount} partitions; Kafka's error and message when that is not an increase. */
    public synchronized Outcome<TopicInfo> addPartitions(String name, int newCount, boolean validateOnly) {
        TopicInfo topic = byName.get(name);
        if (topic == null) {
            return Outcome.fail(Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
        }
        if (newCount == topic.partitions()) {
            return Outcome.fail(Errors.INVALID_PARTITIONS, "Topic already has " + topic.partitions() + " partition(s).");
        }
        if (newCount < topic.partitions()) {
            return Outcome.fail(Errors.INVALID_PARTITIONS, "The topic " + name + " currently has " + topic.partitions()
                    + " partition(s); " + newCount + " would not be an increase.");
        }
        TopicInfo grown = new TopicInfo(topic.name(), topic.id(), newCount, topic.configs());
        if (!validateOnly) {
            metadataLog.append(new MetadataRecord.PartitionsAdded(topic.id(), newCount));
            put(grown);
            log.info("Topic {} grew from {} to {} partitions", name, topic.partitions(), newCount);
            for (TopicsListener listener : listeners) {
                listener.partitionsAdded(grown, topic.partitions());
            }
        }
        return Outcome.ok(grown);
    }

    /** Replaces a topic's overrides (AlterConfigs / IncrementalAlterConfigs build on this). */
    public synchronized Outcome<TopicInfo> replaceConfigs(String name, Map<String, String> configs, boolean validateOnly) {
        TopicInfo topic = byName.get(name);
        if (topic == null) {
            return Outcome.fail(Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
        }
        Optional<String> problem = TopicConfigs.validate(configs);
        if (problem.isPresent()) {
            return Outcome.fail(Errors.INVALID_CONFIG, problem.get());
        }
        TopicInfo changed = new TopicInfo(topic.name(), topic.id(), topic.partitions(), Map.copyOf(configs));
        if (!validateOnly) {
            metadataLog.append(new MetadataRecord.ConfigsChanged(topic.id(), changed.configs()));
            put(changed);
            for (TopicsListener listener : listeners) {
                listener.configChanged(changed);
            }
        }
        return Outcome.ok(changed);
    }

    // ---- SCRAM credentials (KIP-554): kept in the metadata log, as Kafka keeps them in its cluster metadata ------

    /** The users' SCRAM credentials: read by SASL/SCRAM exchanges, changed by AlterUserScramCredentials. */
    public ScramCredentials scramCredentials() {
        return scramCredentials;
    }

    /**
     * Applies one AlterUserScramCredentials request's changes (checked by the caller): logged, in force at once.
     * Durable once {@link #durable} completes.
     */
    public synchronized void changeScramCredentials(List<ScramCredential.Named> set, List<Map.Entry<String, ScramMechanism>> deleted) {
        for (Map.Entry<String, ScramMechanism> d : deleted) {
            metadataLog.append(new MetadataRecord.ScramCredentialDeleted(d.getKey(), d.getValue().type()));
            scramCredentials.remove(d.getKey(), d.getValue());
        }
        for (ScramCredential.Named n : set) {
            ScramCredential c = n.credential();
            metadataLog.append(new MetadataRecord.ScramCredentialSet(n.user(), c.mechanism().type(), c.salt(),
                    c.storedKey(), c.serverKey(), c.iterations()));
            scramCredentials.put(n.user(), c);
        }
    }

    /** The stored ACLs: read by the authorizer and DescribeAcls, changed by CreateAcls and DeleteAcls. */
    public AclTable acls() {
        return acls;
    }

    /**
     * Applies one CreateAcls or DeleteAcls request's changes (checked by the caller): logged, in force at once. An
     * ACL created that exists already, or deleted that does not, changes nothing and is not logged. Durable once
     * {@link #durable} completes.
     */
    public synchronized void changeAcls(List<Acl> created, List<Acl> deleted) {
        for (Acl acl : created) {
            if (!acls.contains(acl)) {
                metadataLog.append(new MetadataRecord.AclCreated(acl));
                acls.add(acl);
            }
        }
        for (Acl acl : deleted) {
            if (acls.contains(acl)) {
                metadataLog.append(new MetadataRecord.AclDeleted(acl));
                acls.remove(acl);
            }
        }
    }

    // ---- delegation tokens (KIP-48): kept in the metadata log, as Kafka keeps them in its cluster metadata --------

    /** The delegation tokens in force: read by SASL/SCRAM token authentication and DescribeDelegationToken. */
    public DelegationTokens delegationTokens() {
        return delegationTokens;
    }

    /** A token created, renewed or given a new expiry (checked by the caller): logged, in force at once. */
    public synchronized void putDelegationToken(DelegationToken token) {
        metadataLog.append(new MetadataRecord.DelegationTokenSet(token));
        delegationTokens.put(token);
    }

    /** A token expired or removed: logged, gone at once. */
    public synchronized void removeDelegationToken(String tokenId) {
        if (delegationTokens.get(tokenId).isPresent()) {
            metadataLog.append(new MetadataRecord.DelegationTokenRemoved(tokenId));
            delegationTokens.remove(tokenId);
        }
    }

    /** The finalized KIP-584 feature levels, which ApiVersions reports. */
    public FinalizedFeatures features() {
        return features;
    }

    /**
     * Finalizes features at new levels (UpdateFeatures, checked by the caller): logged, in force at once (the next
     * ApiVersions reports them). A level already finalized is not logged again. Durable once {@link #durable}
     * completes.
     */
    public synchronized void changeFeatureLevels(Map<String, Short> levels) {
        levels.forEach((feature, level) -> {
            if (features.level(feature) != level) {
                metadataLog.append(new MetadataRecord.FeatureLevelChanged(feature, level));
                features.apply(feature, level);
            }
        });
    }

    /** The client quotas: enforced on produce and fetch, listed by DescribeClientQuotas. */
    public ClientQuotas clientQuotas() {
        return clientQuotas;
    }

    /**
     * Applies one entity's quota changes of an AlterClientQuotas request (checked by the caller; a null value removes
     * the key): logged, in force at once. A change to the value there already is not logged. Durable once
     * {@link #durable} completes.
     */
    public synchronized void changeClientQuotas(QuotaEntity entity, Map<String, Double> changes) {
        Map<String, Double> current = clientQuotas.of(entity);
        for (Map.Entry<String, Double> change : changes.entrySet()) {
            Double value = change.getValue();
            if (value == null ? !current.containsKey(change.getKey()) : value.equals(current.get(change.getKey()))) {
                continue;
            }
            metadataLog.append(new MetadataRecord.ClientQuotaChanged(entity, change.getKey(),
                    value == null ? 0 : value, value == null));
            clientQuotas.apply(entity, change.getKey(), value);
        }
    }

    /**
     * Replaces the dynamic broker configs of one resource, this broker's own ({@code perBroker}) or the cluster-wide
     * defaults, with {@code configs} (checked by the caller): logged, in force at once, and every topic's log config
     * worked out again, as a topic without an override follows the broker's value. Durable once {@link #durable}
     * completes.
     */
    public synchronized void replaceBrokerConfigs(boolean perBroker, Map<String, String> configs) {
        metadataLog.append(new MetadataRecord.BrokerConfigsChanged(perBroker, Map.copyOf(configs)));
        settings.replaceDynamic(perBroker, configs);
        for (TopicInfo topic : byName.values()) {
            for (TopicsListener listener : listeners) {
                listener.configChanged(topic);
            }
        }
    }

    /**
     * Deletes a topic: the deletion is logged and the topic disappears from the view at once (listeners hear of it
     * now); its partitions' engine topics are deleted once the deletion is durable, when the returned future
     * completes, so a crash can never bring back a topic whose data is already gone.
     */
    public CompletableFuture<Void> delete(TopicInfo topic) {
        TopicInfo current;
        synchronized (this) {
            current = byId.get(topic.id());
            if (current == null) {
                return CompletableFuture.completedFuture(null);
            }
            metadataLog.append(new MetadataRecord.TopicDeleted(current.id()));
            remove(current);
        }
        log.info("Deleted topic {} ({})", current.name(), current.id());
        for (TopicsListener listener : listeners) {
            listener.topicDeleted(current);
        }
        return metadataLog.durable().thenRun(() -> deletePartitionLogs(current));
    }

    /** A failure here loses nothing: the deletion is logged, so the next start deletes what is left. */
    private void deletePartitionLogs(TopicInfo topic) {
        try {
            Set<String> existing = engine.topics();
            String prefix = "p-" + topic.id() + "-"; // each partition's topic, and its cleaned chain if compacted
            for (String name : existing) {
                if (name.startsWith(prefix)) {
                    engine.deleteTopic(name);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Could not delete the data of deleted topic {} ({}) now; it is deleted at the next start",
                    topic.name(), topic.id(), e);
        }
    }

    /** The broker's settings, which give group configs their defaults and bounds. */
    public BrokerSettings settings() {
        return settings;
    }

    /** The config overrides of a group (IncrementalAlterConfigs on a GROUP resource); empty when it has none. */
    public Map<String, String> groupConfigs(String groupId) {
        return groupConfigs.getOrDefault(groupId, Map.of());
    }

    /** The ids of the groups that have config overrides (ListConfigResources), in id order. */
    public java.util.List<String> groupsWithConfigs() {
        return groupConfigs.keySet().stream().sorted().toList();
    }

    /**
     * Replaces a group's config overrides (checked by the caller): logged and in force at once, durable once
     * {@link #durable} completes. Kafka keeps them in its metadata log too, and keeps them when the group is deleted.
     */
    public synchronized void replaceGroupConfigs(String groupId, Map<String, String> configs) {
        metadataLog.append(new MetadataRecord.GroupConfigsChanged(groupId, Map.copyOf(configs)));
        putGroupConfigs(groupId, configs);
    }

    private void putGroupConfigs(String groupId, Map<String, String> configs) {
        if (configs.isEmpty()) {
            groupConfigs.remove(groupId);
        } else {
            groupConfigs.put(groupId, Map.copyOf(configs));
        }
    }

    /** The configs of a client-metrics resource (KIP-714); empty when it has none (it does not exist). */
    public Map<String, String> clientMetricsConfigs(String name) {
        return clientMetricsConfigs.getOrDefault(name, Map.of());
    }

    /** The client-metrics resources that have configs (ListConfigResources), in name order. */
    public java.util.List<String> clientMetricsResources() {
        return clientMetricsConfigs.keySet().stream().sorted().toList();
    }

    /** Replaces a client-metrics resource's configs (checked by the caller): logged and in force at once. */
    public synchronized void replaceClientMetricsConfigs(String name, Map<String, String> configs) {
        metadataLog.append(new MetadataRecord.ClientMetricsConfigsChanged(name, Map.copyOf(configs)));
        putClientMetricsConfigs(name, configs);
    }

    private void putClientMetricsConfigs(String name, Map<String, String> configs) {
        if (configs.isEmpty()) {
            clientMetricsConfigs.remove(name);
        } else {
            clientMetricsConfigs.put(name, Map.copyOf(configs));
        }
    }

    /** Completes once every change made so far is durable. */
    public CompletableFuture<Void> durable() {
        return metadataLog.durable();
    }
}
