package dev.walrus.kafka;

import java.nio.ByteBuffer;
import java.util.List;

/** What the network layer does with one request's outcome, in request order per connection. */
public sealed interface ResponseFrame {

    /**
     * Write these buffers, in order, as one response frame. The first buffer starts with the 4-byte size prefix, so
     * the network layer writes the buffers as they are. Some buffers may be zero-copy views of the engine's mapped
     * files; {@code release} must be run once they are written (or the connection dies), never before.
     *
     * <p>{@code muteMs}: how long the network layer reads no further request from this connection after writing the
     * answer. Kafka mutes a connection for the throttle time of an answer over a client quota (KIP-219), so a client
     * that ignores the throttle time gains nothing; 0 for every answer that is not throttled.
     */
    record Send(List<ByteBuffer> buffers, Runnable release, int muteMs) implements ResponseFrame {

        public Send(List<ByteBuffer> buffers, Runnable release) {
            this(buffers, release, 0);
        }

        /** This answer, after which the connection reads no request for {@code ms} (see {@link #muteMs()}). */
        public Send mutedFor(int ms) {
            return new Send(buffers, release, ms);
        }
    }

    /**
     * No response goes out (a produce with acks=0), but the request is done: the next one may be answered. A client
     * over its byte-rate quota still gets its connection muted for {@code muteMs}: Kafka's only way to slow an acks=0
     * producer, which never sees a throttle time.
     */
    record NoResponse(int muteMs) implements ResponseFrame {

        public NoResponse() {
            this(0);
        }
    }

    /**
     * Close this connection, logging the reason, after writing {@code lastResponse} if there is one (a failed SASL
     * authentication is answered, then the connection goes, as in Kafka); other connections are unaffected.
     */
    record Close(String reason, Send lastResponse) implements ResponseFrame {

        public Close(String reason) {
            this(reason, null);
        }
    }
}
