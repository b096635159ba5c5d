package dev.walrus.broker.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The process's logback setup, and its stepping aside for an embedding application's own configuration file. */
class LogbackSetupTest {

    @Test
    void shouldLogToStandardOutputInTheBrokersFormatAtTheLaunchLevels() {
        LoggerContext context = new LoggerContext();

        Configurator.ExecutionStatus status = new LogbackSetup().configure(context);

        assertThat(status).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getAppender("console")).isInstanceOfSatisfying(ConsoleAppender.class, console -> {
            assertThat(console.getTarget()).isEqualTo("System.out");
            assertThat(console.getEncoder()).isInstanceOf(LogLineEncoder.class);
        });
        assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void shouldStepAsideForAnApplicationsOwnConfigurationFile() {
        LoggerContext context = new LoggerContext();
        System.setProperty(LogbackSetup.CONFIGURATION_FILE_PROPERTY, "application-logback.xml");
        try {
            Configurator.ExecutionStatus status = new LogbackSetup().configure(context);

            assertThat(status).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
        } finally {
            System.clearProperty(LogbackSetup.CONFIGURATION_FILE_PROPERTY);
        }
    }
}
