package dev.vpnrouter.net;

import java.io.IOException;

/**
 * A non-blocking datagram socket that moves {@link PacketBatch}es with one {@code recvmmsg} or {@code sendmmsg}
 * per call: the raw ESP socket and the ESP-in-UDP socket. What differs between them is only what a slot holds and
 * what to do with a message the kernel refuses.
 */
abstract class DatagramFd extends PollableFd {
    /** What became of message {@code index} that the kernel refused with {@code errno}: datagrams lost. */
    interface Refusal {
        int lost(PacketBatch batch, int index, int errno);
    }

    DatagramFd(int fd) throws ErrnoException {
        super(fd);
    }

    /**
     * Receives up to {@code batch.slots()} messages with one {@code recvmmsg}, waiting at most {@code timeoutMillis}
     * for the first (negative: until one arrives or the socket closes). Returns how many, 0 on timeout; read them
     * with {@link PacketBatch#length}, {@link PacketBatch#address}, {@link PacketBatch#data}.
     *
     * @throws java.nio.channels.ClosedChannelException when the socket is (or becomes) closed
     */
    public int receive(PacketBatch batch, long timeoutMillis) throws IOException {
        begin();
        try {
            long deadline = System.nanoTime() + Math.max(0, timeoutMillis) * 1_000_000L;
            while (true) {
                batch.prepareReceive();
                int n = Libc.recvmmsgOrErrno(fd, batch.headers(0), batch.slots(), 0);
                if (n > 0) {
                    batch.received(n);
                    return n;
                }
                if (n < 0 && n != -Libc.EAGAIN && n != -Libc.EINTR) {
                    throw new ErrnoException("recvmmsg", -n, describe());
                }
                if (!awaitReadableUntil(deadline, timeoutMillis)) {
                    return 0;
                }
            }
        } finally {
            end();
        }
    }

    /**
     * Sends every message of {@code batch} with as few {@code sendmmsg} calls as the kernel allows, then clears it.
     * A message the kernel refuses (no route; ENOBUFS, a full device queue that poll would not wait for) goes to
     * {@code refusal} and the rest go on, as the kernel drops a datagram; waits at most 1 s for buffer space.
     *
     * @return datagrams that could not be sent
     */
    final int sendAll(PacketBatch batch, Refusal refusal) throws IOException {
        int lost = 0;
        begin();
        try {
            int done = 0;
            int total = batch.size();
            while (done < total) {
                int n = Libc.sendmmsgOrErrno(fd, batch.headers(done), total - done, 0);
                if (n > 0) {
                    done += n;
                    continue;
                }
                if (n == -Libc.EINTR) {
                    continue;
                }
                if (n == -Libc.EAGAIN) {
                    if (await(Libc.POLLOUT, 1000) == 0) {
                        throw new IOException(describe() + ": send would block for over 1 s");
                    }
                    continue;
                }
                lost += refusal.lost(batch, done, -n);
                done++;
            }
        } finally {
            end();
            batch.clear();
        }
        return lost;
    }
}
