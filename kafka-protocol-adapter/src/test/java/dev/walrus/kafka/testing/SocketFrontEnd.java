package dev.walrus.kafka.testing;

import dev.walrus.kafka.KafkaAdapter;
import dev.walrus.kafka.RequestContext;
import dev.walrus.kafka.ResponseFrame;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test-only blocking socket loop in front of the adapter, one thread per connection, one request at a time, so real
 * Kafka clients can talk to the adapter in its own module's tests. The product's network layer is the broker module.
 */
public final class SocketFrontEnd implements AutoCloseable {

    private final ServerSocket server;
    private final AtomicLong connections = new AtomicLong();
    private volatile KafkaAdapter adapter;

    /** Binds an ephemeral port (so the adapter can advertise it); {@link #serve} starts accepting. */
    public SocketFrontEnd() throws IOException {
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
    }

    public void serve(KafkaAdapter adapter) {
        this.adapter = adapter;
        Thread.ofPlatform().daemon().name("test-acceptor").start(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    public String bootstrap() {
        return "127.0.0.1:" + port();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                long id = connections.incrementAndGet();
                Thread.ofPlatform().daemon().name("test-conn-" + id).start(() -> serve(socket, id));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket, long id) {
        RequestContext context = new RequestContext(id, (InetSocketAddress) socket.getRemoteSocketAddress(), "PLAINTEXT");
        try (socket) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                int size = in.readInt();
                byte[] frame = new byte[size];
                in.readFully(frame);
                ResponseFrame response = adapter.handle(context, ByteBuffer.wrap(frame)).get(60, TimeUnit.SECONDS);
                switch (response) {
                    case ResponseFrame.Send send -> {
                        try {
                            for (ByteBuffer b : send.buffers()) {
                                ByteBuffer d = b.duplicate();
                                byte[] bytes = new byte[d.remaining()];
                                d.get(bytes);
                                out.write(bytes);
                            }
                            out.flush();
                        } finally {
                            send.release().run();
                        }
                    }
                    case ResponseFrame.NoResponse none -> { }
                    case ResponseFrame.Close close -> {
                        return;
                    }
                }
            }
        } catch (Exception e) {
            // Connection gone.
        } finally {
            adapter.connectionClosed(id);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
