package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.log.PartitionLogs;
import dev.walrus.kafka.metadata.TopicInfo;
import dev.walrus.kafka.metadata.Topics;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeLogDirs (API key 35), versions 1-5: the one log directory (the engine's data directory) with the size of
 * every partition in it, or of the partitions asked for, and from v4 the space of its file system. Admin tools and
 * UIs show topic sizes from it ({@code kafka-log-dirs --describe}, {@code Admin.describeLogDirs}).
 *
 * <p>Behaviour: a partition's size is the bytes of the record batches it holds, what Kafka's segment files hold;
 * Kafka drops data a segment at a time and Walrus a batch at a time, so after retention or DeleteRecords the sizes
 * differ by what Kafka's oldest segment still holds. Offset lag is 0 and no log is a future one (there are no
 * replicas to catch up and no directories to move between). Partitions asked for that do not exist are left out, as
 * Kafka leaves them out; a topic left without partitions is left out too. {@code __consumer_offsets} is listed
 * once it exists (it records the group coordinator's commits); the transaction and producer-id state lives in the
 * engine, so there is no {@code __transaction_state}.
 *
 * <p>Authorization (with an authorizer): DESCRIBE on the cluster (else no directories and CLUSTER_AUTHORIZATION_FAILED).
 *
 * <p>Version notes:
 * <ul>
 *   <li>v1: oldest the message classes define. v2: flexible versions. v3: top-level error code.
 *   <li>v4 (KIP-827): total and usable bytes of the volume. v5: whether the directory is cordoned (never here).
 * </ul>
 */
public final class DescribeLogDirsHandler implements ApiHandler<DescribeLogDirsRequestData> {

    private static final Logger log = LoggerFactory.getLogger(DescribeLogDirsHandler.class);

    private final Topics topics;
    private final PartitionLogs logs;
    private final Path logDir;

    public DescribeLogDirsHandler(Topics topics, PartitionLogs logs, Path logDir) {
        this.topics = topics;
        this.logs = logs;
        this.logDir = logDir.toAbsolutePath();
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_LOG_DIRS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, DescribeLogDirsRequestData request, RequestContext context) {
        if (!context.authorizedOnCluster(AclOperation.DESCRIBE)) {
            return CompletableFuture.completedFuture(new DescribeLogDirsResponseData()
                    .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code()));   // no directories (v0-2 see just that)
        }
        DescribeLogDirsResult dir = new DescribeLogDirsResult()
                .setLogDir(logDir.toString())
                .setErrorCode(Errors.NONE.code());
        try {
            FileStore store = Files.getFileStore(logDir);
            dir.setTotalBytes(orMax(store.getTotalSpace())).setUsableBytes(orMax(store.getUsableSpace()));
        } catch (IOException e) {
            log.warn("Cannot read the file system of the log directory {}", logDir, e);
            dir.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
        }
        for (Map.Entry<TopicInfo, Set<Integer>> asked : partitionsAsked(request).entrySet()) {
            DescribeLogDirsTopic topic = new DescribeLogDirsTopic().setName(asked.getKey().name());
            for (int partition : asked.getValue()) {
                topic.partitions().add(new DescribeLogDirsPartition()
                        .setPartitionIndex(partition)
                        .setPartitionSize(logs.get(asked.getKey(), partition).sizeInBytes())
                        .setOffsetLag(0)
                        .setIsFutureKey(false));
            }
            dir.topics().add(topic);
        }
        return CompletableFuture.completedFuture(new DescribeLogDirsResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(Errors.NONE.code())
                .setResults(List.of(dir)));
    }

    /** Existing partitions asked for (all of them when the request names no topics), by topic name and index. */
    private Map<TopicInfo, Set<Integer>> partitionsAsked(DescribeLogDirsRequestData request) {
        Map<TopicInfo, Set<Integer>> asked = new TreeMap<>(Comparator.comparing(TopicInfo::name));
        if (request.topics() == null) {
            for (TopicInfo topic : topics.all()) {
                Set<Integer> all = new TreeSet<>();
                for (int p = 0; p < topic.partitions(); p++) {
                    all.add(p);
                }
                asked.put(topic, all);
            }
            return asked;
        }
        for (DescribeLogDirsRequestData.DescribableLogDirTopic wanted : request.topics()) {
            topics.byName(wanted.topic()).ifPresent(topic -> {
                for (int p : wanted.partitions()) {
                    if (topic.hasPartition(p)) {
                        asked.computeIfAbsent(topic, t -> new TreeSet<>()).add(p);
                    }
                }
            });
        }
        return asked;
    }

    /** Kafka's answer for a file system too large for a long (Java then reports a negative size). */
    private static long orMax(long bytes) {
        return bytes < 0 ? Long.MAX_VALUE : bytes;
    }
}
