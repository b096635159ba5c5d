package dev.walrus.kafka.group;

import dev.walrus.engine.Walrus;
import dev.walrus.kafka.config.BrokerSettings;
import dev.walrus.kafka.handlers.ApiHandler;
import dev.walrus.kafka.metadata.Topics;

import java.util.List;

/**
 * Consumer groups: the group coordinator (classic and KIP-848 consumer protocols), committed offsets as engine
 * named-reader checkpoints, and the handlers of the group APIs.
 *
 * <p>CONTRACT (written before the implementation).
 */
public final class GroupModule implements AutoCloseable {

    private GroupModule() {}

    public static GroupModule open(Walrus engine, BrokerSettings settings, Topics topics, String advertisedHost, int advertisedPort) {
        return new GroupModule();
    }

    public List<ApiHandler<?>> handlers() {
        return List.of();
    }

    @Override
    public void close() {}
}
