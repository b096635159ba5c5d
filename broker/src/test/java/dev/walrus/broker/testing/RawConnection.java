package dev.walrus.broker.testing;

import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A plain blocking socket that speaks Kafka frames: for sending what no real client would (oversized, negative,
 * truncated, garbage frames) and for pipelining requests built with kafka-clients' own request classes.
 */
public final class RawConnection implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static RawConnection open(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, 5_000);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        return new RawConnection(socket);
    }

    public static RawConnection open(String hostPort) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        return open(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))));
    }

    /** Sends {@code payload} with a correct size prefix. */
    public void sendFrame(byte[] payload) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload);
        out.write(frame.array());
        out.flush();
    }

    /** Sends raw bytes as they are (a lying size prefix, half a frame, ...). */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Serializes a request with kafka-clients' classes and sends it; returns the header for parsing the answer. */
    public RequestHeader send(AbstractRequest request, int correlationId) throws IOException {
        RequestHeader header = new RequestHeader(request.apiKey(), request.version(), "raw-connection", correlationId);
        ByteBuffer body = request.serializeWithHeader(header);
        byte[] bytes = new byte[body.remaining()];
        body.get(bytes);
        sendFrame(bytes);
        return header;
    }

    /** Reads one response frame (without its size prefix). */
    public byte[] readFrame() throws IOException {
        int size = in.readInt();
        byte[] payload = new byte[size];
        in.readFully(payload);
        return payload;
    }

    /** Reads one response and parses it for {@code header} (kafka-clients checks the correlation id). */
    public AbstractResponse readResponse(RequestHeader header) throws IOException {
        return AbstractResponse.parseResponse(ByteBuffer.wrap(readFrame()), header);
    }

    /** The correlation id of a response frame: its first four bytes. */
    public static int correlationIdOf(byte[] responseFrame) {
        return ByteBuffer.wrap(responseFrame).getInt(0);
    }

    /** True if the broker closes this connection within {@code timeout} without sending anything more. */
    public boolean closedByPeerWithin(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            int next = in.read();
            return next == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset by the broker
        } catch (EOFException e) {
            return true;
        } finally {
            socket.setSoTimeout(10_000);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
