package dev.walrus.kafka.handlers;

import dev.walrus.kafka.testing.AdapterHarness;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeClientQuotasResponse;
import org.apache.kafka.common.requests.DescribeTransactionsResponse;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsResponse;
import org.apache.kafka.common.requests.ListTransactionsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/** DescribeClientQuotas, DescribeUserScramCredentials, ListTransactions, DescribeTransactions: nothing is ever set. */
class NothingSetHandlersTest {

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
    @ValueSource(shorts = {0, 1})
    void shouldFindNoQuotaAtEveryVersion(short version) {
        DescribeClientQuotasResponse response = broker.send(ApiKeys.DESCRIBE_CLIENT_QUOTAS, version,
                new DescribeClientQuotasRequestData().setComponents(List.of(new DescribeClientQuotasRequestData.ComponentData()
                        .setEntityType("client-id").setMatchType((byte) 2).setMatch(null))));   // as clients send it
        assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.data().entries()).isEmpty();

        DescribeClientQuotasResponse refused = broker.send(ApiKeys.DESCRIBE_CLIENT_QUOTAS, version,
                new DescribeClientQuotasRequestData().setComponents(List.of(new DescribeClientQuotasRequestData.ComponentData()
                        .setEntityType("planet").setMatchType((byte) 2))));
        assertThat(refused.data().errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        assertThat(refused.data().errorMessage()).isEqualTo("Unsupported entity type planet");
    }

    @Test
    void shouldFindNoScramCredentials() {
        DescribeUserScramCredentialsResponse all = broker.send(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, (short) 0,
                new DescribeUserScramCredentialsRequestData().setUsers(null));
        assertThat(all.data().results()).isEmpty();

        DescribeUserScramCredentialsResponse named = broker.send(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, (short) 0,
                new DescribeUserScramCredentialsRequestData().setUsers(List.of(
                        new DescribeUserScramCredentialsRequestData.UserName().setName("alice"),
                        new DescribeUserScramCredentialsRequestData.UserName().setName("bob"),
                        new DescribeUserScramCredentialsRequestData.UserName().setName("bob"))));
        assertThat(named.data().results()).extracting(DescribeUserScramCredentialsResult::user,
                        DescribeUserScramCredentialsResult::errorCode)
                .containsExactlyInAnyOrder(tuple("alice", Errors.RESOURCE_NOT_FOUND.code()),
                        tuple("bob", Errors.DUPLICATE_RESOURCE.code()));
        // Kafka 4.4's ScramImage.describe answers a named user without credentials so (the compat
        // SaslListenerTest sees it through the admin client on Kafka 4.4 as well)
        assertThat(named.data().results()).filteredOn(r -> r.user().equals("alice")).first()
                .extracting(DescribeUserScramCredentialsResult::errorMessage)
                .isEqualTo("Attempt to describe a user credential that does not exist: alice");
    }

    @ParameterizedTest
    @ValueSource(shorts = {0, 1, 2})
    void shouldListNoTransactionAndEchoUnknownStateFiltersAtEveryVersion(short version) {
        ListTransactionsResponse response = broker.send(ApiKeys.LIST_TRANSACTIONS, version,
                new ListTransactionsRequestData().setStateFilters(List.of("Ongoing", "Sleeping")));
        assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.data().transactionStates()).isEmpty();
        assertThat(response.data().unknownStateFilters()).containsExactly("Sleeping");
    }

    @Test
    void shouldFindNoTransactionalId() {
        DescribeTransactionsResponse response = broker.send(ApiKeys.DESCRIBE_TRANSACTIONS, (short) 0,
                new DescribeTransactionsRequestData().setTransactionalIds(List.of("a", "b")));
        assertThat(response.data().transactionStates()).hasSize(2).allSatisfy(state ->
                assertThat(state.errorCode()).isEqualTo(Errors.TRANSACTIONAL_ID_NOT_FOUND.code()));
    }
}
