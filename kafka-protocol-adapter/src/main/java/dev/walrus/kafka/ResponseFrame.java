package dev.walrus.kafka;

import java.nio.ByteBuffer;
import java.util.List;

/** What the network layer does with one request's outcome, in request order per connection. */
public sealed interface ResponseFrame {

    /**
     * Write these buffers, in order, as one response frame. The first buffer starts with the 4-byte size prefix, so
     * the network layer writes the buffers as they are. Some buffers may be zero-copy views of the engine's mapped
     * files; {@code release} must be run once they are written (or the connection dies), never before.
     */
    record Send(List<ByteBuffer> buffers, Runnable release) implements ResponseFrame {}

    /** No response goes out (a produce with acks=0), but the request is done: the next one may be answered. */
    record NoResponse() implements ResponseFrame {}

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
