package dev.walrus.kafka.handlers;

import dev.walrus.kafka.group.ClassicMembers;
import dev.walrus.kafka.group.GroupFixture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.walrus.kafka.group.GroupRequests.commit;
import static dev.walrus.kafka.group.GroupRequests.decodeAssignment;
import static org.assertj.core.api.Assertions.assertThat;

class DescribeGroupsHandlerTest {

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

    private DescribedGroup describe(int version, String group) {
        DescribeGroupsResponseData response = broker.call(ApiKeys.DESCRIBE_GROUPS, version,
                new DescribeGroupsRequestData().setGroups(List.of(group)));
        return response.groups().getFirst();
    }

    @Test
    void shouldDescribeAStableGroupWithItsProtocolAndMembersAssignments() {
        JoinGroupResponseData member = ClassicMembers.stableSingleMember(broker, "g");

        DescribedGroup group = describe(5, "g");

        assertThat(Errors.forCode(group.errorCode())).isEqualTo(Errors.NONE);
        assertThat(group.groupState()).isEqualTo("Stable");
        assertThat(group.protocolType()).isEqualTo("consumer");
        assertThat(group.protocolData()).isEqualTo("range");
        assertThat(group.members()).hasSize(1);
        assertThat(group.members().getFirst().memberId()).isEqualTo(member.memberId());
        assertThat(group.members().getFirst().clientId()).isEqualTo("test-client");
        assertThat(group.members().getFirst().clientHost()).isEqualTo("/127.0.0.1");
        assertThat(decodeAssignment(group.members().getFirst().memberAssignment())).containsExactly(new TopicPartition("orders", 0));
    }

    @Test
    void shouldDescribeAGroupKnownOnlyByItsOffsetsAsEmpty() {
        broker.call(ApiKeys.OFFSET_COMMIT, 8, commit("simple", "", -1, "orders", 0, 1));

        DescribedGroup group = describe(5, "simple");

        assertThat(group.groupState()).isEqualTo("Empty");
        assertThat(group.protocolType()).isEmpty();
        assertThat(group.members()).isEmpty();
    }

    @Test
    void shouldDescribeAnUnknownGroupAsDeadBeforeVersion6() {
        DescribedGroup group = describe(5, "nobody");

        assertThat(Errors.forCode(group.errorCode())).isEqualTo(Errors.NONE);
        assertThat(group.groupState()).isEqualTo("Dead");
    }

    @Test
    void shouldReportGroupIdNotFoundForAnUnknownGroupFromVersion6() {
        DescribedGroup group = describe(6, "nobody");

        assertThat(Errors.forCode(group.errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        assertThat(group.groupState()).isEqualTo("Dead");
    }

    @Test
    void shouldDescribeAStableGroupAgainAfterARestart() {
        JoinGroupResponseData member = ClassicMembers.stableSingleMember(broker, "g");

        broker.restart();

        DescribedGroup group = describe(5, "g");
        assertThat(group.groupState()).isEqualTo("Stable");
        assertThat(group.members()).extracting(DescribeGroupsResponseData.DescribedGroupMember::memberId)
                .containsExactly(member.memberId());
        assertThat(decodeAssignment(group.members().getFirst().memberAssignment())).containsExactly(new TopicPartition("orders", 0));
    }
}
