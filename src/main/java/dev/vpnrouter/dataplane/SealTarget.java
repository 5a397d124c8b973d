package dev.vpnrouter.dataplane;

/**
 * A caller-owned output for {@link DataPlane#outbound(byte[], int, int, long, SealTarget)}, the allocation-free
 * path: the ESP packet is written into {@link #buffer()} and its destination into these fields, reused for every
 * packet. One thread owns a target.
 */
public final class SealTarget {
    private final byte[] buffer;
    int length;
    int peerAddress;
    int peerPort;
    long childId;
    OutboundResult other;

    /** @param capacity bytes for one sealed packet: the largest inner packet plus the ESP overhead */
    public SealTarget(int capacity) {
        this.buffer = new byte[capacity];
    }

    /** The ESP packet (SPI first) is {@code buffer()[0, length())}. */
    public byte[] buffer() {
        return buffer;
    }

    public int length() {
        return length;
    }

    public int peerAddress() {
        return peerAddress;
    }

    /** 0: raw ESP (IP protocol 50); else ESP in UDP from 4500 to this port. */
    public int peerPort() {
        return peerPort;
    }

    public boolean udpEncapsulated() {
        return peerPort != 0;
    }

    public long childId() {
        return childId;
    }

    /** When the packet was not sealed into the buffer: what to do instead (acquire, fragments, ICMP, drop...). */
    public OutboundResult other() {
        return other;
    }
}
