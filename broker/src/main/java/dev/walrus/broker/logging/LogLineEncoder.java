package dev.walrus.broker.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.Charset;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.TimeZone;

/**
 * One log line per event, in the broker's format since its first release:
 * {@code 2026-12-07T12:17:56.086Z [main] [INFO] Recovery - recovered 0 topics}: the local time to the millisecond with
 * its UTC offset ({@code Z} for none), the thread, the level, the logger's last name, the message; an exception's
 * stack trace follows as the JDK prints it. Written here rather than as a logback pattern: the pattern's parser and
 * converters would be loaded and built at every start for one fixed format.
 */
public final class LogLineEncoder extends EncoderBase<ILoggingEvent> {

    private final Charset charset;

    public LogLineEncoder(Charset charset) {
        this.charset = charset;
    }

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128);
        appendTime(line, event.getTimeStamp(), TimeZone.getDefault());
        line.append(" [").append(event.getThreadName()).append("] [").append(event.getLevel()).append("] ");
        String logger = event.getLoggerName();
        line.append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(" - ").append(event.getFormattedMessage())
                .append(System.lineSeparator());
        appendThrowable(line, event.getThrowableProxy());
        return line.toString().getBytes(charset);
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    /** {@code yyyy-MM-dd'T'HH:mm:ss.SSSXXX} in {@code zone} (the JVM's, read at each line as slf4j-simple did). */
    static void appendTime(StringBuilder line, long epochMillis, TimeZone zone) {
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(zone.getOffset(epochMillis) / 1000);
        LocalDateTime time = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000),
                (int) Math.floorMod(epochMillis, 1000) * 1_000_000, offset);
        line.append(time.getYear()).append('-');
        twoDigits(line, time.getMonthValue()).append('-');
        twoDigits(line, time.getDayOfMonth()).append('T');
        twoDigits(line, time.getHour()).append(':');
        twoDigits(line, time.getMinute()).append(':');
        twoDigits(line, time.getSecond()).append('.');
        int millis = time.getNano() / 1_000_000;
        line.append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10)).append((char) ('0' + millis % 10));
        line.append(offset.getId());
    }

    private static StringBuilder twoDigits(StringBuilder line, int value) {
        return line.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    private static void appendThrowable(StringBuilder line, IThrowableProxy proxy) {
        if (proxy == null) {
            return;
        }
        if (proxy instanceof ThrowableProxy real) {
            StringWriter trace = new StringWriter();
            real.getThrowable().printStackTrace(new PrintWriter(trace));
            line.append(trace);
        } else {
            line.append(ThrowableProxyUtil.asString(proxy)).append(System.lineSeparator());
        }
    }
}
