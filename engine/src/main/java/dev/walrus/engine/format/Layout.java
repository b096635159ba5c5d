package dev.walrus.engine.format;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Byte order and value layouts shared by every on-disk structure: everything is little-endian, unaligned access. */
public final class Layout {

    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    public static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ORDER);
    public static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ORDER);
    public static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ORDER);

    /** Page size: file header region and block alignment; also the sparse read-index granularity. */
    public static final int PAGE = 4096;

    private Layout() {}

    public static long alignUp(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }
}
