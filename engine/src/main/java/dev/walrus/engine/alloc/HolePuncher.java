package dev.walrus.engine.alloc;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a range of a segment file back to the file system as a hole, with {@code fallocate(PUNCH_HOLE)} (FFM).
 *
 * <p>Why: the preparer zero-writes pages ahead of the allocation point (see {@link BlockAllocator}), and what no block
 * reached by the time the engine closes would stay behind as zeros on disk. The next start would then read them page by
 * page, since to {@code lseek(SEEK_DATA)} written zeros are data (see {@link DataSeeker}), and the directory would grow
 * by that window at every restart. Punched, the range is a hole again: skipped at start, no disk used. Best effort: where
 * the call is missing or fails, the zeros stay, which is correct, only slower to recover.
 */
final class HolePuncher {

    private static final Logger LOG = LoggerFactory.getLogger(HolePuncher.class);
    private static final int FALLOC_FL_KEEP_SIZE = 1;
    private static final int FALLOC_FL_PUNCH_HOLE = 2;
    private static final MethodHandle FALLOCATE = !NativeCalls.descriptorsAvailable() ? null : NativeCalls.downcall(
            "fallocate", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));

    private HolePuncher() {}

    /** Makes {@code [offset, offset + length)} of {@code path} a hole; the file keeps its size. */
    static void punch(Path path, long offset, long length) {
        if (FALLOCATE == null || length <= 0) {
            return;
        }
        int fd;
        try {
            fd = NativeCalls.open(path, NativeCalls.O_WRONLY);
        } catch (IOException e) {
            LOG.debug("cannot open {} to punch a hole", path, e);
            return;
        }
        try {
            int result = (int) FALLOCATE.invokeExact(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length);
            if (result != 0) {
                LOG.debug("fallocate(PUNCH_HOLE) on {} at {} failed", path, offset);
            }
        } catch (Throwable e) {
            LOG.debug("fallocate(PUNCH_HOLE) on {} failed", path, e);
        } finally {
            NativeCalls.close(fd, path);
        }
    }
}
