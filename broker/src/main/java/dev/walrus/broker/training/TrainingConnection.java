package dev.walrus.broker.training;

import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.ResponseHeader;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * One blocking connection of the start-cache training: writes requests and reads responses with the same generated
 * message classes ({@code *RequestData}, {@code *ResponseData}) the broker uses, so that the training loads no class
 * that a served broker would not (each class in the cache is loaded at every start).
 */
final class TrainingConnection implements AutoCloseable {

    private static final String CLIENT_ID = "walrus-start-cache-training";

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextCorrelationId;

    private TrainingConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static TrainingConnection open(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, 5_000);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        return new TrainingConnection(socket);
    }

    /** A request on the wire whose response is read later ({@link #receive}): a long poll left waiting. */
    record Sent(ApiKeys key, short version, int correlationId) {}

    /** Sends {@code body} as {@code key} at {@code version} and waits for its response. */
    @SuppressWarnings("unchecked")
    <T extends ApiMessage> T call(ApiKeys key, short version, ApiMessage body) throws IOException {
        return (T) receive(send(key, version, body));
    }

    Sent send(ApiKeys key, short version, ApiMessage body) throws IOException {
        int correlationId = nextCorrelationId++;
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(key.id).setRequestApiVersion(version)
                .setClientId(CLIENT_ID).setCorrelationId(correlationId);
        short headerVersion = key.requestHeaderVersion(version);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + body.size(cache, version);
        ByteBuffer frame = ByteBuffer.allocate(4 + size).putInt(size);
        ByteBufferAccessor writer = new ByteBufferAccessor(frame);
        header.write(writer, cache, headerVersion);
        body.write(writer, cache, version);
        out.write(frame.array());
        out.flush();
        return new Sent(key, version, correlationId);
    }

    ApiMessage receive(Sent sent) throws IOException {
        byte[] payload = new byte[in.readInt()];
        in.readFully(payload);
        ByteBuffer buffer = ByteBuffer.wrap(payload);
        ResponseHeader header = ResponseHeader.parse(buffer, sent.key().responseHeaderVersion(sent.version()));
        if (header.correlationId() != sent.correlationId()) {
            throw new IllegalStateException(sent.key() + ": response to correlation id " + header.correlationId()
                    + ", expected " + sent.correlationId());
        }
        ApiMessage response = sent.key().messageType.newResponse();
        response.read(new ByteBufferAccessor(buffer), sent.version());
        return response;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
