package dev.walrus.broker.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * logback's configuration for the whole process, in code: logback finds this class as a service
 * ({@code META-INF/services/ch.qos.logback.classic.spi.Configurator}) when slf4j is first used, and looks for no
 * configuration file after it. Standard output, one {@link LogLineEncoder} line per event, the levels of
 * {@link LaunchLevels}.
 *
 * <p>An application that embeds the broker and configures logback itself (a {@code logback-test.xml} or
 * {@code logback.xml} on its class path, or {@code -Dlogback.configurationFile}) keeps its configuration: this one
 * then steps aside and logback goes on to read that file.
 */
public final class LogbackSetup extends ContextAwareBase implements Configurator {

    static final String CONFIGURATION_FILE_PROPERTY = "logback.configurationFile";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (applicationConfigured()) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        LogLineEncoder encoder = new LogLineEncoder(System.out.charset());
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();   // System.out, read at each write
        console.setContext(context);
        console.setName("console");
        console.setEncoder(encoder);
        console.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(console);
        LaunchLevels.apply(context, System.getProperties());
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static boolean applicationConfigured() {
        ClassLoader loader = LogbackSetup.class.getClassLoader();
        return System.getProperty(CONFIGURATION_FILE_PROPERTY) != null || loader.getResource("logback-test.xml") != null
                || loader.getResource("logback.xml") != null;
    }
}
