package dev.walrus.kafka.handlers;

import org.apache.kafka.common.protocol.ApiKeys;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one table of Kafka APIs this broker serves. ApiVersions, metric names and log names derive from it; the list
 * of API keys is never repeated elsewhere. Refuses a duplicate key or an inverted version range at start-up.
 */
public final class ApiHandlers {

    private final Map<ApiKeys, ApiHandler<?>> byKey = new EnumMap<>(ApiKeys.class);

    public ApiHandlers register(ApiHandler<?> handler) {
        ApiKeys key = handler.apiKey();
        if (handler.minVersion() > handler.maxVersion()) {
            throw new IllegalStateException("handler for " + key + " has an inverted version range "
                    + handler.minVersion() + ".." + handler.maxVersion());
        }
        if (handler.minVersion() < key.oldestVersion() || handler.maxVersion() > key.latestVersion()) {
            throw new IllegalStateException("handler for " + key + " claims versions " + handler.minVersion() + ".."
                    + handler.maxVersion() + " beyond the message classes' " + key.oldestVersion() + ".." + key.latestVersion());
        }
        if (byKey.putIfAbsent(key, handler) != null) {
            throw new IllegalStateException("two handlers registered for " + key);
        }
        return this;
    }

    public Optional<ApiHandler<?>> handlerFor(ApiKeys key) {
        return Optional.ofNullable(byKey.get(key));
    }

    public Collection<ApiHandler<?>> all() {
        return Collections.unmodifiableCollection(byKey.values());
    }
}
