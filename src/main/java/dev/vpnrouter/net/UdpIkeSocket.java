package dev.vpnrouter.net;

import dev.vpnrouter.common.Ipv4;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.BindException;

/**
 * The router's IKE socket (UDP 500 or 4500) of our own, over {@code java.lang.foreign}, because the JDK's
 * {@code DatagramChannel} keeps its descriptor to itself: with the descriptor we can ask for
 * {@code SO_RCVBUFFORCE} (a burst of first messages from thousands of peers otherwise overflows the kernel's
 * default 208 KiB buffer, and inside a namespace {@code rmem_max} cannot be raised), read the kernel's drop count
 * ({@code SO_RXQ_OVFL}) with every batch, and receive a batch with one {@code recvmmsg}.
 *
 * <p>Without CAP_NET_ADMIN the buffer is asked for with plain {@code SO_RCVBUF}, which the kernel caps at
 * {@code rmem_max}: an unprivileged router still runs, with the smaller buffer ({@link #forcedBuffer()} says which).
 *
 * <p>On UDP 500 the runtime opens two of them as one steered pair ({@link #openSteered}): first messages, which
 * anyone can forge from any address, fill one buffer; datagrams that carry our responder cookie fill the other.
 *
 * <p>Sends may come from any thread (the loop's IKE, the data plane's ESP in UDP on 4500): {@code sendto} on one
 * socket is atomic per datagram, and each thread has its own native send buffer.
 */
public final class UdpIkeSocket extends DatagramFd {
    /** What the socket asks the kernel for: about 8,000 IKE first messages of 1 KiB, with the kernel's overhead. */
    public static final int RECEIVE_BUFFER_BYTES = 8 << 20;
    private static final int SEND_BUFFER_BYTES = 1 << 20;
    private static final int MAX_DATAGRAM = 65_536;

