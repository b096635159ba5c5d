package dev.walrus.kafka.handlers;

import dev.walrus.kafka.group.ClassicMembers;
import dev.walrus.kafka.group.GroupFixture;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.walrus.kafka.group.GroupRequests.commit;
import static dev.walrus.kafka.group.GroupRequests.fetch;
import static org.assertj.core.api.Assertions.assertThat;

class DeleteGroupsHandlerTest {

    @TempDir
    Path dir;
    GroupFixture broker;

    @BeforeEach
    void open() {
        broker = GroupFixture.open(dir);
        broker.topics().create("orders", 1);
    }

    @AfterEach
    void close() {
        broker.close();
    }

    private Errors delete(String group) {
        DeleteGroupsResponseData response = broker.call(ApiKeys.DELETE_GROUPS, 3, new DeleteGroupsRequestData().setGroupsNames(List.of(group)));
        return Errors.forCode(response.results().find(group).errorCode());
    }

    private long committed(String group) {
        OffsetFetchResponseData response = broker.call(ApiKeys.OFFSET_FETCH, 8, fetch(group, "orders", 0));
        return response.groups().getFirst().topics().getFirst().partitions().getFirst().committedOffset();
    }

    @Test
    void shouldDeleteAnEmptyGroupWithItsOffsets() {
        broker.call(ApiKeys.OFFSET_COMMIT, 8, commit("simple", "", -1, "orders", 0, 5));

        assertThat(delete("simple")).isEqualTo(Errors.NONE);

        assertThat(committed("simple")).isEqualTo(-1);
        assertThat(broker.engine().readerNames(broker.topics().byName("orders").orElseThrow().engineTopic(0)))
                .doesNotContain("group:simple");
        ListGroupsResponseData listed = broker.call(ApiKeys.LIST_GROUPS, 4, new ListGroupsRequestData());
        assertThat(listed.groups()).isEmpty();
    }

    @Test
    void shouldKeepADeletedGroupDeletedAfterARestart() {
        ClassicMembers.stableSingleMember(broker, "g");
        broker.call(ApiKeys.LEAVE_GROUP, 0, new org.apache.kafka.common.message.LeaveGroupRequestData().setGroupId("g")
                .setMemberId(broker.<org.apache.kafka.common.message.DescribeGroupsResponseData>call(ApiKeys.DESCRIBE_GROUPS, 5,
                        new org.apache.kafka.common.message.DescribeGroupsRequestData().setGroups(List.of("g")))
                        .groups().getFirst().members().getFirst().memberId()));
        assertThat(delete("g")).isEqualTo(Errors.NONE);

        broker.restart();

        ListGroupsResponseData listed = broker.call(ApiKeys.LIST_GROUPS, 4, new ListGroupsRequestData());
        assertThat(listed.groups()).isEmpty();
    }

    @Test
    void shouldRefuseToDeleteAGroupWithMembers() {
        ClassicMembers.stableSingleMember(broker, "g");

        assertThat(delete("g")).isEqualTo(Errors.NON_EMPTY_GROUP);
    }

    @Test
    void shouldReportAnUnknownGroup() {
        assertThat(delete("nobody")).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
    }
}
