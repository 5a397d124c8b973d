package dev.vpnrouter.net;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * What a NIC does for TCP over IPv4, done in userspace for a TUN device opened with offloads
 * ({@code IFF_VNET_HDR}): split a TSO super-packet the kernel hands over into MSS-sized segments with correct
 * checksums, complete a partial checksum, and the reverse, coalescing consecutive segments of one flow into a GSO
 * super-packet to write (as GRO would), so the kernel forwards and the receiving TCP acknowledges one packet instead
 * of dozens. Pure byte work, no I/O.
 *
 * <p>Offload packets carry a 10-byte {@code struct virtio_net_hdr} first (little-endian on the hosts we run on):
 * flags, gso_type, hdr_len, gso_size, csum_start, csum_offset.
 */
public final class TcpOffload {
    public static final int VNET_HDR_LEN = 10;
    public static final int F_NEEDS_CSUM = 1;
    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    public static final int GSO_ECN = 0x80;

    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private TcpOffload() {
    }

    // ------------------------------------------------------------------ virtio_net_hdr

    public static int flags(byte[] h, int off) {
        return h[off] & 0xff;
    }

    public static int gsoType(byte[] h, int off) {
        return h[off + 1] & 0xff;
    }

    public static int gsoSize(byte[] h, int off) {
        return le16(h, off + 4);
    }

    public static int csumStart(byte[] h, int off) {
        return le16(h, off + 6);
    }

    public static int csumOffset(byte[] h, int off) {
        return le16(h, off + 8);
    }

    /** Writes a header: no GSO and no checksum work (a plain packet). */
    public static void writePlainHeader(byte[] h, int off) {
        for (int i = 0; i < VNET_HDR_LEN; i++) {
            h[off + i] = 0;
        }
    }

    static void writeHeader(byte[] h, int off, int flags, int gsoType, int hdrLen, int gsoSize, int csumStart,
            int csumOffset) {
        h[off] = (byte) flags;
        h[off + 1] = (byte) gsoType;
        putLe16(h, off + 2, hdrLen);
        putLe16(h, off + 4, gsoSize);
        putLe16(h, off + 6, csumStart);
        putLe16(h, off + 8, csumOffset);
    }

    // ------------------------------------------------------------------ checksums

    /** The ones' complement sum of {@code b[off, off+len)} plus {@code initial}, folded to 16 bits (not inverted). */
    public static int sum(byte[] b, int off, int len, long initial) {
        long s = initial;
        int i = 0;
        for (; i + 4 <= len; i += 4) {
            s += (int) INT_BE.get(b, off + i) & 0xffffffffL;
        }
        if (i + 2 <= len) {
            s += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
            i += 2;
        }
        if (i < len) {
            s += (b[off + i] & 0xff) << 8;
        }
        return fold(s);
    }

    static int fold(long s) {
        s = (s & 0xffffffffL) + (s >>> 32);
        s = (s & 0xffff) + (s >>> 16);
        s = (s & 0xffff) + (s >>> 16);
        return (int) ((s & 0xffff) + (s >>> 16));
    }

    /** The IPv4 pseudo-header sum for a TCP/UDP segment of {@code length} bytes (unfolded). */
    static long pseudoHeader(byte[] ip, int off, int protocol, int length) {
        return ((int) INT_BE.get(ip, off + 12) & 0xffffffffL) + ((int) INT_BE.get(ip, off + 16) & 0xffffffffL)
                + protocol + length;
    }

    /** Recomputes the IPv4 header checksum. */
    public static void ipChecksum(byte[] p, int off) {
        int ihl = (p[off] & 0x0f) * 4;
        p[off + 10] = 0;
        p[off + 11] = 0;
        putBe16(p, off + 10, ~sum(p, off, ihl, 0) & 0xffff);
    }

    /**
     * Completes a partial checksum (virtio {@code NEEDS_CSUM}): the field at {@code start + offset} holds the
     * pseudo-header sum; the sum from {@code start} to the end of the packet, inverted, goes there.
     *
     * @return false when the offsets lie outside the packet
     */
    public static boolean completeChecksum(byte[] p, int off, int len, int start, int offset) {
        if (start < 0 || offset < 0 || start + offset + 2 > len) {
            return false;
        }
        int s = sum(p, off + start, len - start, 0);
        int v = ~s & 0xffff;
        putBe16(p, off + start + offset, v == 0 && p[off + 9] == 17 ? 0xffff : v);
        return true;
    }

