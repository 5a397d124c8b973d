package dev.vpnrouter.sim;

import dev.vpnrouter.common.Ipv4Packet;

import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** IPv4 reassembly for a lab host (RFC 815 in spirit: a bitmap of 8-byte blocks), a bounded number at once. */
final class SimReassembler {
    private static final int MAX_PARTIALS = 64;

    private record Key(int source, int destination, int protocol, int identification) {
    }

    private static final class Partial {
        byte[] header;
        final byte[] data = new byte[65536];
        final BitSet blocks = new BitSet();
        int length = -1;
    }

    private final Map<Key, Partial> partials = new LinkedHashMap<>();
    private long reassembled;

    /** The packet itself when it is not a fragment, the whole packet when this fragment completes one, else null. */
    byte[] accept(byte[] p) {
        int flags = u16(p, 6);
        boolean more = (flags & 0x2000) != 0;
        int offset = (flags & 0x1fff) * 8;
        if (!more && offset == 0) {
            return p;
        }
        int ihl = Ipv4Packet.headerLength(p, 0);
        int payload = Ipv4Packet.totalLength(p, 0) - ihl;
        if (offset + payload > 65535 - ihl) {
            return null;
        }
        Key key = new Key(Ipv4Packet.source(p, 0), Ipv4Packet.destination(p, 0), Ipv4Packet.protocol(p, 0), u16(p, 4));
        Partial partial = partials.get(key);
        if (partial == null) {
            if (partials.size() >= MAX_PARTIALS) {
                Iterator<Key> oldest = partials.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
            partial = new Partial();
            partials.put(key, partial);
        }
        System.arraycopy(p, ihl, partial.data, offset, payload);
        partial.blocks.set(offset / 8, (offset + payload + 7) / 8);
        if (offset == 0) {
            partial.header = java.util.Arrays.copyOf(p, ihl);
        }
        if (!more) {
            partial.length = offset + payload;
        }
        if (partial.header == null || partial.length < 0
                || partial.blocks.nextClearBit(0) < (partial.length + 7) / 8) {
            return null;
        }
        partials.remove(key);
        int hl = partial.header.length;
        byte[] whole = new byte[hl + partial.length];
        System.arraycopy(partial.header, 0, whole, 0, hl);
        System.arraycopy(partial.data, 0, whole, hl, partial.length);
        put16(whole, 2, whole.length);
        put16(whole, 6, u16(whole, 6) & 0x4000);
        put16(whole, 10, 0);
        put16(whole, 10, Ipv4Packet.checksum(whole, 0, hl));
        reassembled++;
        return whole;
    }

    long reassembled() {
        return reassembled;
    }

    static int u16(byte[] p, int at) {
        return ((p[at] & 0xff) << 8) | (p[at + 1] & 0xff);
    }

    static void put16(byte[] p, int at, int v) {
        p[at] = (byte) (v >>> 8);
        p[at + 1] = (byte) v;
    }
}
