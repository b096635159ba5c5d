package dev.walrus.broker;

/** The broker could not start; the message is one line for the operator (what failed, where, why). */
public final class BrokerStartException extends RuntimeException {

    public BrokerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
