package dev.walrus.kafka.handlers;

import dev.walrus.kafka.config.BrokerLoggers;
import dev.walrus.kafka.metadata.Outcome;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.LogLevelConfig;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.TreeSet;

/**
 * An IncrementalAlterConfigs change to a BROKER_LOGGER resource (KIP-412): SET gives a logger a level, DELETE takes
 * its own level away (it inherits its ancestors' again). Kafka's order, once the client may alter the cluster: the
 * resource name must be this node's id, then every operation is checked (the logger exists; SET names one of Kafka's
 * level names, in capitals; root's level cannot be removed; APPEND and SUBTRACT refused) before any is applied.
 * Nothing is stored: the levels last until the process exits, as Kafka's do.
 */
final class BrokerLoggerChange {

    private static final Logger log = LoggerFactory.getLogger(BrokerLoggerChange.class);

    /** Kafka's valid level names, sorted, as its refusal lists them. */
    private static final String VALID_LEVELS = String.join(", ", new TreeSet<>(LogLevelConfig.VALID_LOG_LEVELS));

    private static final ConfigResource.Type TYPE = ConfigResource.Type.BROKER_LOGGER;

    /** One operation, with its protocol code. */
    record Op(String logger, byte code, String level) {}

    private final BrokerLoggers loggers;
    private final int nodeId;

    BrokerLoggerChange(BrokerLoggers loggers, int nodeId) {
        this.loggers = loggers;
        this.nodeId = nodeId;
    }

    /** Checks the resource and every operation, then applies them unless {@code validateOnly}. */
    synchronized Outcome<Void> alter(String resourceName, List<Op> ops, boolean validateOnly) {
        Outcome<Void> checked = checkNodeId(resourceName);
        for (int i = 0; checked.isOk() && i < ops.size(); i++) {
            checked = check(ops.get(i));
        }
        if (!checked.isOk() || validateOnly) {
            return checked;
        }
        for (Op op : ops) {
            if (ConfigOperation.of(op.code()) == ConfigOperation.SET) {
                loggers.set(op.logger(), op.level());
                log.warn("Log level of {} set to {} at a client's request (until the broker stops)", op.logger(),
                        op.level());
            } else {
                loggers.reset(op.logger());
                log.warn("Log level of {} removed at a client's request: it logs at its parent's level", op.logger());
            }
        }
        return checked;
    }

    private Outcome<Void> checkNodeId(String resourceName) {
        int requested;
        try {
            requested = Integer.parseInt(resourceName);
        } catch (NumberFormatException e) {
            return Outcome.fail(Errors.INVALID_REQUEST, "Node id must be an integer, but it is: " + resourceName);
        }
        if (requested != nodeId) {
            return Outcome.fail(Errors.INVALID_REQUEST,
                    "Unexpected node id. Expected " + nodeId + ", but received " + requested);
        }
        return Outcome.ok(null);
    }

    private Outcome<Void> check(Op op) {
        ConfigOperation operation = ConfigOperation.of(op.code());
        if (operation == null) {
            return Outcome.fail(Errors.INVALID_REQUEST,
                    "Unknown operation type " + op.code() + " is not allowed for the " + TYPE + " resource");
        }
        return switch (operation) {
            case SET -> !loggers.exists(op.logger()) ? missing(op.logger())
                    : !LogLevelConfig.VALID_LOG_LEVELS.contains(op.level())
                    ? Outcome.fail(Errors.INVALID_CONFIG, "Cannot set the log level of " + op.logger() + " to "
                            + op.level() + " as it is not a supported log level. Valid log levels are " + VALID_LEVELS)
                    : Outcome.ok(null);
            case DELETE -> !loggers.exists(op.logger()) ? missing(op.logger())
                    : op.logger().equals(BrokerLoggers.ROOT)
                    ? Outcome.fail(Errors.INVALID_REQUEST,
                            "Removing the log level of the " + BrokerLoggers.ROOT + " logger is not allowed")
                    : Outcome.ok(null);
            case APPEND, SUBTRACT -> Outcome.fail(Errors.INVALID_REQUEST,
                    operation + " operation is not allowed for the " + TYPE + " resource");
        };
    }

    private static Outcome<Void> missing(String logger) {
        return Outcome.fail(Errors.INVALID_CONFIG, "Logger " + logger + " does not exist!");
    }
}
