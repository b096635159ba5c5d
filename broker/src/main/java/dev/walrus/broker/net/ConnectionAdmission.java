package dev.walrus.broker.net;

import dev.walrus.kafka.quota.ConnectionQuotas;
import io.netty.channel.socket.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Lets new connections in as Kafka's acceptors do ({@link ConnectionQuotas} decides each): one listener's connections
 * in the order they came, one at a time. While the first in line waits (out a connection creation rate delay, or for
 * a free place at {@code max.connections}) the listener lets no other in: they wait unread behind it, as connections
 * wait in the accept backlog of a Kafka acceptor that is blocked. Each listener has its own line.
 *
 * <p>Threading: any thread; decisions are made under this object's lock, and what they lead to (serving, closing,
 * a timer) runs outside it.
 */
final class ConnectionAdmission {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionAdmission.class);

    private final RequestHandler handler;
    /** Serves an admitted connection: builds its pipeline and starts reading. */
    private final BiConsumer<SocketChannel, Listener> serve;
    private final Map<String, Line> lines = new HashMap<>();

    ConnectionAdmission(RequestHandler handler, BiConsumer<SocketChannel, Listener> serve) {
        this.handler = handler;
        this.serve = serve;
    }

    /** One listener's connections not let in yet, oldest first. Guarded by the admission's lock. */
    private static final class Line {
        final Listener listener;
        final ArrayDeque<SocketChannel> waiting = new ArrayDeque<>();
        /** The first in line is in the creation rates already (asked before, and told to wait). */
        boolean firstRecorded;
        /** The first in line waits on a timer (a rate delay), not for a release. */
        boolean firstDelayed;

        Line(Listener listener) {
            this.listener = listener;
        }
    }

    /** A new connection, not read yet: it joins its listener's line and is let in when its turn is decided. */
    void arrived(SocketChannel channel, Listener listener) {
        List<Runnable> then;
        synchronized (this) {
            Line line = lines.computeIfAbsent(listener.name(), n -> new Line(listener));
            line.waiting.add(channel);
            then = decide(line);
        }
        then.forEach(Runnable::run);
    }

    /** An admitted connection closed: the lines waiting for a free place are decided again. */
    private void released(String listener, InetAddress address) {
        List<Runnable> then = new ArrayList<>();
        synchronized (this) {
            handler.connectionReleased(listener, address);
            for (Line line : lines.values()) {
                if (!line.firstDelayed) {
                    then.addAll(decide(line));
                }
            }
        }
        then.forEach(Runnable::run);
    }

    /** A rate delay is over: the first in line is decided again. */
    private void delayOver(Line line) {
        List<Runnable> then;
        synchronized (this) {
            line.firstDelayed = false;
            then = decide(line);
        }
        then.forEach(Runnable::run);
    }

    /** Decides the line's connections in order until one has to wait; what follows from each, to run unlocked. */
    private List<Runnable> decide(Line line) {
        List<Runnable> then = new ArrayList<>();
        while (!line.firstDelayed && !line.waiting.isEmpty()) {
            SocketChannel channel = line.waiting.peek();
            if (!channel.isActive()) {
                line.waiting.poll(); // its client gave up waiting
                line.firstRecorded = false;
                continue;
            }
            InetAddress address = channel.remoteAddress().getAddress();
            ConnectionQuotas.Admission admission = handler.admitConnection(line.listener.name(), address, line.firstRecorded);
            switch (admission) {
                case ConnectionQuotas.Admission.Delayed delayed -> {
                    line.firstRecorded = true;
                    line.firstDelayed = true;
                    LOG.debug("Delaying connections on {} for {} ms: max.connection.creation.rate reached",
                            line.listener.name(), delayed.delayMs());
                    then.add(() -> channel.eventLoop().schedule(() -> delayOver(line), delayed.delayMs(),
                            TimeUnit.MILLISECONDS));
                    return then;
                }
                case ConnectionQuotas.Admission.AtCapacity full -> {
                    line.firstRecorded = true;
                    LOG.debug("Holding connections on {}: max.connections ({}) reached", line.listener.name(), full.max());
                    return then; // asked again when a connection closes
                }
                case ConnectionQuotas.Admission.Admitted admitted -> then.add(() -> {
                    channel.closeFuture().addListener(closed -> released(line.listener.name(), address));
                    if (channel.eventLoop().inEventLoop()) {
                        serve.accept(channel, line.listener); // the common case: at once, within initChannel
                    } else {
                        channel.eventLoop().execute(() -> serve.accept(channel, line.listener));
                    }
                });
                case ConnectionQuotas.Admission.Refused refused -> then.add(() -> {
                    LOG.info("Rejected connection from {}, address already has the configured maximum of {} connections.",
                            address, refused.max());
                    channel.close();
                });
                case ConnectionQuotas.Admission.Throttled throttled -> then.add(() -> {
                    LOG.debug("Throttling connection from {} for {} ms (connection_creation_rate), then closing it",
                            address, throttled.closeAfterMs());
                    channel.eventLoop().schedule(() -> channel.close(), throttled.closeAfterMs(), TimeUnit.MILLISECONDS);
                });
            }
            line.waiting.poll();
            line.firstRecorded = false;
        }
        return then;
    }
}
