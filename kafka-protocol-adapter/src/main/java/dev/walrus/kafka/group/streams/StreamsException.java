package dev.walrus.kafka.group.streams;

import dev.walrus.kafka.group.GroupException;
import org.apache.kafka.common.protocol.Errors;

/** The errors the streams protocol answers with, with Kafka's codes. */
final class StreamsException {

    private StreamsException() {}

    static GroupException invalidRequest(String message) {
        return new GroupException(Errors.INVALID_REQUEST, message);
    }

    static GroupException invalidTopology(String message) {
        return new GroupException(Errors.STREAMS_INVALID_TOPOLOGY, message);
    }
}
