package dev.vpnrouter.common;

/**
 * Reading and building the inner IPv4 packets that ESP carries: header fields, the header checksum, ICMP echo.
 * Methods take the packet bytes as they are; nothing is copied to read a field.
 */
public final class Ipv4Packet {
    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ESP = 50;
    public static final int HEADER = 20;

    private Ipv4Packet() {
    }

    /** True when the bytes hold a plausible IPv4 header: version 4, IHL >= 5, total length within the bytes. */
    public static boolean isValid(byte[] p, int off, int len) {
        if (len < HEADER || (p[off] & 0xf0) != 0x40) {
            return false;
        }
        int ihl = (p[off] & 0x0f) * 4;
        int total = u16(p, off + 2);
        return ihl >= HEADER && total >= ihl && total <= len;
    }

    public static int headerLength(byte[] p, int off) {
        return (p[off] & 0x0f) * 4;
    }

    public static int totalLength(byte[] p, int off) {
        return u16(p, off + 2);
    }

    public static int protocol(byte[] p, int off) {
        return p[off + 9] & 0xff;
    }

    public static int ttl(byte[] p, int off) {
        return p[off + 8] & 0xff;
    }

    public static int source(byte[] p, int off) {
        return Ipv4.fromBytes(p, off + 12);
    }

    public static int destination(byte[] p, int off) {
        return Ipv4.fromBytes(p, off + 16);
    }

    /** Source port of a TCP/UDP packet, 0 for other protocols or a first fragment too short to hold it. */
    public static int sourcePort(byte[] p, int off, int len) {
        return port(p, off, len, 0);
    }

    public static int destinationPort(byte[] p, int off, int len) {
        return port(p, off, len, 2);
    }

    private static int port(byte[] p, int off, int len, int at) {
        int proto = protocol(p, off);
        int ihl = headerLength(p, off);
        boolean firstFragment = (u16(p, off + 6) & 0x1fff) == 0;
        if ((proto != TCP && proto != UDP) || !firstFragment || len < ihl + 4) {
            return 0;
        }
        return u16(p, off + ihl + at);
    }

    /** RFC 1071 ones' complement sum over {@code len} bytes. */
    public static int checksum(byte[] p, int off, int len) {
        long sum = 0;
        int i = 0;
        for (; i + 1 < len; i += 2) {
            sum += u16(p, off + i);
        }
        if (i < len) {
            sum += (p[off + i] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** Builds an IPv4 packet with a correct header checksum (DF clear, TTL 64). */
    public static byte[] build(int source, int destination, int protocol, int identification, byte[] payload) {
        byte[] p = new byte[HEADER + payload.length];
        p[0] = 0x45;
        put16(p, 2, p.length);
        put16(p, 4, identification);
        p[8] = 64;
        p[9] = (byte) protocol;
        System.arraycopy(Ipv4.toBytes(source), 0, p, 12, 4);
        System.arraycopy(Ipv4.toBytes(destination), 0, p, 16, 4);
        put16(p, 10, checksum(p, 0, HEADER));
        System.arraycopy(payload, 0, p, HEADER, payload.length);
        return p;
    }

    /** An ICMP echo request (type 8) or reply (type 0) with identifier, sequence and data. */
    public static byte[] icmpEcho(int source, int destination, boolean request, int id, int sequence, byte[] data) {
        byte[] icmp = new byte[8 + data.length];
        icmp[0] = (byte) (request ? 8 : 0);
        put16(icmp, 4, id);
        put16(icmp, 6, sequence);
        System.arraycopy(data, 0, icmp, 8, data.length);
        put16(icmp, 2, checksum(icmp, 0, icmp.length));
        return build(source, destination, ICMP, sequence, icmp);
    }

    /** True for an ICMP echo request with a valid ICMP checksum. */
    public static boolean isEchoRequest(byte[] p, int off, int len) {
        return isIcmpType(p, off, len, 8);
    }

    public static boolean isEchoReply(byte[] p, int off, int len) {
        return isIcmpType(p, off, len, 0);
    }

    private static boolean isIcmpType(byte[] p, int off, int len, int type) {
        if (!isValid(p, off, len) || protocol(p, off) != ICMP) {
            return false;
        }
        int ihl = headerLength(p, off);
        int icmpLen = totalLength(p, off) - ihl;
        return icmpLen >= 8 && (p[off + ihl] & 0xff) == type && checksum(p, off + ihl, icmpLen) == 0;
    }

    /** The echo reply a host sends back for an echo request. */
    public static byte[] echoReplyTo(byte[] request, int off, int len) {
        int ihl = headerLength(request, off);
        int icmpLen = totalLength(request, off) - ihl;
        byte[] data = new byte[icmpLen - 8];
        System.arraycopy(request, off + ihl + 8, data, 0, data.length);
        return icmpEcho(destination(request, off), source(request, off), false, u16(request, off + ihl + 4),
                u16(request, off + ihl + 6), data);
    }

    public static int icmpSequence(byte[] p, int off) {
        return u16(p, off + headerLength(p, off) + 6);
    }

    static int u16(byte[] p, int at) {
        return ((p[at] & 0xff) << 8) | (p[at + 1] & 0xff);
    }

    static void put16(byte[] p, int at, int v) {
        p[at] = (byte) (v >>> 8);
        p[at + 1] = (byte) v;
    }
}
