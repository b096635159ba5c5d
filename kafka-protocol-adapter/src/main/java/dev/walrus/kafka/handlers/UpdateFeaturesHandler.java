package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.metadata.FeatureUpdateCheck;
import dev.walrus.kafka.metadata.TopicRegistry;
import org.apache.kafka.clients.admin.FeatureUpdate.UpgradeType;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.UpdateFeaturesRequestData;
import org.apache.kafka.common.message.UpdateFeaturesResponseData;
import org.apache.kafka.common.message.UpdateFeaturesResponseData.UpdatableFeatureResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * UpdateFeatures (key 57), versions 0-2: finalizes KIP-584 features at new levels ({@code kafka-features
 * upgrade/downgrade/disable}, {@code Admin.updateFeatures}).
 *
 * <p>Behaviour: as Kafka's controller (see {@link FeatureUpdateCheck}): the changes are checked in order and the
 * first refusal fails them all (INVALID_UPDATE_VERSION, "The update failed for all features since the following
 * feature had an error: ..."); otherwise they are logged in the metadata log and answered once durable, and the next
 * ApiVersions reports them. Only {@code transaction.version} may move here (the coordinator serves transaction
 * versions 0-2 alike); every other feature keeps its level, and a change to it is refused with a message saying so,
 * where Kafka would make it. {@code metadata.version} cannot move in Kafka 4.4 either (4.4-IV2 is its highest level,
 * and every downgrade from it is refused).
 *
 * <p>Authorization: ALTER on the cluster (CLUSTER_AUTHORIZATION_FAILED), as Kafka's controller checks it.
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: first version; its AllowDowngrade flag is not read (Kafka's controller takes every v0 change as an
 *       upgrade). v1: upgrade type and validate-only.
 *   <li>v2: no per-feature results in the answer.
 * </ul>
 */
public final class UpdateFeaturesHandler implements ApiHandler<UpdateFeaturesRequestData> {

    private static final short NO_RESULTS_SINCE = 2;
    private static final String FAILED_FOR_ALL = "The update failed for all features since the following feature had"
            + " an error: ";

    private final TopicRegistry registry;
    private final int nodeId;

    public UpdateFeaturesHandler(TopicRegistry registry, int nodeId) {
        this.registry = registry;
        this.nodeId = nodeId;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.UPDATE_FEATURES;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, UpdateFeaturesRequestData request,
                                                RequestContext context) {
        context.requireOnCluster(AclOperation.ALTER, header);
        Map<String, Short> levels = new LinkedHashMap<>();
        for (UpdateFeaturesRequestData.FeatureUpdateKey update : request.featureUpdates()) {
            Optional<String> refusal = FeatureUpdateCheck.refusal(update.feature(), update.maxVersionLevel(),
                    UpgradeType.fromCode(update.upgradeType()), registry.features(), nodeId);
            if (refusal.isPresent()) {
                return CompletableFuture.completedFuture(new UpdateFeaturesResponseData().setThrottleTimeMs(0)
                        .setErrorCode(Errors.INVALID_UPDATE_VERSION.code()).setErrorMessage(FAILED_FOR_ALL + refusal.get()));
            }
            levels.put(update.feature(), update.maxVersionLevel());
        }
        UpdateFeaturesResponseData response = new UpdateFeaturesResponseData().setThrottleTimeMs(0)
                .setErrorCode(Errors.NONE.code()).setErrorMessage(null);
        if (header.apiVersion() < NO_RESULTS_SINCE) {
            // as Kafka's controller: each feature with the request's error, whose message is the error's name
            levels.keySet().forEach(feature -> response.results().add(new UpdatableFeatureResult().setFeature(feature)
                    .setErrorCode(Errors.NONE.code()).setErrorMessage(Errors.NONE.message())));
        }
        if (request.validateOnly()) {
            return CompletableFuture.completedFuture(response);
        }
        registry.changeFeatureLevels(levels);
        return registry.durable().thenApply(durable -> response);
    }
}
