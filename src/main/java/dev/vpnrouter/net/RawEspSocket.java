package dev.vpnrouter.net;

import dev.vpnrouter.common.Ipv4;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A raw IPv4 socket for IP protocol 50 (ESP without UDP encapsulation). The kernel adds the IPv4 header on send;
 * a received packet arrives with its IPv4 header, which {@link #receive} strips, returning the addresses and the
 * ESP bytes (SPI onwards). Unbound, the socket sees every ESP packet that reaches the namespace; bound, only those
 * to its address. Created in the network namespace of the calling thread (see {@link NetNamespace}).
 */
public final class RawEspSocket extends DatagramFd {
    /** One received ESP packet: outer source and destination (as {@link Ipv4} ints) and the ESP payload. */
    public record EspPacket(int source, int destination, byte[] esp) {
        @Override
        public String toString() {
            return "EspPacket[" + Ipv4.format(source) + " -> " + Ipv4.format(destination) + ", " + esp.length
                    + " bytes]";
        }
    }

    private static final int MAX_DATAGRAM = 65535;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment receiveBuffer = arena.allocate(MAX_DATAGRAM);
    private final MemorySegment sendBuffer = arena.allocate(MAX_DATAGRAM);
    private final MemorySegment sendAddress = arena.allocate(Libc.SOCKADDR_IN_SIZE, 4);
    private final Object receiveMutex = new Object();
    private final Object sendMutex = new Object();
    private volatile int boundAddress;

    private RawEspSocket(int fd) throws ErrnoException {
        super(fd);
    }

    /** Opens the socket; needs CAP_NET_RAW. */
    public static RawEspSocket open() throws IOException {
        int fd = Libc.socket(Libc.AF_INET, Libc.SOCK_RAW | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC,
                Libc.IPPROTO_ESP);
        return new RawEspSocket(fd);
    }

    /** Opens the socket and binds it to {@code localAddress} (send from it, receive only what is sent to it). */
    public static RawEspSocket open(int localAddress) throws IOException {
        RawEspSocket socket = open();
        try {
            socket.bind(localAddress);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Binds to a local address: packets are then sent from it and only packets to it are received. */
    public void bind(int localAddress) throws IOException {
        begin();
        try (Arena call = Arena.ofConfined()) {
            MemorySegment sa = call.allocate(Libc.SOCKADDR_IN_SIZE, 4);
            Libc.sockaddrIn(sa, localAddress, 0);
            Libc.bind(fd, sa, Libc.SOCKADDR_IN_SIZE, "raw ESP socket to " + Ipv4.format(localAddress)
                    + " (is the address configured in this namespace?)");
            boundAddress = localAddress;
        } finally {
            end();
        }
    }

    /** Kernel receive buffer in bytes (SO_RCVBUF); larger absorbs bursts at high packet rates. */
    public void setReceiveBufferSize(int bytes) throws IOException {
        begin();
        try {
            Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, bytes, "SO_RCVBUF");
        } finally {
            end();
        }
    }

    /** Sends {@code esp[off..off+len)} (SPI onwards) as the payload of an IPv4 protocol-50 packet. */
    public void send(int destination, byte[] esp, int off, int len) throws IOException {
        if (len > MAX_DATAGRAM - 20) {
            throw new IllegalArgumentException("ESP packet of " + len + " bytes is too large for IPv4");
        }
        synchronized (sendMutex) {
            begin();
            try {
                MemorySegment.copy(esp, off, sendBuffer, ValueLayout.JAVA_BYTE, 0, len);
                Libc.sockaddrIn(sendAddress, destination, 0);
                while (true) {
                    try {
                        Libc.sendto(fd, sendBuffer, len, 0, sendAddress, Libc.SOCKADDR_IN_SIZE);
                        return;
                    } catch (ErrnoException e) {
                        if (e.errno() == Libc.EINTR) {
                            continue;
                        }
                        if (e.errno() == Libc.EAGAIN) {
                            if (await(Libc.POLLOUT, 1000) == 0) {
                                throw new IOException(describe() + ": send would block for over 1 s");
                            }
                            continue;
                        }
                        throw new ErrnoException(e.call(), e.errno(), "ESP to " + Ipv4.format(destination));
                    }
                }
            } finally {
                end();
            }
        }
    }

    public void send(int destination, byte[] esp) throws IOException {
        send(destination, esp, 0, esp.length);
    }

    /**
     * Waits at most {@code timeoutMillis} (negative: until a packet or close) for one ESP packet; returns
     * {@code null} on timeout. Datagrams too short to hold an IPv4 header are skipped.
     *
     * @throws java.nio.channels.ClosedChannelException when the socket is (or becomes) closed
     */
    public EspPacket receive(long timeoutMillis) throws IOException {
        synchronized (receiveMutex) {
            begin();
            try {
                long deadline = System.nanoTime() + Math.max(0, timeoutMillis) * 1_000_000L;
                while (true) {
                    long n = -1;
                    try {
                        n = Libc.recvfrom(fd, receiveBuffer, MAX_DATAGRAM, 0, MemorySegment.NULL,
                                MemorySegment.NULL);
                    } catch (ErrnoException e) {
                        if (e.errno() != Libc.EAGAIN && e.errno() != Libc.EINTR) {
                            throw e;
                        }
                    }
                    if (n >= 20) {
                        EspPacket packet = parse(receiveBuffer, (int) n);
                        if (packet != null) {
                            return packet;
                        }
                        continue;
                    }
                    if (!awaitReadableUntil(deadline, timeoutMillis)) {
                        return null;
                    }
                }
            } finally {
                end();
            }
        }
    }

    /**
     * {@inheritDoc} Each slot holds a whole IPv4 datagram (header included, see {@link #espOffset});
     * {@link PacketBatch#address} is its source.
     */
    @Override
    public int receive(PacketBatch batch, long timeoutMillis) throws IOException {
        return super.receive(batch, timeoutMillis);
    }

    /**
     * Where the ESP payload starts in a received datagram of {@code length} bytes (after the IPv4 header and its
     * options), or -1 when the header is inconsistent.
     */
    public static int espOffset(MemorySegment datagram, int length) {
        if (length < 20) {
            return -1;
        }
        int versionIhl = datagram.get(ValueLayout.JAVA_BYTE, 0) & 0xff;
        int headerLength = (versionIhl & 0x0f) * 4;
        return versionIhl >>> 4 != 4 || headerLength < 20 || headerLength > length ? -1 : headerLength;
    }

    /**
     * Sends every packet of {@code batch} (ESP, SPI onwards, to {@link PacketBatch#address}) with as few
     * {@code sendmmsg} calls as the kernel allows, then clears it. A packet the kernel refuses (e.g. no route) is
     * skipped and counted in the return value; waits at most 1 s for buffer space.
     *
     * @return packets that could not be sent
     */
    public int send(PacketBatch batch) throws IOException {
        return sendAll(batch, (b, i, errno) -> 1);
    }

    /** Strips the IPv4 header (its real length, options included); null when the header is inconsistent. */
    private static EspPacket parse(MemorySegment datagram, int length) {
        int versionIhl = datagram.get(ValueLayout.JAVA_BYTE, 0) & 0xff;
        int headerLength = (versionIhl & 0x0f) * 4;
        if (versionIhl >>> 4 != 4 || headerLength < 20 || headerLength > length) {
            return null;
        }
        int source = datagram.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 12);
        int destination = datagram.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 16);
        byte[] esp = datagram.asSlice(headerLength, length - headerLength).toArray(ValueLayout.JAVA_BYTE);
        return new EspPacket(source, destination, esp);
    }

    @Override
    String describe() {
        int bound = boundAddress;
        return "raw ESP socket" + (bound == 0 ? "" : " on " + Ipv4.format(bound));
    }

    @Override
    void afterClose() {
        arena.close();
    }
}
