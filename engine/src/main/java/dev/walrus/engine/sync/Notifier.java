package dev.walrus.engine.sync;

import dev.walrus.engine.log.AppendWaiters;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The engine thread that completes {@code awaitAppend} futures, so callbacks never run on an appender's thread. */
public final class Notifier implements AppendWaiters.Notifier, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Object stopMarker = new Object();
    private final Thread thread;

    public Notifier(String name) {
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
    }

    public void start() {
        thread.start();
    }

    @Override
    public void schedule(AppendWaiters waiters) {
        queue.add(waiters);
    }

    private void run() {
        for (;;) {
            Object next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (next == stopMarker) {
                return;
            }
            try {
                ((AppendWaiters) next).completeDue();
            } catch (RuntimeException e) {
                LOG.error("an awaitAppend callback failed", e);
            }
        }
    }

    @Override
    public void close() {
        queue.add(stopMarker);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
