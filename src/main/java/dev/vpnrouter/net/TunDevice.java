package dev.vpnrouter.net;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A Linux TUN device ({@code IFF_TUN | IFF_NO_PI}): each read returns one IP packet the kernel routed into the
 * device, each write injects one IP packet as if it arrived on it. The fd is non-blocking and every read waits
 * with {@code poll()} and a timeout, so {@link #close()} always ends a reader.
 *
 * <p>Reads and writes may run on different threads at once; concurrent readers (or writers) are serialised, since
 * each direction has one native buffer. The device is created in the network namespace of the calling thread (see
 * {@link NetNamespace}); configure it with {@link LinkConfig}.
 */
public final class TunDevice extends PollableFd {
    /** {@code _IOW('T', 202, int)}. */
    public static final long TUNSETIFF = 0x400454caL;
    public static final short IFF_TUN = 0x0001;
    public static final short IFF_NO_PI = 0x1000;
    public static final short IFF_VNET_HDR = 0x4000;
    /** {@code _IOW('T', 208, unsigned int)}. */
    public static final long TUNSETOFFLOAD = 0x400454d0L;
    public static final int TUN_F_CSUM = 0x01;
    public static final int TUN_F_TSO4 = 0x02;
    /** Linux IFNAMSIZ minus the terminating NUL. */
    public static final int MAX_NAME_LENGTH = 15;
    /** Largest packet a read can return: the IPv4 maximum. */
    public static final int MAX_PACKET = 65535;

    private static final int IFREQ_SIZE = 40;
    private static final int IFREQ_FLAGS_OFFSET = 16;

    private final String name;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment readBuffer = arena.allocate(MAX_PACKET + TcpOffload.VNET_HDR_LEN);
    private final MemorySegment writeBuffer = arena.allocate(MAX_PACKET + TcpOffload.VNET_HDR_LEN);
    private final Object readMutex = new Object();
    private final Object writeMutex = new Object();

    private final boolean offloads;

    private TunDevice(int fd, String name, boolean offloads) throws ErrnoException {
        super(fd);
        this.name = name;
        this.offloads = offloads;
    }

    /**
     * Creates (or attaches to) the TUN device {@code name}; a name with {@code %d} (e.g. {@code "tun%d"}) lets the
     * kernel pick the number. Needs CAP_NET_ADMIN.
     */
    public static TunDevice open(String name) throws IOException {
        return open(name, false);
    }

    /**
     * As {@link #open(String)}; with {@code offloads} the device carries a {@code virtio_net_hdr}
     * ({@link TcpOffload#VNET_HDR_LEN} bytes) before every packet both ways and takes checksum and TCPv4
     * segmentation offload: {@link #tryRead} may return a TSO super-packet with a partial checksum (split it with
     * {@link TcpOffload.Segmenter}), and a write may carry a GSO super-packet ({@link TcpOffload.Coalescer}).
     * {@link #write(byte[], int, int)} adds a plain header itself; {@link #writeWithHeader} takes one.
     */
    public static TunDevice open(String name, boolean offloads) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length == 0 || nameBytes.length > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("TUN name must be 1.." + MAX_NAME_LENGTH + " characters: " + name);
        }
        int fd = Libc.open("/dev/net/tun", Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment ifreq = call.allocate(IFREQ_SIZE, 8);
            ifreq.fill((byte) 0);
            MemorySegment.copy(nameBytes, 0, ifreq, ValueLayout.JAVA_BYTE, 0, nameBytes.length);
            ifreq.set(ValueLayout.JAVA_SHORT, IFREQ_FLAGS_OFFSET,
                    (short) (IFF_TUN | IFF_NO_PI | (offloads ? IFF_VNET_HDR : 0)));
            Libc.ioctl(fd, TUNSETIFF, ifreq, "TUNSETIFF " + name);
            if (offloads) {
                Libc.ioctl(fd, TUNSETOFFLOAD, MemorySegment.ofAddress(TUN_F_CSUM | TUN_F_TSO4), "TUNSETOFFLOAD");
            }
            String actual = ifreq.getString(0, StandardCharsets.US_ASCII);
            return new TunDevice(fd, actual, offloads);
        } catch (IOException | RuntimeException e) {
            try {
                Libc.close(fd);
            } catch (ErrnoException ignored) {
                // already failing
            }
            throw e;
        }
    }

    /** The interface name the kernel gave the device. */
    public String name() {
        return name;
    }

    /**
     * Reads one packet into {@code dst[off..off+len)}, waiting at most {@code timeoutMillis} (negative: until a
     * packet arrives or the device is closed). Returns the packet length, or 0 on timeout. A packet longer than
     * {@code len} is truncated.
     *
     * @throws java.nio.channels.ClosedChannelException when the device is (or becomes) closed
     */
    public int read(byte[] dst, int off, int len, long timeoutMillis) throws IOException {
        synchronized (readMutex) {
            begin();
            try {
                int n = readInto(readBuffer, timeoutMillis);
                int copy = Math.min(n, len);
                MemorySegment.copy(readBuffer, ValueLayout.JAVA_BYTE, 0, dst, off, copy);
                return copy;
            } finally {
                end();
            }
        }
    }

    /** Reads one packet as a new array, or returns {@code null} after {@code timeoutMillis} without one. */
    public byte[] read(long timeoutMillis) throws IOException {
        synchronized (readMutex) {
            begin();
            try {
                int n = readInto(readBuffer, timeoutMillis);
                return n == 0 ? null : readBuffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
            } finally {
                end();
            }
        }
    }

    /**
     * Reads one packet into native memory (no copy); returns its length, 0 on timeout. The caller owns
     * {@code dst} and must not share it between concurrent readers.
     */
    public int read(MemorySegment dst, long timeoutMillis) throws IOException {
        begin();
        try {
            return readInto(dst, timeoutMillis);
        } finally {
            end();
        }
    }

    /**
     * Reads one waiting packet into {@code dst} without blocking: its length, or 0 when none waits (then
     * {@link #awaitReadable}). For a data thread that drains the queue on each wakeup; no exception when empty.
     */
    public int tryRead(MemorySegment dst) throws IOException {
        begin();
        try {
            while (true) {
                long n = Libc.readOrErrno(fd, dst, dst.byteSize());
                if (n >= 0) {
                    return (int) n;
                }
                if (n == -Libc.EAGAIN) {
                    return 0;
                }
                if (n != -Libc.EINTR) {
                    throw new ErrnoException("read", (int) -n, name);
                }
            }
        } finally {
            end();
        }
    }

    private int readInto(MemorySegment dst, long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + Math.max(0, timeoutMillis) * 1_000_000L;
        while (true) {
            try {
                long n = Libc.read(fd, dst, dst.byteSize());
                if (n > 0) {
                    return (int) n;
                }
            } catch (ErrnoException e) {
                if (e.errno() != Libc.EAGAIN && e.errno() != Libc.EINTR) {
                    throw new ErrnoException(e.call(), e.errno(), name);
                }
            }
            if (!awaitReadableUntil(deadline, timeoutMillis)) {
                return 0;
            }
        }
    }

    /** True when packets carry a virtio_net_hdr (see {@link #open(String, boolean)}). */
    public boolean offloads() {
        return offloads;
    }

    /** Writes one IP packet into the device (the kernel then routes or delivers it). */
    public void write(byte[] packet, int off, int len) throws IOException {
        if (len > MAX_PACKET) {
            throw new IllegalArgumentException("packet of " + len + " bytes exceeds " + MAX_PACKET);
        }
        synchronized (writeMutex) {
            begin();
            try {
                int h = offloads ? TcpOffload.VNET_HDR_LEN : 0;
                if (h > 0) {
                    writeBuffer.asSlice(0, h).fill((byte) 0);
                }
                MemorySegment.copy(packet, off, writeBuffer, ValueLayout.JAVA_BYTE, h, len);
                writeFrom(writeBuffer.asSlice(0, h + len));
            } finally {
                end();
            }
        }
    }

    public void write(byte[] packet) throws IOException {
        write(packet, 0, packet.length);
    }

    /** With offloads: writes {@code buf[off, off+len)}, a virtio_net_hdr followed by the packet. */
    public void writeWithHeader(byte[] buf, int off, int len) throws IOException {
        if (!offloads) {
            throw new IllegalStateException(name + " was opened without offloads");
        }
        if (len > MAX_PACKET + TcpOffload.VNET_HDR_LEN) {
            throw new IllegalArgumentException("packet of " + len + " bytes exceeds " + MAX_PACKET);
        }
        synchronized (writeMutex) {
            begin();
            try {
                MemorySegment.copy(buf, off, writeBuffer, ValueLayout.JAVA_BYTE, 0, len);
                writeFrom(writeBuffer.asSlice(0, len));
            } finally {
                end();
            }
        }
    }

    /** Writes the whole of {@code packet} (native memory, no copy) as one IP packet. */
    public void write(MemorySegment packet) throws IOException {
        begin();
        try {
            writeFrom(packet);
        } finally {
            end();
        }
    }

    private void writeFrom(MemorySegment packet) throws IOException {
        while (true) {
            try {
                long n = Libc.write(fd, packet, packet.byteSize());
                if (n != packet.byteSize()) {
                    throw new IOException(name + ": short write " + n + " of " + packet.byteSize());
                }
                return;
            } catch (ErrnoException e) {
                if (e.errno() == Libc.EINTR) {
                    continue;
                }
                if (e.errno() == Libc.EAGAIN) {
                    // Bounded: the queue drains as the stack consumes; give up after 1 s.
                    if (await(Libc.POLLOUT, 1000) == 0) {
                        throw new IOException(name + ": write would block for over 1 s");
                    }
                    continue;
                }
                throw new ErrnoException(e.call(), e.errno(), name);
            }
        }
    }

    @Override
    String describe() {
        return "tun " + name;
    }

    /** Closing the fd removes the interface (it is not persistent); then the buffers go. */
    @Override
    void afterClose() {
        arena.close();
    }
}
