package dev.walrus.kafka.config;

import java.util.Map;

/**
 * The process's loggers and their levels, as Kafka's BROKER_LOGGER config resource (KIP-412) shows and changes them.
 * The broker implements it over its logging backend and hands it to the adapter, which stays free of any backend.
 *
 * <p>Names are logger names; the root logger is {@value #ROOT} (Kafka kept log4j 1's name). Levels are Kafka's names
 * ({@code org.apache.kafka.common.config.LogLevelConfig}: TRACE, DEBUG, INFO, WARN, ERROR, FATAL). Changes last until
 * the process exits: Kafka does not keep them across a restart either.
 */
public interface BrokerLoggers {

    /** The root logger's name in Kafka's BROKER_LOGGER resource. */
    String ROOT = "root";

    /** Every logger the process knows, root included, with the level it logs at (its own, else the inherited one). */
    Map<String, String> levels();

    /** Whether a logger of this name exists (root always does, when there is a backend). */
    default boolean exists(String name) {
        return levels().containsKey(name);
    }

    /** Gives the logger its own level, at once; the name exists and the level is one of Kafka's. */
    void set(String name, String level);

    /** Removes the logger's own level: it logs at its nearest ancestor's again. Never called for the root. */
    void reset(String name);

    /** No logging backend to control (an embedding application's own): no logger listed, none can change. */
    BrokerLoggers NONE = new BrokerLoggers() {
        @Override
        public Map<String, String> levels() {
            return Map.of();
        }

        @Override
        public void set(String name, String level) {
            throw new IllegalStateException("no logger can change");
        }

        @Override
        public void reset(String name) {
            throw new IllegalStateException("no logger can change");
        }
    };
}
