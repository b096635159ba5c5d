package dev.walrus.broker.cli;

/** A command line the broker does not understand; the message is one line. */
public final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}
