package dev.vpnrouter.net;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Attaches a classic BPF program to a socket's {@code SO_REUSEPORT} group ({@code SO_ATTACH_REUSEPORT_CBPF}, no
 * privilege needed): the kernel runs it on each datagram's UDP payload and delivers to the group's socket whose
 * index (order of bind) it returns. A load past the payload's end ends the program with 0. The program is the
 * group's, whichever member attaches it.
 */
final class ReuseportSteering {
    private ReuseportSteering() {
    }

    /**
     * {@code program}: {@code struct sock_filter} rows (code, jt, jf, k). Call after bind: a program attached
     * before joins a group of its own, which bind then discards.
     */
    static void attach(int fd, int[][] program) throws ErrnoException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment filter = call.allocate(8L * program.length, 8);
            for (int i = 0; i < program.length; i++) {
                filter.set(ValueLayout.JAVA_SHORT, 8L * i, (short) program[i][0]);
                filter.set(ValueLayout.JAVA_BYTE, 8L * i + 2, (byte) program[i][1]);
                filter.set(ValueLayout.JAVA_BYTE, 8L * i + 3, (byte) program[i][2]);
                filter.set(ValueLayout.JAVA_INT, 8L * i + 4, program[i][3]);
            }
            MemorySegment fprog = call.allocate(16, 8); // struct sock_fprog { u16 len; struct sock_filter *filter }
            fprog.set(ValueLayout.JAVA_SHORT, 0, (short) program.length);
            fprog.set(ValueLayout.ADDRESS, 8, filter);
            Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_ATTACH_REUSEPORT_CBPF, fprog, 16,
                    "SO_ATTACH_REUSEPORT_CBPF");
        }
    }
}
