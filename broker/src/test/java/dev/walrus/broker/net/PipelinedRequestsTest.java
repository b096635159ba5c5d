package dev.walrus.broker.net;

import dev.walrus.broker.embedded.EmbeddedBroker;
import dev.walrus.broker.testing.RawConnection;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests sent back to back without waiting, as clients pipeline them, come back in order, each one answered. */
class PipelinedRequestsTest {

    @TempDir
    Path dataDir;

    @Test
    void shouldAnswerPipelinedRequestsInTheOrderTheyWereSent() throws Exception {
        List<AbstractRequest> requests = List.of(
                new ApiVersionsRequest.Builder().build((short) 3),
                MetadataRequest.Builder.allTopics().build((short) 12),
                new ApiVersionsRequest.Builder().build((short) 0),
                MetadataRequest.Builder.allTopics().build((short) 1),
                new ApiVersionsRequest.Builder().build((short) 4),
                MetadataRequest.Builder.allTopics().build((short) 9));
        try (EmbeddedBroker broker = EmbeddedBroker.builder().dataDir(dataDir).build().start();
             RawConnection client = RawConnection.open(broker.bootstrapServers())) {
            List<RequestHeader> headers = new ArrayList<>();
            for (int i = 0; i < requests.size(); i++) {
                headers.add(client.send(requests.get(i), 100 + i));
            }

            for (RequestHeader header : headers) {
                // parseResponse checks that the correlation id is this request's.
                AbstractResponse response = client.readResponse(header);
                switch (response) {
                    case ApiVersionsResponse versions -> assertThat(Errors.forCode(versions.data().errorCode())).isEqualTo(Errors.NONE);
                    case MetadataResponse metadata -> assertThat(metadata.brokers()).singleElement()
                            .satisfies(node -> assertThat(node.port()).isEqualTo(broker.port()));
                    default -> throw new AssertionError("unexpected response " + response);
                }
            }
        }
    }
}