    // ------------------------------------------------------------------ segmentation (TSO on read)

    /**
     * Splits a TCP/IPv4 super-packet {@code src[off, off+len)} into segments of at most {@code mss} payload bytes,
     * one per call, like a NIC's TSO: headers copied, IP total length, identification (+1 per segment) and
     * checksum, TCP sequence number and checksum fixed, FIN and PSH only on the last segment, CWR only on the first.
     */
    public static final class Segmenter {
        private byte[] src;
        private int off;
        private int headers;
        private int payloadEnd;
        private int next;
        private int mss;
        private int index;

        /** Starts on a super-packet; false when it is not well-formed TCP/IPv4 (then send it as it is, or drop). */
        public boolean reset(byte[] src, int off, int len, int mss) {
            if (len < 40 || (src[off] & 0xf0) != 0x40 || src[off + 9] != 6 || mss <= 0) {
                return false;
            }
            int ihl = (src[off] & 0x0f) * 4;
            int total = be16(src, off + 2);
            if (total == 0 || total > len) {
                total = len; // a GSO packet may carry 0 when it exceeds 64 KiB
            }
            if (ihl < 20 || ihl + 20 > total) {
                return false;
            }
            int thl = ((src[off + ihl + 12] & 0xf0) >>> 4) * 4;
            if (thl < 20 || ihl + thl > total) {
                return false;
            }
            this.src = src;
            this.off = off;
            this.headers = ihl + thl;
            this.payloadEnd = total;
            this.next = headers;
            this.mss = mss;
            this.index = 0;
            return true;
        }

        /** Writes the next segment at {@code dst[dstOff]}; returns its length, or -1 when none is left. */
        public int next(byte[] dst, int dstOff) {
            if (next >= payloadEnd && !(index == 0 && next == payloadEnd)) {
                return -1;
            }
            int ihl = (src[off] & 0x0f) * 4;
            int n = Math.min(mss, payloadEnd - next);
            boolean last = next + n >= payloadEnd;
            System.arraycopy(src, off, dst, dstOff, headers);
            System.arraycopy(src, off + next, dst, dstOff + headers, n);
            int length = headers + n;
            putBe16(dst, dstOff + 2, length);
            putBe16(dst, dstOff + 4, (be16(src, off + 4) + index) & 0xffff);
            ipChecksum(dst, dstOff);
            int tcp = dstOff + ihl;
            int seq = (int) INT_BE.get(src, off + ihl + 4) + (next - headers);
            INT_BE.set(dst, tcp + 4, seq);
            int flags = dst[tcp + 13] & 0xff;
            if (!last) {
                flags &= ~0x09; // FIN, PSH
            }
            if (index > 0) {
                flags &= ~0x80; // CWR
            }
            dst[tcp + 13] = (byte) flags;
            dst[tcp + 16] = 0;
            dst[tcp + 17] = 0;
            int tcpLength = length - ihl;
            int s = sum(dst, tcp, tcpLength, pseudoHeader(dst, dstOff, 6, tcpLength));
            putBe16(dst, tcp + 16, ~s & 0xffff);
            next += n;
            index++;
            if (n == 0) {
                next = payloadEnd + 1; // a bare header (no payload) is sent once
            }
            return length;
        }
    }

    // ------------------------------------------------------------------ coalescing (GRO on write)

    /**
     * Collects consecutive TCP/IPv4 segments of one flow into one GSO super-packet (virtio header first), as
     * Linux GRO does: same addresses, ports, IP header fields that matter, TCP header length and options, ACK
     * number and window; sequence numbers contiguous; only ACK (and PSH on the last) set; every segment but the
     * last of the same payload size. Anything else ends the super-packet.
     */
    public static final class Coalescer {
        private static final int MAX = 65535;
        private final byte[] buffer = new byte[VNET_HDR_LEN + MAX];
        private int length; // IP packet bytes in buffer after the header; 0 when empty
        private int segments;
        private int mss;
        private int headers;
        private int nextSeq;
        private boolean closed;

        /** The pending packet's bytes: virtio header then the IP packet, {@link #finish()} long. */
        public byte[] buffer() {
            return buffer;
        }

        public boolean isEmpty() {
            return length == 0;
        }

