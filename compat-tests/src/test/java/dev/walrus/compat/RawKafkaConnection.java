package dev.walrus.compat;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * A plain socket that speaks Kafka's framing by hand, for what no client would send: garbage, truncated and oversized
 * frames, unknown API keys, record batches with a broken CRC. Requests are still built with kafka-clients' generated
 * message classes wherever they are well-formed.
 */
public final class RawKafkaConnection implements AutoCloseable {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextCorrelationId = 1;

    private RawKafkaConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static RawKafkaConnection open(String bootstrap) {
        return open(bootstrap, null);
    }

    /**
     * As {@link #open(String)}, from the local address {@code from} (another loopback address such as 127.0.0.2 is
     * another client IP to the broker), or any if null.
     */
    public static RawKafkaConnection open(String bootstrap, String from) {
        int colon = bootstrap.lastIndexOf(':');
        try {
            Socket socket = new Socket();
            if (from != null) {
                socket.bind(new InetSocketAddress(from, 0));
            }
            socket.connect(new InetSocketAddress(bootstrap.substring(0, colon), Integer.parseInt(bootstrap.substring(colon + 1))),
                10_000);
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            socket.setTcpNoDelay(true);
            return new RawKafkaConnection(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("could not connect to " + bootstrap, e);
        }
    }

    /** Writes exactly these bytes (no length prefix is added). */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Writes a 4-byte big-endian length and then {@code payload}. */
    public void sendFrame(byte[] payload) throws IOException {
        sendRaw(ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array());
    }

    /** The frame payload of a request: header (at the header version the API key and version call for), then body. */
    public RequestHeader header(ApiKeys apiKey, short version) {
        return header(apiKey, version, "compat-raw");
    }

    /** As {@link #header(ApiKeys, short)}, naming the client (what client quotas match). */
    public RequestHeader header(ApiKeys apiKey, short version, String clientId) {
        return new RequestHeader(new RequestHeaderData()
            .setRequestApiKey(apiKey.id)
            .setRequestApiVersion(version)
            .setClientId(clientId)
            .setCorrelationId(nextCorrelationId++), apiKey.requestHeaderVersion(version));
    }

    public static byte[] serialize(RequestHeader header, ApiMessage body) {
        return serialize(header, body, header.apiVersion());
    }

    /** As {@link #serialize(RequestHeader, ApiMessage)}, with the body written at {@code version} whatever the header says. */
    public static byte[] serialize(RequestHeader header, ApiMessage body, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.data().size(cache, header.headerVersion()) + body.size(cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(size);
        ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        header.data().write(accessor, cache, header.headerVersion());
        body.write(accessor, cache, version);
        return buffer.array();
    }

    /** Sends one well-formed request and parses its response with kafka-clients. */
    @SuppressWarnings("unchecked")
    public <R extends AbstractResponse> R roundTrip(ApiKeys apiKey, short version, ApiMessage body) throws IOException {
        RequestHeader header = header(apiKey, version);
        sendFrame(serialize(header, body));
        ByteBuffer response = ByteBuffer.wrap(readFrame());
        return (R) AbstractResponse.parseResponse(response, header);
    }

    /** Reads one response frame whose header must carry {@code correlationId}; returns the body bytes after the header. */
    public ByteBuffer readResponseBody(int correlationId, short responseHeaderVersion) throws IOException {
        ByteBuffer frame = ByteBuffer.wrap(readFrame());
        ResponseHeaderData header = new ResponseHeaderData(new ByteBufferAccessor(frame), responseHeaderVersion);
        if (header.correlationId() != correlationId) {
            throw new IllegalStateException("correlation id " + header.correlationId() + ", expected " + correlationId);
        }
        return frame.slice();
    }

    /** As {@link #readFrame()}, failing with {@link SocketTimeoutException} if no frame has come within {@code timeout}. */
    public byte[] readFrameWithin(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            return readFrame();
        } finally {
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        }
    }

    public byte[] readFrame() throws IOException {
        int size = in.readInt();
        byte[] frame = new byte[size];
        in.readFully(frame);
        return frame;
    }

    /**
     * True if the broker closes this connection within {@code timeout} (end of stream or reset); false if it is still
     * open then. Fails if the broker sends a response instead.
     */
    public boolean closedByBrokerWithin(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            int b = in.read();
            if (b == -1) {
                return true;
            }
            throw new AssertionError("broker sent data (first byte " + b + ") instead of closing the connection");
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException | EOFException reset) {
            return true;
        } finally {
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
