package dev.walrus.broker.net;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's view of all its connections: their ids, the channels to close at shutdown, the requests in flight
 * across them, and whether the server is draining (no connection reads any more).
 */
final class Connections {

    private final AtomicLong nextId = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ChannelGroup channels = new DefaultChannelGroup("walrus-connections", GlobalEventExecutor.INSTANCE);
    private volatile boolean draining;

    long nextId() {
        return nextId.incrementAndGet();
    }

    void add(Channel channel) {
        channels.add(channel);
    }

    ChannelGroup channels() {
        return channels;
    }

    void requestStarted() {
        inFlight.incrementAndGet();
    }

    void requestsEnded(int count) {
        inFlight.addAndGet(-count);
    }

    int inFlight() {
        return inFlight.get();
    }

    boolean draining() {
        return draining;
    }

    /** From now on no connection reads; each one's event loop stops reading as soon as it can. */
    void startDraining() {
        draining = true;
        for (Channel channel : channels) {
            channel.eventLoop().execute(() -> channel.config().setAutoRead(false));
        }
    }
}
