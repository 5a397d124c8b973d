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
 */
public final class PacketBatch implements AutoCloseable {
    /** x86-64/aarch64 Linux: {@code struct mmsghdr} (msghdr 56 bytes + msg_len + padding). */
    static final int MMSGHDR_SIZE = 64;
    static final int IOVEC_SIZE = 16;
    private static final int MSG_NAME = 0;
    private static final int MSG_NAMELEN = 8;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int MSG_LEN = 56;

    private final Arena arena = Arena.ofShared();
    private final int slots;
    private final int slotCapacity;
    private final MemorySegment buffers;
    private final MemorySegment iovecs;
    private final MemorySegment names;
    private final MemorySegment headers;
    private int size;

    /**
     * @param slots        packets per batch (the kernel caps a call at 1024)
     * @param slotCapacity bytes per packet; a longer received datagram is truncated
     */
    public PacketBatch(int slots, int slotCapacity) {
        if (slots < 1 || slots > 1024 || slotCapacity < 1) {
            throw new IllegalArgumentException("batch of " + slots + " slots of " + slotCapacity + " bytes");
        }
        this.slots = slots;
        this.slotCapacity = slotCapacity;
        this.buffers = arena.allocate((long) slots * slotCapacity, 64);
        this.iovecs = arena.allocate((long) slots * IOVEC_SIZE, 8);
        this.names = arena.allocate((long) slots * Libc.SOCKADDR_IN_SIZE, 8);
        this.headers = arena.allocate((long) slots * MMSGHDR_SIZE, 8);
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

    /** Resets every slot to receive a full-size datagram. */
    void prepareReceive() {
        for (int i = 0; i < slots; i++) {
            iovecs.set(ValueLayout.JAVA_LONG, (long) i * IOVEC_SIZE + 8, slotCapacity);
            headers.set(ValueLayout.JAVA_INT, (long) i * MMSGHDR_SIZE + MSG_NAMELEN, Libc.SOCKADDR_IN_SIZE);
        }
        size = 0;
    }

    /** After recvmmsg: records how many arrived and each one's length (the kernel writes msg_len). */
    void received(int count) {
        for (int i = 0; i < count; i++) {
            int n = headers.get(ValueLayout.JAVA_INT, (long) i * MMSGHDR_SIZE + MSG_LEN);
            iovecs.set(ValueLayout.JAVA_LONG, (long) i * IOVEC_SIZE + 8, Math.min(n, slotCapacity));
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
