package dev.walrus.broker.net;

/** The listener could not be bound; the message is one line naming the address and the reason. */
public final class BindFailedException extends RuntimeException {

    BindFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
