package dev.walrus.kafka.metadata;

import org.apache.kafka.common.protocol.Errors;

/**
 * The result of a metadata change: the value, or Kafka's error code with its message (errors are values here; the
 * handler copies them into the response).
 */
public record Outcome<T>(T value, Errors error, String message) {

    public static <T> Outcome<T> ok(T value) {
        return new Outcome<>(value, Errors.NONE, null);
    }

    public static <T> Outcome<T> fail(Errors error, String message) {
        return new Outcome<>(null, error, message);
    }

    public boolean isOk() {
        return error == Errors.NONE;
    }

    /** The same failure, typed for another value. */
    public <U> Outcome<U> asFailure() {
        return new Outcome<>(null, error, message);
    }
}
