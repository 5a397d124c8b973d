package dev.vpnrouter.net;

import dev.vpnrouter.common.Ipv4;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The data plane's own socket for ESP in UDP (RFC 3948), on the same address and port 4500 as the runtime's IKE
 * sockets: all join one {@code SO_REUSEPORT} group, and a classic BPF program ({@link ReuseportSteering#NAT_T_PORT})
 * steers each datagram by its first bytes. Zero (the non-ESP marker before IKE) or a datagram shorter than four
 * bytes (a NAT keepalive) goes to the runtime's steered pair, which must be bound first (sockets 0 and 1); anything
 * else (socket 2) carries
 * an SPI and comes here. So IKE stays on the runtime's loop thread and ESP is read by a data thread in batches.
 *
 * <p>Both directions batch and offload: {@link #send} hands runs of equal-size datagrams to the kernel as one
 * {@code UDP_SEGMENT} message each, and with {@code UDP_GRO} on, {@link #receive} gets such runs back as one message
 * (see {@link PacketBatch#withUdpOffload}): a received slot may hold several datagrams of
 * {@link PacketBatch#segmentSize} bytes (the last may be shorter). Where the kernel refuses segmentation offload
 * for a message, that message's datagrams go one by one and offload stays off for this socket.
 */
public final class UdpEspSocket extends DatagramFd {
    /**
     * UDP segmentation and receive offload: on unless {@code -Dvpnrouter.udp.offloads=false} (to compare, or so a
     * capture on the router itself shows each datagram rather than a GSO run as one large datagram).
     */
    static final boolean OFFLOADS = !"false".equals(System.getProperty("vpnrouter.udp.offloads"));

    private final int address;
    private final int port;
    private final boolean gro;
    private volatile boolean gso = OFFLOADS;

    private UdpEspSocket(int fd, int address, int port, boolean gro) throws ErrnoException {
        super(fd);
        this.address = address;
        this.port = port;
        this.gro = gro;
    }

    /**
     * Opens the socket on {@code address:port}, joining the reuseport group of the sockets already bound there (the
     * runtime's steered pair), as its third member, and attaches the group's steering program. Fails when the group cannot
     * be joined or steered: the caller then leaves ESP in UDP to the runtime's socket.
     */
    public static UdpEspSocket open(int address, int port) throws IOException {
        int fd = Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
        try (Arena call = Arena.ofConfined()) {
            Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_REUSEPORT, 1, "SO_REUSEPORT");
            MemorySegment sa = call.allocate(Libc.SOCKADDR_IN_SIZE, 4);
            Libc.sockaddrIn(sa, address, port);
            Libc.bind(fd, sa, Libc.SOCKADDR_IN_SIZE, "ESP-in-UDP socket to " + Ipv4.format(address) + ":" + port);
            ReuseportSteering.attach(fd, ReuseportSteering.NAT_T_PORT);
            boolean gro = OFFLOADS;
            try {
                if (gro) {
                    Libc.setsockopt(fd, Libc.SOL_UDP, Libc.UDP_GRO, 1, "UDP_GRO");
                }
            } catch (ErrnoException e) {
                gro = false; // an old kernel: one datagram per message then
            }
            Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, 4 << 20, "SO_RCVBUF");
            Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, 4 << 20, "SO_SNDBUF");
            return new UdpEspSocket(fd, address, port, gro);
        } catch (IOException | RuntimeException e) {
            try {
                Libc.close(fd);
            } catch (ErrnoException ignored) {
                // the descriptor is released anyway
            }
            throw e;
        }
    }

    /** Whether UDP offload is wanted at all ({@code -Dvpnrouter.udp.offloads}); else use plain batches. */
    public static boolean offloadsWanted() {
        return OFFLOADS;
    }

    /** Whether the kernel coalesces received datagrams for us (UDP_GRO). */
    public boolean gro() {
        return gro;
    }

    /** Whether sends still use segmentation offload (UDP_SEGMENT). */
    public boolean gso() {
        return gso;
    }

    /**
     * Sends every message of {@code batch} (filled with {@link PacketBatch#addSegment}), then clears it. A message
     * the kernel refuses is dropped and its datagrams counted, as the kernel drops a datagram it cannot route;
     * refused offload (EIO, EINVAL on a message of several) resends that message datagram by datagram.
     *
     * @return datagrams that could not be sent
     */
    public int send(PacketBatch batch) throws IOException {
        if (!gso && batch.udpOffload()) {
            int lost = 0;
            begin();
            try {
                for (int i = 0; i < batch.size(); i++) {
                    lost += sendOneByOne(batch, i);
                }
            } finally {
                end();
                batch.clear();
            }
            return lost;
        }
        batch.prepareSend();
        return sendAll(batch, (b, i, errno) -> {
            if (b.segments(i) > 1 && (errno == Libc.EIO || errno == Libc.EINVAL)) {
                gso = false;
                return sendOneByOne(b, i);
            }
            return b.segments(i);
        });
    }

    /** The datagrams of message {@code i} with one {@code sendto} each; returns how many failed. */
    private int sendOneByOne(PacketBatch batch, int i) {
        int failed = 0;
        MemorySegment data = batch.data(i);
        int step = batch.segmentSize(i);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment to = call.allocate(Libc.SOCKADDR_IN_SIZE, 4);
            Libc.sockaddrIn(to, batch.address(i), batch.port(i));
            for (long at = 0; at < data.byteSize(); at += step) {
                long len = Math.min(step, data.byteSize() - at);
                try {
                    Libc.sendto(fd, data.asSlice(at, len), len, 0, to, Libc.SOCKADDR_IN_SIZE);
                } catch (ErrnoException e) {
                    failed++;
                }
            }
        }
        return failed;
    }

    @Override
    String describe() {
        return "ESP-in-UDP socket on " + Ipv4.format(address) + ":" + port;
    }
}
