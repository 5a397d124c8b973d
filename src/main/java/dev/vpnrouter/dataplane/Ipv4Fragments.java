package dev.vpnrouter.dataplane;

import dev.vpnrouter.common.Ipv4Packet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Path MTU handling for inner IPv4 packets (IOS "crypto ipsec fragmentation before-encryption", its default):
 * fragment a packet so that each piece fits once sealed (RFC 791), or answer a DF packet with ICMP
 * "fragmentation needed" carrying the next-hop MTU (RFC 1191).
 */
public final class Ipv4Fragments {
    private static final int FLAG_DF = 0x4000;
    private static final int FLAG_MF = 0x2000;
    private static final int OFFSET_MASK = 0x1fff;

    private Ipv4Fragments() {
    }

    public static boolean dontFragment(byte[] p, int off) {
        return (u16(p, off + 6) & FLAG_DF) != 0;
    }

    /** True for a fragment other than the first (offset != 0): ports and ICMP types are not in it. */
    public static boolean laterFragment(byte[] p, int off) {
        return (u16(p, off + 6) & OFFSET_MASK) != 0;
    }

    /** True when no ICMP error may be sent about this packet (RFC 1122 3.2.2): ICMP errors, later fragments. */
    public static boolean mustNotAnswerWithIcmpError(byte[] p, int off, int len) {
        if (laterFragment(p, off)) {
            return true;
        }
        if (Ipv4Packet.protocol(p, off) != Ipv4Packet.ICMP) {
            return false;
        }
        int ihl = Ipv4Packet.headerLength(p, off);
        if (len <= ihl) {
            return true;
        }
        int type = p[off + ihl] & 0xff;
        return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    }

    /**
     * Splits a valid IPv4 packet into fragments of at most {@code maxPacket} bytes each (headers included). Later
     * fragments carry only the options marked "copied"; an already-fragmented packet keeps its offset and MF.
     * Returns the packet itself (copied) when it already fits.
     */
    public static List<byte[]> fragment(byte[] p, int off, int len, int maxPacket) {
        int ihl = Ipv4Packet.headerLength(p, off);
        int total = Ipv4Packet.totalLength(p, off);
        if (total <= maxPacket) {
            return List.of(Arrays.copyOfRange(p, off, off + total));
        }
        byte[] laterHeader = copiedOptionsHeader(p, off, ihl);
        int flags = u16(p, off + 6);
        int baseOffset = flags & OFFSET_MASK;
        boolean moreAfter = (flags & FLAG_MF) != 0;
        int payload = total - ihl;
        List<byte[]> out = new ArrayList<>();
        int done = 0;
        while (done < payload) {
            boolean first = done == 0;
            byte[] header = first ? Arrays.copyOfRange(p, off, off + ihl) : laterHeader;
            int room = (maxPacket - header.length) & ~7;
            if (room <= 0) {
                throw new IllegalArgumentException("MTU " + maxPacket + " leaves no room for a fragment");
            }
            int chunk = Math.min(room, payload - done);
            boolean last = done + chunk == payload;
            byte[] f = new byte[header.length + chunk];
            System.arraycopy(header, 0, f, 0, header.length);
            System.arraycopy(p, off + ihl + done, f, header.length, chunk);
            f[0] = (byte) (0x40 | header.length / 4);
            put16(f, 2, f.length);
            int fragOffset = baseOffset + done / 8;
            put16(f, 6, (last && !moreAfter ? 0 : FLAG_MF) | fragOffset);
            put16(f, 10, 0);
            put16(f, 10, Ipv4Packet.checksum(f, 0, header.length));
            out.add(f);
            done += chunk;
        }
        return out;
    }

    /** The first header with only the copied options (RFC 791 "copied flag"), padded to 32 bits. */
    private static byte[] copiedOptionsHeader(byte[] p, int off, int ihl) {
        byte[] h = new byte[ihl];
        System.arraycopy(p, off, h, 0, Ipv4Packet.HEADER);
        int w = Ipv4Packet.HEADER;
        int i = Ipv4Packet.HEADER;
        while (i < ihl) {
            int type = p[off + i] & 0xff;
            if (type == 0) {
                break; // end of option list
            }
            if (type == 1) {
                i++; // NOP: not copied
                continue;
            }
            if (i + 1 >= ihl) {
                break;
            }
            int optLen = p[off + i + 1] & 0xff;
            if (optLen < 2 || i + optLen > ihl) {
                break; // malformed options: keep none of the rest
            }
            if ((type & 0x80) != 0) {
                System.arraycopy(p, off + i, h, w, optLen);
                w += optLen;
            }
            i += optLen;
        }
        return Arrays.copyOf(h, (w + 3) & ~3);
    }

    /**
     * ICMP destination unreachable, fragmentation needed (type 3 code 4) about {@code p}, from {@code source}
     * to the packet's source, with the next-hop MTU and the original header plus 8 bytes of its data.
     */
    public static byte[] fragmentationNeeded(byte[] p, int off, int len, int source, int nextHopMtu,
            int identification) {
        int ihl = Ipv4Packet.headerLength(p, off);
        int quoted = Math.min(ihl + 8, Math.min(len, Ipv4Packet.totalLength(p, off)));
        byte[] icmp = new byte[8 + quoted];
        icmp[0] = 3;
        icmp[1] = 4;
        put16(icmp, 6, nextHopMtu);
        System.arraycopy(p, off, icmp, 8, quoted);
        put16(icmp, 2, Ipv4Packet.checksum(icmp, 0, icmp.length));
        return Ipv4Packet.build(source, Ipv4Packet.source(p, off), Ipv4Packet.ICMP, identification, icmp);
    }

    static int u16(byte[] p, int at) {
        return ((p[at] & 0xff) << 8) | (p[at + 1] & 0xff);
    }

    static void put16(byte[] p, int at, int v) {
        p[at] = (byte) (v >>> 8);
        p[at + 1] = (byte) v;
    }
}
