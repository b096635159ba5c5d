package dev.walrus.broker.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;

/** The broker's log line, as slf4j-simple printed it with the settings the broker had. */
class LogLineEncoderTest {

    @Test
    void timestampsShouldMatchTheFormerDateFormatInEveryZone() {
        long[] instants = {0L, 1_796_645_876_086L, -86_400_001L, 1_711_846_799_999L, 1_711_846_800_000L};
        for (String zone : new String[] {"UTC", "Asia/Kolkata", "America/St_Johns", "Europe/Paris", "Pacific/Chatham"}) {
            TimeZone timeZone = TimeZone.getTimeZone(zone);
            SimpleDateFormat former = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
            former.setTimeZone(timeZone);
            for (long instant : instants) {
                StringBuilder line = new StringBuilder();
                LogLineEncoder.appendTime(line, instant, timeZone);
                assertThat(line.toString()).as(zone + " at " + instant).isEqualTo(former.format(new Date(instant)));
            }
        }
    }

    @Test
    void aLineShouldHaveTimeThreadLevelShortNameAndMessage() {
        LoggerContext context = new LoggerContext();
        Logger logger = context.getLogger("dev.walrus.kafka.metadata.TopicRegistry");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, "Cluster {}: {} topics", null,
                new Object[] {"abc", 3});
        event.setThreadName("main");

        String line = new String(new LogLineEncoder(StandardCharsets.UTF_8).encode(event), StandardCharsets.UTF_8);

        assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) "
                + "\\[main] \\[WARN] TopicRegistry - Cluster abc: 3 topics" + System.lineSeparator());
    }

    @Test
    void anExceptionsStackTraceShouldFollowAsTheJdkPrintsIt() {
        LoggerContext context = new LoggerContext();
        Logger logger = context.getLogger("dev.walrus.broker.Broker");
        IllegalStateException failure = new IllegalStateException("disk gone", new java.io.IOException("EIO"));
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.ERROR, "Failed", failure, null);
        event.setThreadName("main");

        String text = new String(new LogLineEncoder(StandardCharsets.UTF_8).encode(event), StandardCharsets.UTF_8);

        java.io.StringWriter trace = new java.io.StringWriter();
        failure.printStackTrace(new java.io.PrintWriter(trace));
        assertThat(text).endsWith("[main] [ERROR] Broker - Failed" + System.lineSeparator() + trace);
        assertThat(text).contains("java.lang.IllegalStateException: disk gone", "Caused by: java.io.IOException: EIO");
    }
}
