package dev.walrus.kafka;

/**
 * Thrown (or completed exceptionally) by a handler whose request must be answered by closing the connection, where
 * Kafka does so: for example a produce with acks=0 that failed, since the client would otherwise never learn of it
 * and would go on sending. The dispatcher logs the reason once and answers {@link ResponseFrame.Close}.
 */
public final class CloseConnectionException extends RuntimeException {

    public CloseConnectionException(String reason) {
        super(reason, null, false, false);
    }
}
