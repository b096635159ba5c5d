package dev.walrus.kafka.group;

import org.apache.kafka.common.protocol.Errors;

/**
 * A rung of a validation ladder failed: carries Kafka's error code and a message for the response. Thrown and caught
 * inside the coordinator only; never reaches the network layer.
 */
public final class GroupException extends RuntimeException {

    private final transient Errors error;

    public GroupException(Errors error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public GroupException(Errors error) {
        this(error, error.message());
    }

    public Errors error() {
        return error;
    }
}
