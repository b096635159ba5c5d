package dev.walrus.engine.alloc;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps pages of a shared file mapping writable ahead of the writers, with {@code madvise(MADV_POPULATE_WRITE)}
 * (Linux 5.14+), called through the FFM linker.
 *
 * <p>Why: the first store by a writer into each 4 KiB page of a {@code MAP_SHARED} mapping takes a page fault (for a
 * hole of a sparse file the kernel also allocates and zeroes the page and, on ext4, reserves the disk block). With
 * 1 KiB entries that is one fault every four appends, and measured it is most of the append's cost. The populate call
 * does exactly the work of those faults, for many pages in one call, on another thread, without changing a byte of
 * the file: so it is safe on a range a writer is writing at the same moment.
 *
 * <p>Where the call is not available (another OS, an older kernel, native access denied) {@link #available()} is
 * false and writers zero-fill ahead themselves, as before.
 */
public final class PagePopulator {

    private static final Logger LOG = LoggerFactory.getLogger(PagePopulator.class);
    private static final int MADV_POPULATE_WRITE = 23;
    private static final MethodHandle MADVISE = lookup();

    private PagePopulator() {}

    private static MethodHandle lookup() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")
                || Boolean.getBoolean("walrus.populate.disabled")) {
            return null;
        }
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle h = linker.defaultLookup().find("madvise").map(address -> linker.downcallHandle(address,
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_INT))).orElse(null);
            if (h != null && !probe(h)) {
                return null;
            }
            return h;
        } catch (Throwable e) { // IllegalCallerException (native access denied), UnsupportedOperationException, ...
            LOG.debug("madvise(MADV_POPULATE_WRITE) unavailable; writers zero-fill ahead", e);
            return null;
        }
    }

    /** Old kernels reject the advice with EINVAL: try it once on a page of anonymous memory. */
    private static boolean probe(MethodHandle h) throws Throwable {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment page = arena.allocate(4096, 4096);
            return (int) h.invokeExact(page, 4096L, MADV_POPULATE_WRITE) == 0;
        }
    }

    public static boolean available() {
        return MADVISE != null;
    }

    /**
     * Populates {@code [offset, offset + length)} of {@code mapping} (page-aligned offsets; the mapping starts on a
     * page). False if the kernel refused (for instance a full disk: the fault would have been a SIGBUS).
     */
    static boolean populate(MemorySegment mapping, long offset, long length) {
        if (MADVISE == null) {
            return false;
        }
        try {
            return (int) MADVISE.invokeExact(mapping.asSlice(offset, length), length, MADV_POPULATE_WRITE) == 0;
        } catch (Throwable e) {
            LOG.debug("madvise(MADV_POPULATE_WRITE) failed", e);
            return false;
        }
    }
}
