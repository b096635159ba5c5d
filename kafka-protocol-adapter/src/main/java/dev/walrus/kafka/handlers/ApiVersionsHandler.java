package dev.walrus.kafka.handlers;

import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.metadata.Features;
import dev.walrus.kafka.metadata.FinalizedFeatures;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * ApiVersions (key 18), versions 0-5: the APIs this broker handles and their version ranges, read from the one
 * {@link ApiHandlers} table, so nothing is advertised that is not handled.
 *
 * <p>Behaviour: the KIP-584 features are those of {@link Features}: what a fresh Kafka 4.4 node supports and
 * finalizes, for each feature this broker serves, at the levels finalized now ({@link FinalizedFeatures}, which
 * UpdateFeatures changes). Versions a handler
 * supports beyond the latest <em>stable</em> one are neither advertised nor accepted (Kafka's
 * {@code unstable.api.versions.enable=false}). Produce is advertised from version 0, as Kafka does for librdkafka's
 * sake (KAFKA-18659), though versions 0-2 are refused.
 *
 * <p>Version notes:
 * <ul>
 *   <li>v0: the API list. v1: throttle time. v2: same as v1.
 *   <li>v3 (KIP-511): flexible; the client's software name and version, validated as Kafka does (INVALID_REQUEST);
 *       supported/finalized features, their epoch and ZkMigrationReady as tagged fields (KIP-584, KIP-866).
 *   <li>v4: same as v3 (KIP-511 bug fix). v5: same as v4 (KIP-1083 removed-versions semantics).
 *   <li>An unknown higher version: UNSUPPORTED_VERSION answered at v0 with the full list (see RequestDispatcher).
 * </ul>
 */
public final class ApiVersionsHandler implements ApiHandler<ApiVersionsRequestData> {

    /** Kafka's rule for client software names and versions (ApiVersionsRequest.isValid). */
    private static final Pattern SOFTWARE = Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9\\-.]*[a-zA-Z0-9])?");

    private final ApiHandlers table;
    private final FinalizedFeatures features;
    private final LongSupplier featuresEpoch;

    /** @param featuresEpoch the metadata log's end offset, Kafka's FinalizedFeaturesEpoch */
    public ApiVersionsHandler(ApiHandlers table, FinalizedFeatures features, LongSupplier featuresEpoch) {
        this.table = table;
        this.features = features;
        this.featuresEpoch = featuresEpoch;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.API_VERSIONS;
    }

    @Override
    public short maxVersion() {
        return ApiKeys.API_VERSIONS.latestVersion(false);
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestHeader header, ApiVersionsRequestData request, RequestContext context) {
        ApiVersionsResponseData response = new ApiVersionsResponseData().setThrottleTimeMs(0);
        if (header.apiVersion() >= 3 && !(SOFTWARE.matcher(request.clientSoftwareName()).matches()
                && SOFTWARE.matcher(request.clientSoftwareVersion()).matches())) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.INVALID_REQUEST.code()));
        }
        response.setErrorCode(Errors.NONE.code()).setApiKeys(advertisedVersions(table));
        features.describeInto(response, featuresEpoch.getAsLong());
        return CompletableFuture.completedFuture(response);
    }

    /** Every handled API with the versions advertised for it, in API key order. */
    public static ApiVersionsResponseData.ApiVersionCollection advertisedVersions(ApiHandlers table) {
        ApiVersionsResponseData.ApiVersionCollection versions = new ApiVersionsResponseData.ApiVersionCollection();
        table.all().stream().sorted(Comparator.comparingInt(h -> h.apiKey().id)).forEach(h -> {
            short min = h.minVersion();
            if (h.apiKey() == ApiKeys.PRODUCE && min == ApiKeys.PRODUCE.oldestVersion()) {
                min = ApiKeys.PRODUCE_API_VERSIONS_RESPONSE_MIN_VERSION;
            }
            versions.add(new ApiVersionsResponseData.ApiVersion()
                    .setApiKey(h.apiKey().id)
                    .setMinVersion(min)
                    .setMaxVersion(maxAcceptedVersion(h)));
        });
        return versions;
    }

    /** The highest version accepted for a handler: its own maximum, capped at the latest stable version. */
    public static short maxAcceptedVersion(ApiHandler<?> handler) {
        return (short) Math.min(handler.maxVersion(), handler.apiKey().latestVersion(false));
    }
}
