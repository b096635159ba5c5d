package dev.walrus.broker.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.walrus.kafka.config.BrokerLoggers;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.TreeMap;

/**
 * logback's loggers as Kafka's BROKER_LOGGER resource shows them: every logger logback has made (each one asked for
 * and its ancestors, so {@code dev.walrus.kafka} exists once any logger below it does), root named {@code root}, with
 * its effective level. A level set here applies to the logger's next event. Kafka's FATAL, which logback does not
 * have, is logback's ERROR (log4j's FATAL is only above it).
 */
public final class LogbackLoggers implements BrokerLoggers {

    private final LoggerContext context;

    LogbackLoggers(LoggerContext context) {
        this.context = context;
    }

    /** The process's loggers when slf4j logs through logback, else {@link BrokerLoggers#NONE}. */
    public static BrokerLoggers ofProcess() {
        return LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                ? new LogbackLoggers(context) : BrokerLoggers.NONE;
    }

    @Override
    public Map<String, String> levels() {
        Map<String, String> levels = new TreeMap<>();
        for (Logger logger : context.getLoggerList()) {
            String name = logger.getName().equals(Logger.ROOT_LOGGER_NAME) ? ROOT : logger.getName();
            levels.put(name, logger.getEffectiveLevel().toString());
        }
        return levels;
    }

    @Override
    public boolean exists(String name) {
        // logback would take any spelling of "ROOT" for the root logger; Kafka knows it only as "root"
        return name.equals(ROOT) || !name.equalsIgnoreCase(Logger.ROOT_LOGGER_NAME) && context.exists(name) != null;
    }

    @Override
    public void set(String name, String level) {
        logger(name).setLevel(level.equals("FATAL") ? Level.ERROR : Level.toLevel(level));
    }

    @Override
    public void reset(String name) {
        logger(name).setLevel(null);
    }

    private Logger logger(String name) {
        return context.getLogger(name.equals(ROOT) ? Logger.ROOT_LOGGER_NAME : name);
    }
}
