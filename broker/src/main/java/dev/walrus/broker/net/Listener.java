package dev.walrus.broker.net;

import java.net.InetSocketAddress;

/**
 * One listener to bind: its name (handed to the adapter with each request), its address and its security.
 *
 * @param bindAddress where to listen; port 0 picks a free port
 */
public record Listener(String name, InetSocketAddress bindAddress, ListenerSecurity security) {

    /** A PLAINTEXT listener on the loopback address (tests). */
    public static Listener plaintextLoopback(int port) {
        return new Listener("PLAINTEXT", new InetSocketAddress("127.0.0.1", port), ListenerSecurity.PLAINTEXT);
    }
}
