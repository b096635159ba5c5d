package dev.walrus.kafka.handlers;

import dev.walrus.kafka.metadata.MetadataHarness;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBroker;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DescribeClusterHandlerTest {

    private static final short LATEST = ApiKeys.DESCRIBE_CLUSTER.latestVersion();

    @TempDir
    Path dir;

    private MetadataHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void shouldDescribeThisNodeAsTheClusterAndItsController() {
        harness = MetadataHarness.open(dir, Map.of("node.id", "3"));

        DescribeClusterResponseData response = harness.call(new DescribeClusterRequestData(), LATEST);

        assertThat(response.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.clusterId()).isEqualTo(harness.module().clusterId());
        assertThat(response.controllerId()).isEqualTo(3);
        DescribeClusterBroker broker = response.brokers().iterator().next();
        assertThat(response.brokers()).hasSize(1);
        assertThat(broker.brokerId()).isEqualTo(3);
        assertThat(broker.host()).isEqualTo(MetadataHarness.HOST);
        assertThat(broker.port()).isEqualTo(MetadataHarness.PORT);
        assertThat(broker.isFenced()).isFalse();
        assertThat(response.clusterAuthorizedOperations()).isEqualTo(Integer.MIN_VALUE);
    }

    @Test
    void shouldKeepTheSameClusterIdAcrossRestarts() {
        harness = MetadataHarness.open(dir);
        String before = ((DescribeClusterResponseData) harness.call(new DescribeClusterRequestData(), LATEST)).clusterId();

        harness.restart();

        assertThat(((DescribeClusterResponseData) harness.call(new DescribeClusterRequestData(), LATEST)).clusterId()).isEqualTo(before);
    }

    @Test
    void shouldReportClusterOperationsWhenAsked() {
        harness = MetadataHarness.open(dir);

        DescribeClusterResponseData response = harness.call(
                new DescribeClusterRequestData().setIncludeClusterAuthorizedOperations(true), LATEST);

        assertThat(response.clusterAuthorizedOperations()).isEqualTo(8096);
    }

    @Test
    void shouldRefuseControllerEndpoints() {
        harness = MetadataHarness.open(dir);

        DescribeClusterResponseData response = harness.call(new DescribeClusterRequestData().setEndpointType((byte) 2), LATEST);

        assertThat(response.errorCode()).isEqualTo(Errors.MISMATCHED_ENDPOINT_TYPE.code());
        assertThat(response.errorMessage())
                .isEqualTo("The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER");
        assertThat(response.brokers()).isEmpty();
    }

    @Test
    void shouldAnswerEveryVersionTheMessageClassesDefine() {
        harness = MetadataHarness.open(dir);

        for (short version = ApiKeys.DESCRIBE_CLUSTER.oldestVersion(); version <= LATEST; version++) {
            DescribeClusterResponseData response = harness.call(new DescribeClusterRequestData(), version);

            assertThat(response.errorCode()).as("v%d", version).isEqualTo(Errors.NONE.code());
            assertThat(response.brokers()).as("v%d", version).hasSize(1);
        }
    }
}
