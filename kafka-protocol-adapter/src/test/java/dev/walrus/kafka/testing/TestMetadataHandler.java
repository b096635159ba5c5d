package dev.walrus.kafka.testing;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.handlers.ApiHandler;
import dev.walrus.kafka.metadata.TopicInfo;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A minimal test-only Metadata handler (this node leads every partition at epoch 0), so real Kafka clients can be
 * pointed at the data path before the metadata module lands. Not the product's Metadata implementation.
 */
public final class TestMetadataHandler implements ApiHandler<MetadataRequestData> {

    private final InMemoryTopics topics;
    private final String host;
    private volatile int port;

    public TestMetadataHandler(InMemoryTopics topics, String host) {
        this.topics = topics;
        this.host = host;
    }

    public void port(int port) {
        this.port = port;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.METADATA;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, MetadataRequestData request, RequestContext context) {
        MetadataResponseData response = new MetadataResponseData().setClusterId("walrus-test").setControllerId(1);
        response.brokers().add(new MetadataResponseData.MetadataResponseBroker().setNodeId(1).setHost(host).setPort(port));
        Collection<TopicInfo> wanted;
        if (request.topics() == null) {
            wanted = topics.all();
        } else {
            wanted = new ArrayList<>();
            for (MetadataRequestData.MetadataRequestTopic t : request.topics()) {
                Optional<TopicInfo> info = request.allowAutoTopicCreation() ? topics.getOrAutoCreate(t.name()) : topics.byName(t.name());
                if (info.isPresent()) {
                    wanted.add(info.get());
                } else {
                    response.topics().add(new MetadataResponseData.MetadataResponseTopic().setName(t.name())
                            .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
                }
            }
        }
        for (TopicInfo topic : wanted) {
            MetadataResponseData.MetadataResponseTopic t = new MetadataResponseData.MetadataResponseTopic()
                    .setName(topic.name()).setTopicId(topic.id());
            for (int p = 0; p < topic.partitions(); p++) {
                t.partitions().add(new MetadataResponseData.MetadataResponsePartition().setPartitionIndex(p)
                        .setLeaderId(1).setLeaderEpoch(0).setReplicaNodes(List.of(1)).setIsrNodes(List.of(1)));
            }
            response.topics().add(t);
        }
        return CompletableFuture.completedFuture(response);
    }
}
