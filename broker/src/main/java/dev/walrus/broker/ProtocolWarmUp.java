package dev.walrus.broker;

import java.util.List;

/**
 * Runs kafka-clients' heaviest static initialisers (the request and response tables, which load every request class,
 * and the error table, which loads every exception class) on a background thread while the listener binds and the
 * engine recovers. Otherwise the first request of the broker's life pays for them (about 100 ms here); with a spare
 * core this overlaps with start-up instead. Purely an optimisation: a failure here changes nothing.
 *
 * <p>Netty's classes stay out of the list on purpose: the main thread initialises them at the same moment, and two
 * threads initialising classes that refer to each other can deadlock in the JVM.
 */
final class ProtocolWarmUp {

    private static final List<String> CLASSES = List.of(
            "org.apache.kafka.common.protocol.ApiKeys",
            "org.apache.kafka.common.protocol.Errors",
            "org.apache.kafka.common.requests.RequestHeader",
            "org.apache.kafka.common.requests.AbstractRequest",
            "org.apache.kafka.common.requests.AbstractResponse",
            "org.apache.kafka.common.record.MemoryRecords");

    private ProtocolWarmUp() {}

    static void startInBackground() {
        Thread thread = new Thread(ProtocolWarmUp::run, "walrus-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run() {
        ClassLoader loader = ProtocolWarmUp.class.getClassLoader();
        for (String name : CLASSES) {
            try {
                Class.forName(name, true, loader);
            } catch (ReflectiveOperationException | LinkageError ignored) {
                // the class will be initialised when first used instead
            }
        }
    }
}