        /** True when a TCP/IPv4 packet could start or extend a super-packet at all. */
        public static boolean candidate(byte[] p, int off, int len) {
            if (len < 40 || p[off] != 0x45 || p[off + 9] != 6 || be16(p, off + 2) != len) {
                return false;
            }
            if ((be16(p, off + 6) & 0x3fff) != 0) {
                return false; // a fragment (MF or offset)
            }
            int flags = p[off + 33] & 0xff;
            int thl = ((p[off + 32] & 0xf0) >>> 4) * 4;
            return (flags & ~0x18) == 0x00 && (flags & 0x10) != 0 && thl >= 20 && 20 + thl <= len;
        }

        /** Appends when the segment continues the pending super-packet; false (nothing changed) otherwise. */
        public boolean append(byte[] p, int off, int len) {
            if (length == 0 || closed || !candidate(p, off, len)) {
                return false;
            }
            int thl = ((p[off + 32] & 0xf0) >>> 4) * 4;
            int payload = len - 20 - thl;
            if (20 + thl != headers || payload <= 0 || payload > mss || length + payload > MAX
                    || (int) INT_BE.get(p, off + 24) != nextSeq) {
                return false;
            }
            int h = VNET_HDR_LEN;
            // Addresses and ports; ACK number; window; options; TOS, TTL, DF: all equal.
            if (buffer[h + 1] != p[off + 1] || buffer[h + 8] != p[off + 8] || buffer[h + 6] != p[off + 6]
                    || !equal(buffer, h + 12, p, off + 12, 8) || !equal(buffer, h + 20, p, off + 20, 4)
                    || !equal(buffer, h + 28, p, off + 28, 4) || !equal(buffer, h + 34, p, off + 34, 2)
                    || !equal(buffer, h + 40, p, off + 40, thl - 20)) {
                return false;
            }
            System.arraycopy(p, off + headers, buffer, h + length, payload);
            length += payload;
            segments++;
            nextSeq += payload;
            if ((p[off + 33] & 0x08) != 0) {
                buffer[h + 33] |= 0x08; // PSH ends the burst
                closed = true;
            }
            if (payload < mss) {
                closed = true; // a short segment is the last one
            }
            return true;
        }

        /** Starts a super-packet with this segment (a candidate with payload). */
        public boolean start(byte[] p, int off, int len) {
            if (!candidate(p, off, len)) {
                return false;
            }
            int thl = ((p[off + 32] & 0xf0) >>> 4) * 4;
            int payload = len - 20 - thl;
            if (payload <= 0) {
                return false;
            }
            System.arraycopy(p, off, buffer, VNET_HDR_LEN, len);
            length = len;
            headers = 20 + thl;
            mss = payload;
            segments = 1;
            nextSeq = (int) INT_BE.get(p, off + 24) + payload;
            closed = (p[off + 33] & 0x08) != 0;
            return true;
        }

        /**
         * Finishes the pending packet for writing and empties the coalescer: returns its length in
         * {@link #buffer()} (header included), 0 when empty. One segment goes out as a plain packet, several as
         * GSO TCPv4 with a partial checksum.
         */
        public int finish() {
            if (length == 0) {
                return 0;
            }
            int h = VNET_HDR_LEN;
            int total = length;
            if (segments == 1) {
                writePlainHeader(buffer, 0);
            } else {
                putBe16(buffer, h + 2, total);
                ipChecksum(buffer, h);
                int tcpLength = total - 20;
                // CHECKSUM_PARTIAL: the field holds the folded pseudo-header sum; the kernel completes it per segment.
                putBe16(buffer, h + 36, fold(pseudoHeader(buffer, h, 6, tcpLength)));
                writeHeader(buffer, 0, F_NEEDS_CSUM, GSO_TCPV4, headers, mss, 20, 16);
            }
            length = 0;
            segments = 0;
            closed = false;
            return h + total;
        }

        /** Segments in the pending packet. */
        public int segments() {
            return segments;
        }
    }

    // ------------------------------------------------------------------ bytes

    private static boolean equal(byte[] a, int ao, byte[] b, int bo, int n) {
        for (int i = 0; i < n; i++) {
            if (a[ao + i] != b[bo + i]) {
                return false;
            }
        }
        return true;
    }

    static int be16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    static void putBe16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    static int le16(byte[] b, int off) {
        return (b[off] & 0xff) | ((b[off + 1] & 0xff) << 8);
    }

    static void putLe16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }
}
