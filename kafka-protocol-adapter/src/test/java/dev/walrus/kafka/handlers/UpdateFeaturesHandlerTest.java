package dev.walrus.kafka.handlers;

import dev.walrus.kafka.testing.AdapterHarness;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.UpdateFeaturesRequestData;
import org.apache.kafka.common.message.UpdateFeaturesResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.UpdateFeaturesResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * UpdateFeatures as Kafka 4.4's controller answers it on a one-node cluster: transaction.version moves (durably; the
 * next ApiVersions reports it with a higher epoch), validate-only changes nothing, and the refusals carry Kafka's
 * messages.
 */
class UpdateFeaturesHandlerTest {

    private static final byte UPGRADE = 1;
    private static final byte SAFE_DOWNGRADE = 2;
    private static final byte UNSAFE_DOWNGRADE = 3;
    private static final String FAILED = "The update failed for all features since the following feature had an error: ";

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

    @Test
    void shouldDowngradeAndUpgradeTheTransactionVersionDurably() {
        long epochBefore = apiVersions().finalizedFeaturesEpoch();
        UpdateFeaturesResponseData validated = update((short) 1, "transaction.version", (short) 1, SAFE_DOWNGRADE, true);
        assertThat(validated.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(validated.results()).singleElement().satisfies(r -> {
            assertThat(r.feature()).isEqualTo("transaction.version");
            assertThat(r.errorMessage()).isEqualTo("NONE");
        });
        assertThat(finalizedLevel("transaction.version")).as("validate-only").isEqualTo((short) 2);

        UpdateFeaturesResponseData downgraded = update((short) 2, "transaction.version", (short) 1, SAFE_DOWNGRADE, false);
        assertThat(downgraded.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(downgraded.errorMessage()).isNull();
        assertThat(downgraded.results()).as("v2 answers no per-feature results").isEmpty();
        assertThat(finalizedLevel("transaction.version")).isEqualTo((short) 1);
        assertThat(apiVersions().finalizedFeaturesEpoch()).isGreaterThan(epochBefore);

        broker.restart();
        assertThat(finalizedLevel("transaction.version")).as("after a restart").isEqualTo((short) 1);

        assertThat(update((short) 2, "transaction.version", (short) 0, SAFE_DOWNGRADE, false).errorCode()).isZero();
        assertThat(apiVersions().finalizedFeatures().find("transaction.version")).as("level 0 is not listed").isNull();
        assertThat(apiVersions().supportedFeatures().find("transaction.version")).isNotNull();
        assertThat(update((short) 2, "transaction.version", (short) 2, UPGRADE, false).errorCode()).isZero();
        assertThat(finalizedLevel("transaction.version")).isEqualTo((short) 2);
    }

    @Test
    void shouldRefuseWithKafkasMessages() {
        assertRefused("transaction.version", (short) 3, UPGRADE,
                "Invalid update version 3 for feature transaction.version. Local controller 1 only supports versions 0-2");
        assertRefused("foo.version", (short) 1, UPGRADE,
                "Invalid update version 1 for feature foo.version. Local controller 1 does not support this feature.");
        assertRefused("transaction.version", (short) 1, UPGRADE, "Invalid update version 1 for feature "
                + "transaction.version. Can't downgrade the version of this feature without setting the upgrade type to "
                + "either safe or unsafe downgrade.");
        assertRefused("metadata.version", (short) 21, SAFE_DOWNGRADE, "Unsupported metadata.version downgrade from 33 "
                + "to 21. Refusing to perform the requested downgrade because it might delete metadata information.");
        assertRefused("metadata.version", (short) 21, UNSAFE_DOWNGRADE, "Unsupported metadata.version downgrade from 33 "
                + "to 21. Unsafe metadata downgrade is not supported in this version.");
        assertRefused("transaction.version", (short) -1, SAFE_DOWNGRADE,
                "Invalid update version -1 for feature transaction.version. A feature version cannot be less than 0.");
        assertRefused("group.version", (short) 0, SAFE_DOWNGRADE, "Invalid update version 0 for feature group.version. "
                + "Walrus Broker keeps group.version at level 1: it would not follow a change of this feature.");
        assertThat(update((short) 1, "metadata.version", (short) 33, UPGRADE, false).errorCode())
                .as("the level finalized already").isZero();
        assertThat(finalizedLevel("group.version")).isEqualTo((short) 1);
    }

    /** As Kafka's controller: ALTER on the cluster, else CLUSTER_AUTHORIZATION_FAILED and nothing changed. */
    @Test
    void shouldNeedAlterOnTheCluster(@TempDir Path secured) {
        try (AdapterHarness guarded = new AdapterHarness(secured, java.util.Map.of("authorizer.class.name",
                dev.walrus.kafka.authz.Authorizer.STANDARD_AUTHORIZER, "super.users", "User:admin"))) {
            guarded.actAs("alice");
            UpdateFeaturesRequestData request = new UpdateFeaturesRequestData().setTimeoutMs(60_000);
            request.featureUpdates().add(new UpdateFeaturesRequestData.FeatureUpdateKey().setFeature("transaction.version")
                    .setMaxVersionLevel((short) 1).setUpgradeType(SAFE_DOWNGRADE));
            UpdateFeaturesResponse denied = guarded.send(ApiKeys.UPDATE_FEATURES, (short) 2, request);
            assertThat(Errors.forCode(denied.data().errorCode())).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED);
            guarded.actAs("admin");
            UpdateFeaturesResponse allowed = guarded.send(ApiKeys.UPDATE_FEATURES, (short) 2, request);
            assertThat(Errors.forCode(allowed.data().errorCode())).isEqualTo(Errors.NONE);
        }
    }

    private void assertRefused(String feature, short level, byte type, String message) {
        UpdateFeaturesResponseData r = update((short) 1, feature, level, type, false);
        assertThat(Errors.forCode(r.errorCode())).isEqualTo(Errors.INVALID_UPDATE_VERSION);
        assertThat(r.errorMessage()).isEqualTo(FAILED + message);
        assertThat(r.results()).isEmpty();
    }

    private UpdateFeaturesResponseData update(short version, String feature, short level, byte type, boolean validateOnly) {
        UpdateFeaturesRequestData request = new UpdateFeaturesRequestData().setTimeoutMs(60_000).setValidateOnly(validateOnly);
        request.featureUpdates().add(new UpdateFeaturesRequestData.FeatureUpdateKey().setFeature(feature)
                .setMaxVersionLevel(level).setUpgradeType(type));
        UpdateFeaturesResponse r = broker.send(ApiKeys.UPDATE_FEATURES, version, request);
        return r.data();
    }

    private ApiVersionsResponseData apiVersions() {
        ApiVersionsResponse r = broker.send(ApiKeys.API_VERSIONS, (short) 4,
                new ApiVersionsRequestData().setClientSoftwareName("walrus-test").setClientSoftwareVersion("1.0"));
        return r.data();
    }

    private short finalizedLevel(String feature) {
        ApiVersionsResponseData.FinalizedFeatureKey key = apiVersions().finalizedFeatures().find(feature);
        return key == null ? 0 : key.maxVersionLevel();
    }
}
