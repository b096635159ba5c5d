package dev.walrus.kafka.handlers;

import dev.walrus.kafka.testing.AdapterHarness;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateAclsResponse;
import org.apache.kafka.common.requests.DeleteAclsResponse;
import org.apache.kafka.common.requests.DescribeAclsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** DescribeAcls, CreateAcls, DeleteAcls: a broker without an authorizer, at every version. */
class AclHandlersTest {

    @TempDir
    Path dir;
    private AdapterHarness broker;

    @BeforeEach
    void start() {
        broker = new AdapterHarness(dir);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @ParameterizedTest
    @ValueSource(shorts = {1, 2, 3})
    void shouldAnswerDescribeAclsWithSecurityDisabled(short version) {
        DescribeAclsResponse response = broker.send(ApiKeys.DESCRIBE_ACLS, version, new DescribeAclsRequestData()
                .setResourceTypeFilter((byte) 1).setPatternTypeFilter((byte) 1).setOperation((byte) 1)
                .setPermissionType((byte) 1));
        assertThat(response.data().errorCode()).isEqualTo(Errors.SECURITY_DISABLED.code());
        assertThat(response.data().errorMessage()).isEqualTo("No Authorizer is configured on the broker");
        assertThat(response.data().resources()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(shorts = {1, 2, 3})
    void shouldAnswerEveryCreationWithSecurityDisabled(short version) {
        CreateAclsRequestData.AclCreation creation = new CreateAclsRequestData.AclCreation()
                .setResourceType((byte) 2).setResourceName("t").setResourcePatternType((byte) 3)
                .setPrincipal("User:alice").setHost("*").setOperation((byte) 3).setPermissionType((byte) 3);
        CreateAclsResponse response = broker.send(ApiKeys.CREATE_ACLS, version,
                new CreateAclsRequestData().setCreations(List.of(creation, creation.duplicate())));
        assertThat(response.data().results()).hasSize(2).allSatisfy(r -> {
            assertThat(r.errorCode()).isEqualTo(Errors.SECURITY_DISABLED.code());
            assertThat(r.errorMessage()).isEqualTo("No Authorizer is configured.");
        });
    }

    @ParameterizedTest
    @ValueSource(shorts = {1, 2, 3})
    void shouldAnswerEveryDeletionFilterWithSecurityDisabledAndNoMatches(short version) {
        DeleteAclsRequestData.DeleteAclsFilter filter = new DeleteAclsRequestData.DeleteAclsFilter()
                .setResourceTypeFilter((byte) 2).setResourceNameFilter("t").setPatternTypeFilter((byte) 3)
                .setOperation((byte) 1).setPermissionType((byte) 1);
        DeleteAclsResponse response = broker.send(ApiKeys.DELETE_ACLS, version,
                new DeleteAclsRequestData().setFilters(List.of(filter)));
        List<DeleteAclsResponseData.DeleteAclsFilterResult> results = response.data().filterResults();
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.errorCode()).isEqualTo(Errors.SECURITY_DISABLED.code());
            assertThat(r.errorMessage()).isEqualTo("No Authorizer is configured.");
            assertThat(r.matchingAcls()).isEmpty();
        });
    }
}
