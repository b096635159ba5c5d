package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.Topics;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AlterReplicaLogDirsRequestData;
import org.apache.kafka.common.message.AlterReplicaLogDirsRequestData.AlterReplicaLogDir;
import org.apache.kafka.common.message.AlterReplicaLogDirsRequestData.AlterReplicaLogDirTopic;
import org.apache.kafka.common.message.AlterReplicaLogDirsResponseData;
import org.apache.kafka.common.message.AlterReplicaLogDirsResponseData.AlterReplicaLogDirPartitionResult;
import org.apache.kafka.common.message.AlterReplicaLogDirsResponseData.AlterReplicaLogDirTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * AlterReplicaLogDirs (API key 34), versions 1-2: moves partitions between a broker's log directories
 * ({@code kafka-reassign-partitions} with {@code log_dirs}, {@code Admin.alterReplicaLogDirs}). This broker has one
 * log directory, the engine's data directory, so the only move asked of it that Kafka's single-directory broker
 * accepts is to where the partition already is: NONE, nothing to do.
 *
 * <p>Kafka's ladder per partition: a directory that is not the broker's LOG_DIR_NOT_FOUND; an unknown topic or
 * partition UNKNOWN_TOPIC_OR_PARTITION. Results are grouped by topic.
 *
 * <p>Authorization (with an authorizer): ALTER on the cluster (else CLUSTER_AUTHORIZATION_FAILED for every partition).
 *
 * <p>Version notes: v1 the oldest the message classes define; v2 flexible versions.
 */
public final class AlterReplicaLogDirsHandler implements ApiHandler<AlterReplicaLogDirsRequestData> {

    private final Topics topics;
    private final String logDir;

    public AlterReplicaLogDirsHandler(Topics topics, Path logDir) {
        this.topics = topics;
        this.logDir = logDir.toAbsolutePath().toString();   // as DescribeLogDirs names it
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_REPLICA_LOG_DIRS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, AlterReplicaLogDirsRequestData request,
                                                RequestContext context) {
        boolean allowed = context.authorizedOnCluster(AclOperation.ALTER);
        // the last directory named for a partition wins, as in Kafka, which reads the request into a map
        Map<String, Map<Integer, Errors>> byTopic = new LinkedHashMap<>();
        for (AlterReplicaLogDir dir : request.dirs()) {
            for (AlterReplicaLogDirTopic topic : dir.topics()) {
                for (int partition : topic.partitions()) {
                    Errors error = !allowed ? Errors.CLUSTER_AUTHORIZATION_FAILED : outcome(dir.path(), topic.name(), partition);
                    byTopic.computeIfAbsent(topic.name(), t -> new LinkedHashMap<>()).put(partition, error);
                }
            }
        }
        AlterReplicaLogDirsResponseData response = new AlterReplicaLogDirsResponseData().setThrottleTimeMs(0);
        byTopic.forEach((topic, partitions) -> {
            AlterReplicaLogDirTopicResult result = new AlterReplicaLogDirTopicResult().setTopicName(topic);
            partitions.forEach((partition, error) -> result.partitions().add(new AlterReplicaLogDirPartitionResult()
                    .setPartitionIndex(partition).setErrorCode(error.code())));
            response.results().add(result);
        });
        return CompletableFuture.completedFuture(response);
    }

    private Errors outcome(String path, String topicName, int partition) {
        if (!path.equals(logDir)) {
            return Errors.LOG_DIR_NOT_FOUND;
        }
        Optional<TopicInfo> topic = topics.byName(topicName);
        return topic.isPresent() && partition >= 0 && partition < topic.get().partitions()
                ? Errors.NONE : Errors.UNKNOWN_TOPIC_OR_PARTITION;
    }
}
