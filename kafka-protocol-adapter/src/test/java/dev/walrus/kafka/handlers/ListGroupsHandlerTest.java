package dev.walrus.kafka.handlers;

import dev.walrus.kafka.group.ClassicMembers;
import dev.walrus.kafka.group.GroupFixture;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.walrus.kafka.group.GroupRequests.commit;
import static dev.walrus.kafka.group.GroupRequests.consumerJoin;
import static org.assertj.core.api.Assertions.assertThat;

class ListGroupsHandlerTest {

    @TempDir
    Path dir;
    GroupFixture broker;

    @BeforeEach
    void open() {
        broker = GroupFixture.open(dir);
        broker.topics().create("orders", 2);
        ClassicMembers.stableSingleMember(broker, "classic-stable");
        broker.call(ApiKeys.OFFSET_COMMIT, 8, commit("simple", "", -1, "orders", 0, 1));
        broker.call(ApiKeys.CONSUMER_GROUP_HEARTBEAT, 1, consumerJoin("modern", "m-1", "orders"));
    }

    @AfterEach
    void close() {
        broker.close();
    }

    private List<ListedGroup> list(int version, ListGroupsRequestData request) {
        ListGroupsResponseData response = broker.call(ApiKeys.LIST_GROUPS, version, request);
        return response.groups();
    }

    @Test
    void shouldListEveryGroupWithItsProtocolType() {
        List<ListedGroup> groups = list(0, new ListGroupsRequestData());

        assertThat(groups).extracting(ListedGroup::groupId, ListedGroup::protocolType).containsExactly(
                org.assertj.core.groups.Tuple.tuple("classic-stable", "consumer"),
                org.assertj.core.groups.Tuple.tuple("modern", "consumer"),
                org.assertj.core.groups.Tuple.tuple("simple", ""));
    }

    @Test
    void shouldFilterByStateCaseInsensitivelyFromVersion4() {
        List<ListedGroup> groups = list(4, new ListGroupsRequestData().setStatesFilter(List.of("empty")));

        assertThat(groups).extracting(ListedGroup::groupId).containsExactly("simple");
        assertThat(groups.getFirst().groupState()).isEqualTo("Empty");
    }

    @Test
    void shouldFilterByTypeFromVersion5() {
        List<ListedGroup> consumers = list(5, new ListGroupsRequestData().setTypesFilter(List.of("Consumer")));
        List<ListedGroup> classics = list(5, new ListGroupsRequestData().setTypesFilter(List.of("classic")));

        assertThat(consumers).extracting(ListedGroup::groupId).containsExactly("modern");
        assertThat(consumers.getFirst().groupType()).isEqualTo("consumer");
        assertThat(classics).extracting(ListedGroup::groupId).containsExactly("classic-stable", "simple");
    }
}
