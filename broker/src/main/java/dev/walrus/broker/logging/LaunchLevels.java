package dev.walrus.broker.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;

import java.util.Properties;

/**
 * The levels the process starts with: INFO, the libraries (Netty, Kafka's clients code) at WARN, then what system
 * properties say: {@code walrus.log.level} for the root, {@code walrus.log.level.LOGGER} for one logger and the
 * loggers below it (trace, debug, info, warn, error or off, in any case). The slf4j-simple keys of earlier releases
 * ({@code org.slf4j.simpleLogger.defaultLogLevel}, {@code org.slf4j.simpleLogger.log.LOGGER}) still work; the
 * {@code walrus.log.level} keys win over them. A value that names no level is ignored.
 */
final class LaunchLevels {

    static final String ROOT_KEY = "walrus.log.level";
    static final String LOGGER_PREFIX = "walrus.log.level.";
    private static final String OLD_ROOT_KEY = "org.slf4j.simpleLogger.defaultLogLevel";
    private static final String OLD_LOGGER_PREFIX = "org.slf4j.simpleLogger.log.";

    private LaunchLevels() {}

    static void apply(LoggerContext context, Properties properties) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        // Libraries speak only when something is wrong.
        context.getLogger("io.netty").setLevel(Level.WARN);
        context.getLogger("org.apache.kafka").setLevel(Level.WARN);
        applyKeys(context, properties, OLD_ROOT_KEY, OLD_LOGGER_PREFIX);
        applyKeys(context, properties, ROOT_KEY, LOGGER_PREFIX);
    }

    private static void applyKeys(LoggerContext context, Properties properties, String rootKey, String loggerPrefix) {
        Level rootLevel = level(properties.getProperty(rootKey));
        if (rootLevel != null) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(rootLevel);
        }
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(loggerPrefix) && key.length() > loggerPrefix.length()) {
                Level level = level(properties.getProperty(key));
                if (level != null) {
                    context.getLogger(key.substring(loggerPrefix.length())).setLevel(level);
                }
            }
        }
    }

    /** The level a value names, or null. */
    private static Level level(String value) {
        return value == null ? null : switch (value.trim().toUpperCase(java.util.Locale.ROOT)) {
            case "TRACE" -> Level.TRACE;
            case "DEBUG" -> Level.DEBUG;
            case "INFO" -> Level.INFO;
            case "WARN" -> Level.WARN;
            case "ERROR" -> Level.ERROR;
            case "OFF" -> Level.OFF;
            default -> null;
        };
    }
}
