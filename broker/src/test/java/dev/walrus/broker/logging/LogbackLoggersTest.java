package dev.walrus.broker.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** logback's loggers as the BROKER_LOGGER resource sees and changes them, and the levels the process starts with. */
class LogbackLoggersTest {

    private final LoggerContext context = new LoggerContext();
    private final LogbackLoggers loggers = new LogbackLoggers(context);

    @Test
    void shouldListEveryLoggerAndItsAncestorsWithTheirEffectiveLevelsAndRootAsKafkaNamesIt() {
        LaunchLevels.apply(context, new Properties());
        context.getLogger("dev.walrus.kafka.handlers.FetchHandler");
        context.getLogger("io.netty.channel.DefaultChannelPipeline");

        assertThat(loggers.levels())
                .containsEntry("root", "INFO")
                .containsEntry("dev.walrus.kafka", "INFO")
                .containsEntry("dev.walrus.kafka.handlers.FetchHandler", "INFO")
                .containsEntry("io.netty", "WARN")
                .containsEntry("io.netty.channel.DefaultChannelPipeline", "WARN")
                .containsEntry("org.apache.kafka", "WARN")
                .doesNotContainKey("ROOT");
        assertThat(loggers.exists("dev.walrus.kafka")).isTrue();
        assertThat(loggers.exists("root")).isTrue();
        assertThat(loggers.exists("ROOT")).as("logback's own name for root").isFalse();
        assertThat(loggers.exists("dev.walrus.nothing")).isFalse();
    }

    @Test
    void aLevelSetShouldApplyToTheLoggerAndThoseBelowItAtOnceAndResetToTheParents() {
        LaunchLevels.apply(context, new Properties());
        Logger handler = context.getLogger("dev.walrus.kafka.handlers.FetchHandler");
        assertThat(handler.isDebugEnabled()).isFalse();

        loggers.set("dev.walrus.kafka", "DEBUG");

        assertThat(handler.isDebugEnabled()).isTrue();
        assertThat(loggers.levels()).containsEntry("dev.walrus.kafka.handlers.FetchHandler", "DEBUG");

        loggers.reset("dev.walrus.kafka");

        assertThat(handler.isDebugEnabled()).isFalse();
        assertThat(loggers.levels()).containsEntry("dev.walrus.kafka", "INFO");
    }

    @Test
    void rootFatalAndOffShouldMapOntoLogbacksLevels() {
        loggers.set("root", "WARN");
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.WARN);

        loggers.set("root", "FATAL");   // logback has no FATAL: ERROR is the nearest, what log4j's FATAL lets through
        assertThat(loggers.levels()).containsEntry("root", "ERROR");
    }

    @Test
    void launchLevelsShouldTakeTheWalrusKeysOverTheFormerSlf4jSimpleOnes() {
        Properties properties = new Properties();
        properties.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        properties.setProperty("org.slf4j.simpleLogger.log.dev.walrus.engine", "debug");
        properties.setProperty("org.slf4j.simpleLogger.log.dev.walrus.broker", "trace");
        properties.setProperty("walrus.log.level.dev.walrus.broker", "ERROR");
        properties.setProperty("walrus.log.level.io.netty", "info");
        properties.setProperty("walrus.log.level.dev.walrus.kafka", "loud");   // no level: ignored

        LaunchLevels.apply(context, properties);

        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("dev.walrus.engine").getLevel()).isEqualTo(Level.DEBUG);
        assertThat(context.getLogger("dev.walrus.broker").getLevel()).isEqualTo(Level.ERROR);
        assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("dev.walrus.kafka").getLevel()).isNull();

        properties.setProperty("walrus.log.level", "off");
        LaunchLevels.apply(context, properties);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.OFF);
    }
}
