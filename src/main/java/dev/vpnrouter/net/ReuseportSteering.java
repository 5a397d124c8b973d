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
     * Port 500's steered pair: {@code ld [8]; jeq #0, next, proven; ld [12]; jeq #0, first, proven; first: ret #0;
     * proven: ret #1} as {@code struct sock_filter} (code, jt, jf, k). A zero responder cookie (ISAKMP header bytes
     * 8..15), which is all a sender who never heard from us can put there, goes to socket 0; a datagram shorter
     * than a header aborts the program with 0 too. Any other cookie goes to socket 1.
     */
    static final int[][] IKE_PORT = {
        {0x20, 0, 0, 8},  // BPF_LD | BPF_W | BPF_ABS, k = 8: the responder cookie's first half
        {0x15, 0, 3, 0},  // BPF_JMP | BPF_JEQ | BPF_K, k = 0: true -> next, false -> proven
        {0x20, 0, 0, 12}, // its second half
        {0x15, 0, 1, 0},  // zero -> first, else proven
        {0x06, 0, 0, 0},  // BPF_RET | BPF_K: socket 0, first messages
        {0x06, 0, 0, 1},  // BPF_RET | BPF_K: socket 1, proven
    };

    /**
     * Port 4500's group, one program for all three members (the runtime's steered pair, bound first, and the data
     * plane's ESP-in-UDP socket, bound third), whichever attaches it: after a zero non-ESP marker (RFC 3948) IKE as on
     * port 500, its responder cookie at bytes 12..19, to socket 0 (zero: first messages) or 1; a non-zero first word
     * (an SPI) to socket 2, the data plane's. A datagram too short to load a word (a NAT keepalive, one byte) or an
     * IKE header ends the program with 0. Where the group has no socket 2 (no data plane), the kernel hashes ESP to
     * one of the pair, whose reader hands it on.
     */
    static final int[][] NAT_T_PORT = {
        {0x20, 0, 0, 0},  // ld [0]: the marker, or an SPI
        {0x15, 0, 6, 0},  // zero -> next, else -> esp
        {0x20, 0, 0, 12}, // ld [12]: the responder cookie's first half, after the marker
        {0x15, 0, 3, 0},  // zero -> next, else -> proven
        {0x20, 0, 0, 16}, // its second half
        {0x15, 0, 1, 0},  // zero -> first, else -> proven
        {0x06, 0, 0, 0},  // socket 0: first messages and keepalives
        {0x06, 0, 0, 1},  // socket 1: IKE carrying a responder cookie
        {0x06, 0, 0, 2},  // socket 2: ESP in UDP
    };

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
