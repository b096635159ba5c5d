package dev.walrus.engine.alloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The system calls behind the engine's native paths, through the one linked {@code syscall(2)}: each number reaches
 * the call it names (a wrong number would fail with another errno or act on something else), and errors come back
 * as -1 with the errno the kernel gave.
 */
class NativeCallsTest {

    private static final int EBADF = 9;
    private static final int EAGAIN = 11;
    private static final int ENOENT = 2;

    @TempDir
    Path dir;

    @Test
    void shouldBeAvailableOnThisLinuxMachine() {
        assertThat(NativeCalls.available()).isTrue();
        assertThat(NativeCalls.Sys.here()).isNotNull();
    }

    @Test
    void shouldOpenWriteSeekAndCloseAFile() throws Exception {
        Path file = dir.resolve("f.dat");
        Files.write(file, new byte[0]);
        int fd = NativeCalls.open(file, NativeCalls.O_WRONLY);
        MemorySegment state = NativeCalls.newCallState();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocateFrom("walrus");
            long written = NativeCalls.call(state, NativeCalls.Sys.here().pwrite(), fd, data.address(), 6, 8192, 0);
            assertThat(written).isEqualTo(6);
        }
        assertThat(NativeCalls.call(state, NativeCalls.Sys.here().close(), fd, 0, 0, 0, 0)).isZero();
        assertThat(NativeCalls.call(state, NativeCalls.Sys.here().close(), fd, 0, 0, 0, 0))
                .as("closing the same descriptor again").isEqualTo(-1);
        assertThat(NativeCalls.errno(state)).isEqualTo(EBADF);

        byte[] content = Files.readAllBytes(file);
        assertThat(content).hasSize(8192 + 6);
        assertThat(new String(content, 8192, 6, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("walrus");
        try (DataSeeker seeker = DataSeeker.open(file)) {
            assertThat(seeker.nextData(8192)).isLessThanOrEqualTo(8192).isNotNegative();
        }
    }

    @Test
    void shouldReportAMissingFileWithItsErrno() {
        assertThatThrownBy(() -> NativeCalls.open(dir.resolve("missing"), NativeCalls.O_RDONLY))
                .isInstanceOf(IOException.class).hasMessageContaining("errno " + ENOENT);
    }

    @Test
    void shouldWakeAndRefuseFutexWaitsAsTheKernelDoes() {
        MemorySegment state = NativeCalls.newCallState();
        MemorySegment word = Arena.ofAuto().allocate(ValueLayout.JAVA_INT);
        word.set(ValueLayout.JAVA_INT, 0, 7);
        long futexWaitPrivate = 128;
        long futexWakePrivate = 1 | 128;
        assertThat(NativeCalls.call(state, NativeCalls.Sys.here().futex(), word.address(), futexWaitPrivate, 6, 0, 0))
                .as("a wait whose expected value is stale returns at once").isEqualTo(-1);
        assertThat(NativeCalls.errno(state)).isEqualTo(EAGAIN);
        assertThat(NativeCalls.call(state, NativeCalls.Sys.here().futex(), word.address(), futexWakePrivate, 1, 0, 0))
                .as("no waiter to wake").isZero();
    }
}
