package dev.walrus.broker;

import org.apache.kafka.common.Uuid;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the start's heaviest static initialisers on a background thread, in the order the main thread will need them,
 * so that they overlap with what the main thread does meanwhile (on a machine with a spare core):
 * <ol>
 *   <li>Kafka's broker config definitions ({@code ConfigDef} with its validators), which checking the configuration
 *       needs first: 30-40 ms of a fresh JVM here;</li>
 *   <li>the engine's system calls, linked through FFM by the static initialisers of its native-call classes: 15-40 ms,
 *       needed when recovery reaches its first segment file;</li>
 *   <li>kafka-clients' request, response and error tables, which load every request and exception class: otherwise
 *       the first request of the broker's life pays for them (about 100 ms here);</li>
 *   <li>the JDK's {@code SecureRandom}, behind every random UUID (topic IDs, group member IDs): its first use reads
 *       the security configuration and seeds itself, 11-14 ms here even with the start-up cache, which the first
 *       CreateTopics after a restart otherwise paid while its client waited.</li>
 * </ol>
 * Purely an optimisation: a failure here changes nothing, the class is then initialised when first used. A thread that
 * needs a class this one is initialising waits for it, which is safe as long as no class in the list, while being
 * initialised, needs a class that the main thread is initialising at that moment. Netty's classes stay out of the list
 * for that reason: the listener's thread initialises them at the same moment and they refer to each other.
 */
final class StartWarmUp {

    private static final List<String> CLASSES = List.of(
            "dev.walrus.kafka.config.BrokerConfigs",
            "dev.walrus.engine.alloc.DataSeeker",
            "dev.walrus.engine.alloc.PositionalWriter",
            "dev.walrus.engine.sync.RoundSignal",
            "org.apache.kafka.common.protocol.ApiKeys",
            "org.apache.kafka.common.protocol.Errors",
            "org.apache.kafka.common.requests.RequestHeader",
            "org.apache.kafka.common.requests.AbstractRequest",
            "org.apache.kafka.common.requests.AbstractResponse",
            "org.apache.kafka.common.record.internal.MemoryRecords");

    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private StartWarmUp() {}

    /** Starts the warm-up once per JVM: the process's main calls it first thing, an embedded start when it begins. */
    static void startInBackground() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        // slf4j first, on this thread, before any thread of ours can log: a thread that asks for a logger while
        // another one is initialising slf4j gets a stand-in whose calls are replayed later with an SLF4J(W) warning
        // on the console (Netty's start on the bind thread did, when a loaded machine made the initialisation slow).
        LoggerFactory.getILoggerFactory();
        Thread thread = new Thread(StartWarmUp::run, "walrus-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run() {
        ClassLoader loader = StartWarmUp.class.getClassLoader();
        for (String name : CLASSES) {
            try {
                Class.forName(name, true, loader);
            } catch (ReflectiveOperationException | LinkageError ignored) {
                // the class will be initialised when first used instead
            }
        }
        try {
            Uuid.randomUuid();
        } catch (RuntimeException | LinkageError ignored) {
            // the first topic created pays for it instead
        }
    }
}
