package dev.walrus.kafka.handlers;

import dev.walrus.kafka.group.GroupFixture;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest.CoordinatorType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FindCoordinatorHandlerTest {

    @TempDir
    Path dir;
    GroupFixture broker;

    @BeforeEach
    void open() {
        broker = GroupFixture.open(dir);
    }

    @AfterEach
    void close() {
        broker.close();
    }

    @Test
    void shouldNameThisNodeForAGroupKeyInVersion0() {
        FindCoordinatorResponseData response = broker.call(ApiKeys.FIND_COORDINATOR, 0, new FindCoordinatorRequestData().setKey("g"));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.NONE);
        assertThat(response.nodeId()).isEqualTo(1);
        assertThat(response.host()).isEqualTo(GroupFixture.HOST);
        assertThat(response.port()).isEqualTo(GroupFixture.PORT);
    }

    @Test
    void shouldNameThisNodeForATransactionalIdToo() {
        FindCoordinatorResponseData response = broker.call(ApiKeys.FIND_COORDINATOR, 3, new FindCoordinatorRequestData()
                .setKey("txn-1").setKeyType(CoordinatorType.TRANSACTION.id()));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.NONE);
        assertThat(response.port()).isEqualTo(GroupFixture.PORT);
    }

    @Test
    void shouldAnswerEveryKeyOfABatchedRequestFromVersion4() {
        FindCoordinatorResponseData response = broker.call(ApiKeys.FIND_COORDINATOR, 6, new FindCoordinatorRequestData()
                .setCoordinatorKeys(new ArrayList<>(List.of("a", "b", ""))));

        assertThat(response.coordinators()).extracting(FindCoordinatorResponseData.Coordinator::key).containsExactly("a", "b", "");
        assertThat(response.coordinators()).extracting(c -> Errors.forCode(c.errorCode()))
                .containsExactly(Errors.NONE, Errors.NONE, Errors.INVALID_REQUEST);
        assertThat(response.coordinators().getFirst().nodeId()).isEqualTo(1);
        assertThat(response.coordinators().getFirst().host()).isEqualTo(GroupFixture.HOST);
    }

    @Test
    void shouldRefuseShareGroupKeys() {
        FindCoordinatorResponseData response = broker.call(ApiKeys.FIND_COORDINATOR, 6, new FindCoordinatorRequestData()
                .setKeyType(CoordinatorType.SHARE.id()).setCoordinatorKeys(new ArrayList<>(List.of("g:topic:0"))));

        assertThat(Errors.forCode(response.coordinators().getFirst().errorCode())).isEqualTo(Errors.INVALID_REQUEST);
    }

    @Test
    void shouldRefuseAnEmptyGroupKey() {
        FindCoordinatorResponseData response = broker.call(ApiKeys.FIND_COORDINATOR, 1, new FindCoordinatorRequestData().setKey(""));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.INVALID_REQUEST);
    }
}