    /** Per sending thread: the datagram and the destination, so a send allocates nothing. */
    private static final ThreadLocal<MemorySegment> SEND_BUFFER =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(MAX_DATAGRAM + Libc.SOCKADDR_IN_SIZE, 8));

    /** Two sockets on one port, in one reuseport group steered by the responder cookie. */
    public record Steered(UdpIkeSocket firstMessages, UdpIkeSocket proven) {
    }

    private final int address;
    private final int port;
    private final boolean forcedBuffer;

    private UdpIkeSocket(int fd, int address, int port, boolean forcedBuffer) throws ErrnoException {
        super(fd);
        this.address = address;
        this.port = port;
        this.forcedBuffer = forcedBuffer;
    }

    /**
     * Binds {@code address:port} ({@code address} 0: all addresses). {@code reusePort} turns {@code SO_REUSEPORT}
     * on, so the data plane's {@link UdpEspSocket} (or more shards) can join the port; without it a second router on
     * the same port fails here, with a message that says so.
     */
    public static UdpIkeSocket open(int address, int port, boolean reusePort) throws IOException {
        int fd = Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
        try (Arena call = Arena.ofConfined()) {
            if (reusePort) {
                Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_REUSEPORT, 1, "SO_REUSEPORT");
            }
            MemorySegment sa = call.allocate(Libc.SOCKADDR_IN_SIZE, 4);
            Libc.sockaddrIn(sa, address, port);
            try {
                Libc.bind(fd, sa, Libc.SOCKADDR_IN_SIZE, "UDP " + Ipv4.format(address) + ":" + port);
            } catch (ErrnoException e) {
                BindException clear = new BindException("UDP " + Ipv4.format(address) + ":" + port
                        + " is taken (is another vpnrouter or an IKE daemon running here?) or not a local address: "
                        + e.getMessage());
                clear.initCause(e);
                throw clear;
            }
            boolean forced = true;
            try {
                Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, RECEIVE_BUFFER_BYTES, "SO_RCVBUFFORCE");
            } catch (ErrnoException e) {
                forced = false; // no CAP_NET_ADMIN: as much as rmem_max allows
                Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, RECEIVE_BUFFER_BYTES, "SO_RCVBUF");
            }
            Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, SEND_BUFFER_BYTES, "SO_SNDBUF");
            Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RXQ_OVFL, 1, "SO_RXQ_OVFL");
            return new UdpIkeSocket(fd, address, port == 0 ? Libc.boundPort(fd) : port, forced);
        } catch (IOException | RuntimeException e) {
            try {
                Libc.close(fd);
            } catch (ErrnoException ignored) {
                // the descriptor is released anyway
            }
            throw e;
        }
    }

    /**
     * Binds {@code address:port} twice, as a reuseport group whose program sends first messages (zero responder
     * cookie) to {@link Steered#firstMessages} and everything else to {@link Steered#proven}, each with its own
     * buffer: a flood of forged first messages then overflows only its own. Port 0: one the kernel picks. On port
     * 4500 the cookie follows the non-ESP marker and ESP in UDP goes to a third member, the data plane's
     * {@link UdpEspSocket} (see {@link ReuseportSteering#NAT_T_PORT}).
     *
     * <p>A probe bound without {@code SO_REUSEPORT} comes first and is closed at once: it fails, with the message
     * {@link #open} gives, when anyone holds the port, so a second router cannot slip into our group.
     */
    public static Steered openSteered(int address, int port) throws IOException {
        int bound;
        UdpIkeSocket probe = open(address, port, false);
        try {
            bound = probe.port();
        } finally {
            probe.close();
        }
        UdpIkeSocket first = open(address, bound, true);
        try {
            UdpIkeSocket proven = open(address, bound, true);
            try {
                ReuseportSteering.attach(proven.fd, bound == UdpEndpoint.NAT_T_PORT
                        ? ReuseportSteering.NAT_T_PORT : ReuseportSteering.IKE_PORT);
            } catch (ErrnoException | RuntimeException e) {
                proven.close();
                throw e;
            }
            return new Steered(first, proven);
        } catch (IOException | RuntimeException e) {
            first.close();
            throw e;
        }
    }

    public int address() {
        return address;
    }

    public int port() {
        return port;
    }

    /** Whether SO_RCVBUFFORCE took (root): else the buffer is what {@code rmem_max} allowed. */
    public boolean forcedBuffer() {
        return forcedBuffer;
    }

    /** The receive buffer the kernel granted, in bytes (it doubles what was asked, for its bookkeeping). */
    public int receiveBufferBytes() throws IOException {
        begin();
        try {
            return Libc.getsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, "SO_RCVBUF");
        } finally {
            end();
        }
    }

    /**
     * Sends {@code data[off, off+len)} to {@code toAddress:toPort}. Returns false when the send buffer is full
     * (the datagram is dropped, as the kernel would; IKE retransmits).
     *
     * @throws ErrnoException for any other refusal (no route while an interface is reconfigured, ...)
     */
    public boolean send(byte[] data, int off, int len, int toAddress, int toPort) throws IOException {
        if (len > MAX_DATAGRAM) {
            throw new IllegalArgumentException(len + " bytes do not fit one UDP datagram");
        }
        MemorySegment buffer = SEND_BUFFER.get();
        MemorySegment to = buffer.asSlice(MAX_DATAGRAM, Libc.SOCKADDR_IN_SIZE);
        MemorySegment.copy(data, off, buffer, ValueLayout.JAVA_BYTE, 0, len);
        Libc.sockaddrIn(to, toAddress, toPort);
        begin();
        try {
            Libc.sendto(fd, buffer, len, 0, to, Libc.SOCKADDR_IN_SIZE);
            return true;
        } catch (ErrnoException e) {
            if (e.errno() == Libc.EAGAIN || e.errno() == Libc.ENOBUFS) {
                return false;
            }
            throw e;
        } finally {
            end();
        }
    }

    /** Told of a datagram of a batch the kernel refused, and why. */
    public interface Refused {
        void refused(int toAddress, int toPort, int errno);
    }

    /**
     * Sends every datagram of {@code batch} (slots filled with {@link PacketBatch#add}) with as few {@code sendmmsg}
     * calls as the kernel allows, then clears it. Never waits: a datagram the kernel refuses (a full send buffer,
     * EAGAIN or ENOBUFS, as {@link #send} returning false; no route) goes to {@code refused} and the rest go on, as
     * the kernel drops one datagram. Returns the datagrams sent.
     */
    public int send(PacketBatch batch, Refused refused) throws IOException {
        int sent = 0;
        begin();
        try {
            int done = 0;
            int total = batch.size();
            while (done < total) {
                int n = Libc.sendmmsgOrErrno(fd, batch.headers(done), total - done, 0);
                if (n > 0) {
                    done += n;
                    sent += n;
                } else if (n != -Libc.EINTR) {
                    refused.refused(batch.address(done), batch.port(done), -n);
                    done++;
                }
            }
        } finally {
            end();
            batch.clear();
        }
        return sent;
    }

    @Override
    String describe() {
        return "IKE socket on " + Ipv4.format(address) + ":" + port;
    }
}
