package dev.vpnrouter.net;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Native buffers for {@code recvmmsg}/{@code sendmmsg}: a fixed number of slots, each with its own packet buffer,
 * {@code struct iovec}, {@code struct sockaddr_in} and {@code struct mmsghdr}, set up once so a batch of packets
 * moves with one system call and no allocation. One thread owns a batch.
 *
 * <p>Receiving: {@link RawEspSocket#receive(PacketBatch, long)} fills {@link #size()} slots; read them with
 * {@link #length}, {@link #address} and {@link #data}. Sending: {@link #add} copies packets in, then
 * {@link RawEspSocket#send(PacketBatch)} sends and clears.
 *
 * <p>A batch made {@link #withUdpOffload} also carries one control message per slot for UDP segmentation offload:
 * {@link #addSegment} packs consecutive datagrams to the same peer into one slot (a run of equal-size segments, the
 * last one may be shorter), sent as one {@code UDP_SEGMENT} message the kernel cuts into datagrams only where it
 * must (at the receiver's socket, or the NIC); on receive, {@link #segmentSize} is the size the kernel coalesced
 * by ({@code UDP_GRO}), so one slot may hold many datagrams.
 */
public final class PacketBatch implements AutoCloseable {
    /** x86-64/aarch64 Linux: {@code struct mmsghdr} (msghdr 56 bytes + msg_len + padding). */
    static final int MMSGHDR_SIZE = 64;
    static final int IOVEC_SIZE = 16;
    private static final int MSG_NAME = 0;
    private static final int MSG_NAMELEN = 8;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int MSG_CONTROL = 32;
    private static final int MSG_CONTROLLEN = 40;
    private static final int MSG_LEN = 56;
    /** {@code CMSG_SPACE(sizeof(int))}: a cmsghdr (len 8, level 4, type 4) and 8 bytes of room for the value. */
    static final int CONTROL_SIZE = 24;
    /** {@code CMSG_LEN(sizeof(uint16_t))}, the UDP_SEGMENT message we send. */
    private static final int CMSG_LEN_U16 = 18;
    /** The kernel's cap on segments per UDP GSO send (UDP_MAX_SEGMENTS). */
    static final int MAX_SEGMENTS = 64;

    private final Arena arena = Arena.ofShared();
    private final int slots;
    private final int slotCapacity;
    private final MemorySegment buffers;
    private final MemorySegment iovecs;
    private final MemorySegment names;
    private final MemorySegment headers;
    /** Control buffers, one per slot, when made {@link #withUdpOffload} or {@link #withDropCount}; else null. */
    private final MemorySegment control;
    private final boolean udpOffload;
    /** The socket's SO_RXQ_OVFL count as last reported (the kernel reports it only once it is non-zero). */
    private long kernelDrops;
    /** Per slot while sending a UDP-offload batch: the run's segment size and count; a shorter one ends the run. */
    private final int[] segmentSize;
    private final int[] segments;
    private final boolean[] runClosed;
    private int size;

    /**
     * @param slots        packets per batch (the kernel caps a call at 1024)
     * @param slotCapacity bytes per packet; a longer received datagram is truncated
     */
    public PacketBatch(int slots, int slotCapacity) {
        this(slots, slotCapacity, false, false);
    }

    /** A batch whose slots are whole UDP GSO/GRO messages (64 KiB each): see {@link #addSegment}. */
    public static PacketBatch withUdpOffload(int slots) {
        return new PacketBatch(slots, 65536, true, true);
    }

    /**
     * A receive batch that also reads the socket's drop count (a socket with {@code SO_RXQ_OVFL} on): see
     * {@link #kernelDrops}.
     */
    public static PacketBatch withDropCount(int slots, int slotCapacity) {
        return new PacketBatch(slots, slotCapacity, false, true);
    }

    private PacketBatch(int slots, int slotCapacity, boolean udpOffload, boolean withControl) {
        if (slots < 1 || slots > 1024 || slotCapacity < 1) {
            throw new IllegalArgumentException("batch of " + slots + " slots of " + slotCapacity + " bytes");
        }
        this.slots = slots;
        this.slotCapacity = slotCapacity;
        this.buffers = arena.allocate((long) slots * slotCapacity, 64);
        this.iovecs = arena.allocate((long) slots * IOVEC_SIZE, 8);
        this.names = arena.allocate((long) slots * Libc.SOCKADDR_IN_SIZE, 8);
        this.headers = arena.allocate((long) slots * MMSGHDR_SIZE, 8);
        this.udpOffload = udpOffload;
        this.control = withControl ? arena.allocate((long) slots * CONTROL_SIZE, 8) : null;
        this.segmentSize = udpOffload ? new int[slots] : null;
        this.segments = udpOffload ? new int[slots] : null;
        this.runClosed = udpOffload ? new boolean[slots] : null;
        headers.fill((byte) 0);
        for (int i = 0; i < slots; i++) {
            long iov = (long) i * IOVEC_SIZE;
            iovecs.set(ValueLayout.ADDRESS, iov, buffers.asSlice((long) i * slotCapacity, slotCapacity));
            iovecs.set(ValueLayout.JAVA_LONG, iov + 8, slotCapacity);
            long h = (long) i * MMSGHDR_SIZE;
            headers.set(ValueLayout.ADDRESS, h + MSG_NAME, names.asSlice((long) i * Libc.SOCKADDR_IN_SIZE,
                    Libc.SOCKADDR_IN_SIZE));
            headers.set(ValueLayout.JAVA_INT, h + MSG_NAMELEN, Libc.SOCKADDR_IN_SIZE);
            headers.set(ValueLayout.ADDRESS, h + MSG_IOV, iovecs.asSlice(iov, IOVEC_SIZE));
            headers.set(ValueLayout.JAVA_LONG, h + MSG_IOVLEN, 1);
            if (control != null) {
                // Fixed for the batch's life; only the length says whether a slot carries a control message.
                headers.set(ValueLayout.ADDRESS, h + MSG_CONTROL, control.asSlice((long) i * CONTROL_SIZE,
                        CONTROL_SIZE));
            }
        }
    }

    public int slots() {
        return slots;
    }

    public int slotCapacity() {
        return slotCapacity;
    }

    /** Packets in the batch. */
    public int size() {
        return size;
    }

    public boolean isFull() {
        return size == slots;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public void clear() {
        size = 0;
    }

    /** Bytes of packet {@code i}. */
    public int length(int i) {
        return (int) iovecs.get(ValueLayout.JAVA_LONG, (long) i * IOVEC_SIZE + 8);
    }

    /** The peer address (an {@code Ipv4} int) of packet {@code i}: source when received, destination to send. */
    public int address(int i) {
        long at = (long) i * Libc.SOCKADDR_IN_SIZE + 4;
        return ((names.get(ValueLayout.JAVA_BYTE, at) & 0xff) << 24) | ((names.get(ValueLayout.JAVA_BYTE, at + 1) & 0xff) << 16)
                | ((names.get(ValueLayout.JAVA_BYTE, at + 2) & 0xff) << 8) | (names.get(ValueLayout.JAVA_BYTE, at + 3) & 0xff);
    }

    /** The peer UDP port of packet {@code i} (0 on a raw socket). */
    public int port(int i) {
        long at = (long) i * Libc.SOCKADDR_IN_SIZE + 2;
        return ((names.get(ValueLayout.JAVA_BYTE, at) & 0xff) << 8) | (names.get(ValueLayout.JAVA_BYTE, at + 1) & 0xff);
    }

    /** Packet {@code i}'s bytes (a view of the slot, {@link #length} long). */
    public MemorySegment data(int i) {
        return buffers.asSlice((long) i * slotCapacity, length(i));
    }

    /** The 32-bit big-endian word at {@code offset} of packet {@code i} (the caller checks the length). */
    public int intAt(int i, int offset) {
        return buffers.get(BIG_ENDIAN_INT, (long) i * slotCapacity + offset);
    }

    /** The 64-bit big-endian word at {@code offset} of packet {@code i} (the caller checks the length). */
    public long longAt(int i, int offset) {
        return buffers.get(BIG_ENDIAN_LONG, (long) i * slotCapacity + offset);
    }

    private static final ValueLayout.OfInt BIG_ENDIAN_INT = ValueLayout.JAVA_INT_UNALIGNED
            .withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BIG_ENDIAN_LONG = ValueLayout.JAVA_LONG_UNALIGNED
            .withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    /** Copies packet {@code i}'s bytes from {@code from} on into {@code dst[off]}; returns how many. */
    public int copyOut(int i, int from, byte[] dst, int off) {
        int n = length(i) - from;
        MemorySegment.copy(buffers, ValueLayout.JAVA_BYTE, (long) i * slotCapacity + from, dst, off, n);
        return n;
    }

    /** Appends a packet for sending to {@code address:port} (port 0 on a raw socket). */
    public void add(byte[] packet, int off, int len, int address, int port) {
        if (size == slots) {
            throw new IllegalStateException("batch full");
        }
        if (len > slotCapacity) {
            throw new IllegalArgumentException(len + " bytes exceed the slot size " + slotCapacity);
        }
        int i = size++;
        MemorySegment.copy(packet, off, buffers, ValueLayout.JAVA_BYTE, (long) i * slotCapacity, len);
        iovecs.set(ValueLayout.JAVA_LONG, (long) i * IOVEC_SIZE + 8, len);
        Libc.sockaddrIn(names.asSlice((long) i * Libc.SOCKADDR_IN_SIZE, Libc.SOCKADDR_IN_SIZE), address, port);
    }

    /**
     * Appends one UDP datagram for {@code address:port}. In a batch made {@link #withUdpOffload} it joins the last
     * slot's run when that goes to the same peer, has room, and this datagram is as long as the run's segments
     * (or shorter, which then ends the run); else, and in a plain batch, it takes a slot of its own.
     *
     * @return false when the batch is full (send it, then add again)
     */
    public boolean addSegment(byte[] packet, int off, int len, int address, int port) {
        if (!udpOffload) {
            if (size == slots) {
                return false;
            }
            add(packet, off, len, address, port);
            return true;
        }
        if (len < 1 || len > slotCapacity) {
            throw new IllegalArgumentException(len + " bytes do not fit a slot of " + slotCapacity);
        }
        if (size > 0) {
            int i = size - 1;
            int used = length(i);
            if (!runClosed[i] && len <= segmentSize[i] && segments[i] < MAX_SEGMENTS
                    && used + len <= MAX_UDP_PAYLOAD && address(i) == address && port(i) == port) {
                MemorySegment.copy(packet, off, buffers, ValueLayout.JAVA_BYTE, (long) i * slotCapacity + used, len);
                iovecs.set(ValueLayout.JAVA_LONG, (long) i * IOVEC_SIZE + 8, used + len);
                segments[i]++;
                runClosed[i] = len < segmentSize[i];
                return true;
            }
        }
        if (size == slots) {
            return false;
        }
        add(packet, off, len, address, port);
        segmentSize[size - 1] = len;
        segments[size - 1] = 1;
        runClosed[size - 1] = false;
        return true;
    }

    /** The largest UDP payload one IPv4 datagram (or one GSO send) carries. */
    static final int MAX_UDP_PAYLOAD = 65535 - 20 - 8;

    /** Whether this batch carries UDP offload runs ({@link #withUdpOffload}). */
    public boolean udpOffload() {
        return udpOffload;
    }

    /**
     * Datagrams the kernel dropped on the receiving socket for want of buffer space, as of the last message that
     * said (batches made {@link #withDropCount}); 0 until the kernel reports a drop.
     */
    public long kernelDrops() {
        return kernelDrops;
    }

    /** Datagrams in slot {@code i} when sending a UDP offload batch (1 for a plain batch). */
    public int segments(int i) {
        return segments == null ? 1 : segments[i];
    }

    /**
     * The datagram size slot {@code i} is cut into: on a received UDP offload batch the size the kernel coalesced
     * by (the whole length when it did not), when sending the run's segment size; a plain batch's length.
     */
    public int segmentSize(int i) {
        return segmentSize == null ? length(i) : segmentSize[i];
    }

    /** Before sendmmsg: a UDP_SEGMENT control message on every slot that carries more than one datagram. */
    void prepareSend() {
        if (!udpOffload) {
            return;
        }
        for (int i = 0; i < size; i++) {
            long h = (long) i * MMSGHDR_SIZE;
            if (segments[i] > 1) {
                long c = (long) i * CONTROL_SIZE;
                control.set(ValueLayout.JAVA_LONG, c, CMSG_LEN_U16);
                control.set(ValueLayout.JAVA_INT, c + 8, Libc.SOL_UDP);
                control.set(ValueLayout.JAVA_INT, c + 12, Libc.UDP_SEGMENT);
                control.set(ValueLayout.JAVA_LONG, c + 16, 0L); // the value and the padding after it
                control.set(ValueLayout.JAVA_SHORT, c + 16, (short) segmentSize[i]);
                headers.set(ValueLayout.JAVA_LONG, h + MSG_CONTROLLEN, CONTROL_SIZE);
            } else {
                headers.set(ValueLayout.JAVA_LONG, h + MSG_CONTROLLEN, 0);
            }
        }
    }

    /** Resets every slot to receive a full-size datagram. */
    void prepareReceive() {
        for (int i = 0; i < slots; i++) {
            long h = (long) i * MMSGHDR_SIZE;
            iovecs.set(ValueLayout.JAVA_LONG, (long) i * IOVEC_SIZE + 8, slotCapacity);
            headers.set(ValueLayout.JAVA_INT, h + MSG_NAMELEN, Libc.SOCKADDR_IN_SIZE);
            if (control != null) {
                headers.set(ValueLayout.JAVA_LONG, h + MSG_CONTROLLEN, CONTROL_SIZE);
            }
        }
        size = 0;
    }

    /**
     * After recvmmsg: records how many arrived, each one's length (the kernel writes msg_len) and, on a UDP
     * offload batch, the UDP_GRO segment size when the kernel coalesced datagrams.
     */
    void received(int count) {
        for (int i = 0; i < count; i++) {
            long h = (long) i * MMSGHDR_SIZE;
            int n = Math.min(headers.get(ValueLayout.JAVA_INT, h + MSG_LEN), slotCapacity);
            iovecs.set(ValueLayout.JAVA_LONG, (long) i * IOVEC_SIZE + 8, n);
            if (control != null && !udpOffload) {
                long used = headers.get(ValueLayout.JAVA_LONG, h + MSG_CONTROLLEN);
                long c = (long) i * CONTROL_SIZE;
                if (used >= 20 && control.get(ValueLayout.JAVA_INT, c + 8) == Libc.SOL_SOCKET
                        && control.get(ValueLayout.JAVA_INT, c + 12) == Libc.SO_RXQ_OVFL) {
                    kernelDrops = Integer.toUnsignedLong(control.get(ValueLayout.JAVA_INT, c + 16));
                }
            } else if (control != null) {
                segmentSize[i] = n;
                long used = headers.get(ValueLayout.JAVA_LONG, h + MSG_CONTROLLEN);
                long c = (long) i * CONTROL_SIZE;
                if (used >= 20 && control.get(ValueLayout.JAVA_INT, c + 8) == Libc.SOL_UDP
                        && control.get(ValueLayout.JAVA_INT, c + 12) == Libc.UDP_GRO) {
                    int gro = control.get(ValueLayout.JAVA_INT, c + 16);
                    if (gro > 0 && gro < n) {
                        segmentSize[i] = gro;
                    }
                }
            }
        }
        size = count;
    }

    /** The mmsghdr array from slot {@code first} on. */
    MemorySegment headers(int first) {
        return headers.asSlice((long) first * MMSGHDR_SIZE);
    }

    @Override
    public void close() {
        arena.close();
    }
}
