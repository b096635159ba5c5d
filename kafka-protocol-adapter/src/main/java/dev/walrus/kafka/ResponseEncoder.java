package dev.walrus.kafka;

import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageSizeAccumulator;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/** Encodes a response header and body at the request's version into a size-prefixed {@link ResponseFrame.Send}. */
final class ResponseEncoder {

    private ResponseEncoder() {}

    static ResponseFrame.Send encode(int correlationId, short headerVersion, ApiMessage body, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(correlationId);
        MessageSizeAccumulator size = new MessageSizeAccumulator();
        header.addSize(size, cache, headerVersion);
        body.addSize(size, cache, version);
        FrameWritable out = new FrameWritable(Integer.BYTES + size.sizeExcludingZeroCopy());
        try {
            out.writeInt(size.totalSize());
            header.write(out, cache, headerVersion);
            body.write(out, cache, version);
            return new ResponseFrame.Send(out.finish(), out.release());
        } catch (RuntimeException e) {
            out.release().run();
            throw e;
        }
    }
}
