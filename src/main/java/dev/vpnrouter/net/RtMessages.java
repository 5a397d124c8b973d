package dev.vpnrouter.net;

import dev.vpnrouter.common.Ipv4;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The rtnetlink wire format ({@code linux/netlink.h}, {@code rtnetlink.h}, {@code fib_rules.h}, {@code if_link.h})
 * of the few messages {@link RtNetlink} sends and reads, as pure functions over memory so they are tested without a
 * kernel. Header and attribute fields are in host byte order, IPv4 addresses in network order, every attribute is
 * padded to 4 bytes. Decoding trusts no length: a message or attribute that runs past what holds it is an
 * IOException naming the offset, never an index error.
 */
final class RtMessages {
    // linux/netlink.h
    static final int NETLINK_ROUTE = 0;
    static final int SOL_NETLINK = 270;
    static final int NETLINK_CAP_ACK = 10;
    static final int NETLINK_EXT_ACK = 11;
    static final int NLMSG_HDRLEN = 16;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_DUMP_INTR = 0x10;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;
    static final int NLM_F_DUMP = 0x300;
    /** Flags of an NLMSG_ERROR: the request echoed as its header only; attributes (extended ACK) follow. */
    static final int NLM_F_CAPPED = 0x100;
    static final int NLM_F_ACK_TLVS = 0x200;
    static final int NLMSGERR_ATTR_MSG = 1;
    /** The attribute type without the nested and byte-order bits. */
    private static final int NLA_TYPE_MASK = 0x3fff;

    // linux/rtnetlink.h
    static final int RTM_NEWLINK = 16;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWROUTE = 24;
    static final int RTM_DELROUTE = 25;
    static final int RTM_GETROUTE = 26;
    static final int RTM_NEWRULE = 32;
    static final int RTM_DELRULE = 33;
    static final int RTM_GETRULE = 34;
    /** struct rtmsg, struct fib_rule_hdr: both 12 bytes with the family first. */
    static final int RTMSG_LEN = 12;
    static final int IFINFOMSG_LEN = 16;
    static final int RTA_DST = 1;
    static final int RTA_OIF = 4;
    static final int RTA_GATEWAY = 5;
    static final int RTA_PRIORITY = 6;
    static final int RTA_PREFSRC = 7;
    static final int RTA_TABLE = 15;
    static final int RTN_UNICAST = 1;
    static final int RTPROT_STATIC = 4;
    static final int RT_SCOPE_UNIVERSE = 0;
    static final int RT_SCOPE_LINK = 253;
    static final int RT_SCOPE_NOWHERE = 255;
    static final int RT_TABLE_UNSPEC = 0;
    // linux/if_link.h, linux/fib_rules.h
    static final int IFLA_IFNAME = 3;
    static final int FRA_IIFNAME = 3;
    static final int FRA_PRIORITY = 6;
    static final int FRA_TABLE = 15;
    static final int FRA_IP_PROTO = 22;
    static final int FRA_SPORT_RANGE = 23;
    static final int RT_TABLE_MAIN = 254;
    static final int FR_ACT_TO_TBL = 1;
    /** IFNAMSIZ minus the terminating NUL. */
    static final int IFNAME_MAX = 15;

    /** The largest request this class writes (a route with all four attributes). */
    static final int MAX_REQUEST = NLMSG_HDRLEN + RTMSG_LEN + 5 * 8;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfInt ADDRESS = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;

    private RtMessages() {
    }

    /** A table number (unsigned 32 bits) that does not fit rtm_table and goes in an attribute, as ip does it. */
    private static boolean wide(int table) {
        return Integer.toUnsignedLong(table) > 255;
    }

    static int align(int n) {
        return (n + 3) & ~3;
    }

    // ------------------------------------------------------------------ requests

    /**
     * An RTM_NEWROUTE ({@code add}: NLM_F_CREATE|NLM_F_EXCL, so an existing route is an error and never replaced)
     * or RTM_DELROUTE for {@code route} at {@code at}; returns its length. As {@code ip route add|del}: a table
     * above 255 goes in RTA_TABLE with rtm_table unspecified; a device route has link scope; a delete leaves the
     * protocol and scope open (any route of ours matches, whoever added it) and names type, device and table.
     */
    static int route(MemorySegment b, int at, boolean add, int seq, RtNetlink.Route route) {
        int flags = NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_EXCL : 0);
        int scope = add ? (route.ifindex() > 0 ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE) : RT_SCOPE_NOWHERE;
        return route(b, at, add ? RTM_NEWROUTE : RTM_DELROUTE, flags, seq, route.network(), route.prefixLength(),
                0, route.table(), add ? RTPROT_STATIC : 0, scope, RTN_UNICAST, route.ifindex(), 0,
                route.preferredSource(), 0);
    }

    /** An RTM_DELROUTE for a route a dump showed, keyed as the kernel keys it (prefix, TOS, table, type, metric). */
    static int delete(MemorySegment b, int at, int seq, RtNetlink.RouteEntry e) {
        return route(b, at, RTM_DELROUTE, NLM_F_REQUEST | NLM_F_ACK, seq, e.network(), e.prefixLength(), e.tos(),
                e.table(), 0, RT_SCOPE_NOWHERE, e.type(), e.ifindex(), e.gateway(), 0, e.priority());
    }

    private static int route(MemorySegment b, int at, int type, int flags, int seq, int network, int prefixLength,
            int tos, int table, int protocol, int scope, int routeType, int ifindex, int gateway, int source,
            int priority) {
        int p = at + NLMSG_HDRLEN;
        b.set(U8, p, (byte) Libc.AF_INET);
        b.set(U8, p + 1, (byte) prefixLength);
        b.set(U8, p + 2, (byte) 0); // src_len
        b.set(U8, p + 3, (byte) tos);
        b.set(U8, p + 4, (byte) (wide(table) ? RT_TABLE_UNSPEC : table));
        b.set(U8, p + 5, (byte) protocol);
        b.set(U8, p + 6, (byte) scope);
        b.set(U8, p + 7, (byte) routeType);
        b.set(U32, p + 8, 0); // rtm_flags
        p += RTMSG_LEN;
        if (wide(table)) {
            p = u32Attr(b, p, RTA_TABLE, table);
        }
        if (prefixLength > 0) {
            p = addressAttr(b, p, RTA_DST, network);
        }
        if (source != 0) {
            p = addressAttr(b, p, RTA_PREFSRC, source);
        }
        if (gateway != 0) {
            p = addressAttr(b, p, RTA_GATEWAY, gateway);
        }
        if (priority != 0) {
            p = u32Attr(b, p, RTA_PRIORITY, priority);
        }
        if (ifindex > 0) {
            p = u32Attr(b, p, RTA_OIF, ifindex);
        }
        return header(b, at, p - at, type, flags, seq);
    }

    /**
     * An RTM_NEWRULE ({@code priority}: lookup {@code table}, NLM_F_CREATE|NLM_F_EXCL) or RTM_DELRULE (the first
     * rule at {@code priority}, of {@code table} unless it is 0) at {@code at}; returns its length.
     */
    static int rule(MemorySegment b, int at, boolean add, int seq, int priority, int table) {
        return rule(b, at, add, seq, priority, table, null);
    }

    /** As above, matching only {@code local} (null: all packets). */
    static int rule(MemorySegment b, int at, boolean add, int seq, int priority, int table,
            RtNetlink.LocalTraffic local) {
        int p = at + NLMSG_HDRLEN;
        b.set(U8, p, (byte) Libc.AF_INET);
        b.set(U8, p + 1, (byte) 0); // dst_len
        b.set(U8, p + 2, (byte) 0); // src_len
        b.set(U8, p + 3, (byte) 0); // tos
        b.set(U8, p + 4, (byte) (wide(table) ? RT_TABLE_UNSPEC : table));
        b.set(U8, p + 5, (byte) 0); // res1
        b.set(U8, p + 6, (byte) 0); // res2
        b.set(U8, p + 7, (byte) (add ? FR_ACT_TO_TBL : 0));
        b.set(U32, p + 8, 0); // flags
        p += RTMSG_LEN;
        p = u32Attr(b, p, FRA_PRIORITY, priority);
        if (wide(table)) {
            p = u32Attr(b, p, FRA_TABLE, table);
        }
        if (local != null) {
            p = stringAttr(b, p, FRA_IIFNAME, "lo"); // iif lo: packets this host sends, never forwarded ones
            b.set(U16, p, (short) 5);
            b.set(U16, p + 2, (short) FRA_IP_PROTO);
            b.set(U8, p + 4, (byte) local.ipProtocol());
            b.asSlice(p + 5, 3).fill((byte) 0);
            p += 8;
            if (local.sourcePort() != 0) {
                b.set(U16, p, (short) 8);
                b.set(U16, p + 2, (short) FRA_SPORT_RANGE);
                b.set(U16, p + 4, (short) local.sourcePort()); // struct fib_rule_port_range, host order
                b.set(U16, p + 6, (short) local.sourcePort());
                p += 8;
            }
        }
        int flags = NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_EXCL : 0);
        return header(b, at, p - at, add ? RTM_NEWRULE : RTM_DELRULE, flags, seq);
    }

    /** An RTM_GETLINK for the interface called {@code name} (1 to 15 bytes); the answer is one RTM_NEWLINK. */
    static int getLink(MemorySegment b, int at, int seq, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > IFNAME_MAX || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not an interface name: \"" + name + "\"");
        }
        int p = at + NLMSG_HDRLEN;
        b.asSlice(p, IFINFOMSG_LEN).fill((byte) 0); // AF_UNSPEC, any type, index 0: look up by name
        p += IFINFOMSG_LEN;
        int len = 4 + bytes.length + 1;
        b.set(U16, p, (short) len);
        b.set(U16, p + 2, (short) IFLA_IFNAME);
        MemorySegment.copy(bytes, 0, b, U8, p + 4, bytes.length);
        b.asSlice(p + 4 + bytes.length, align(len) - 4 - bytes.length).fill((byte) 0); // NUL and padding
        p += align(len);
        return header(b, at, p - at, RTM_GETLINK, NLM_F_REQUEST, seq);
    }

    /** A dump request (RTM_GETROUTE or RTM_GETRULE) for IPv4: an rtmsg or fib_rule_hdr with only the family. */
    static int dump(MemorySegment b, int at, int type, int seq) {
        int p = at + NLMSG_HDRLEN;
        b.asSlice(p, RTMSG_LEN).fill((byte) 0);
        b.set(U8, p, (byte) Libc.AF_INET);
        return header(b, at, NLMSG_HDRLEN + RTMSG_LEN, type, NLM_F_REQUEST | NLM_F_DUMP, seq);
    }

    private static int header(MemorySegment b, int at, int length, int type, int flags, int seq) {
        b.set(U32, at, length);
        b.set(U16, at + 4, (short) type);
        b.set(U16, at + 6, (short) flags);
        b.set(U32, at + 8, seq);
        b.set(U32, at + 12, 0); // the kernel is port 0; our own port id is not needed in requests
        return length;
    }

    /** A NUL-terminated string attribute, padded to 4. */
    private static int stringAttr(MemorySegment b, int p, int type, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        int len = 4 + bytes.length + 1;
        b.set(U16, p, (short) len);
        b.set(U16, p + 2, (short) type);
        MemorySegment.copy(bytes, 0, b, U8, p + 4, bytes.length);
        b.asSlice(p + 4 + bytes.length, align(len) - 4 - bytes.length).fill((byte) 0);
        return p + align(len);
    }

    private static int u32Attr(MemorySegment b, int p, int type, int value) {
        b.set(U16, p, (short) 8);
        b.set(U16, p + 2, (short) type);
        b.set(U32, p + 4, value);
        return p + 8;
    }

    private static int addressAttr(MemorySegment b, int p, int type, int address) {
        b.set(U16, p, (short) 8);
        b.set(U16, p + 2, (short) type);
        b.set(ADDRESS, p + 4, address);
        return p + 8;
    }

    // ------------------------------------------------------------------ answers

    /** Validates the message header at {@code at} of a datagram ending at {@code end}; returns its length. */
    static int messageLength(MemorySegment b, int at, int end) throws IOException {
        if (end - at < NLMSG_HDRLEN) {
            throw malformed("a message header cut off: " + (end - at) + " bytes at offset " + at);
        }
        int len = b.get(U32, at);
        if (len < NLMSG_HDRLEN || len > end - at) {
            throw malformed("message length " + Integer.toUnsignedString(len) + " at offset " + at + " with "
                    + (end - at) + " bytes left");
        }
        return len;
    }

    static int type(MemorySegment b, int at) {
        return b.get(U16, at + 4) & 0xffff;
    }

    static int flags(MemorySegment b, int at) {
        return b.get(U16, at + 6) & 0xffff;
    }

    static int seq(MemorySegment b, int at) {
        return b.get(U32, at + 8);
    }

    /** The error of an NLMSG_ERROR or the status of an NLMSG_DONE: 0 for success, else a negative errno. */
    static int errorCode(MemorySegment b, int at, int len) throws IOException {
        if (len < NLMSG_HDRLEN + 4) {
            throw malformed((type(b, at) == NLMSG_DONE ? "NLMSG_DONE" : "NLMSG_ERROR") + " of " + len
                    + " bytes has no error code");
        }
        int error = b.get(U32, at + NLMSG_HDRLEN);
        if (error > 0 || error < -4095) {
            throw malformed("error code " + error + " is no negative errno");
        }
        return error;
    }

    /** The kernel's explanation in an NLMSG_ERROR (NLMSGERR_ATTR_MSG), or null when it sent none. */
    static String errorText(MemorySegment b, int at, int len) throws IOException {
        if ((flags(b, at) & NLM_F_ACK_TLVS) == 0) {
            return null;
        }
        int end = at + len;
        int echoed = at + NLMSG_HDRLEN + 4; // struct nlmsgerr: the error, then the request's header (and body)
        int p;
        if ((flags(b, at) & NLM_F_CAPPED) != 0) {
            p = echoed + NLMSG_HDRLEN;
        } else {
            p = echoed + align(messageLength(b, echoed, end));
        }
        while (end - p >= 4) {
            int alen = attributeLength(b, p, end);
            if ((b.get(U16, p + 2) & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
                return string(b, p + 4, alen - 4);
            }
            p += align(alen);
        }
        return null;
    }

    /** The interface index of an RTM_NEWLINK. */
    static int linkIndex(MemorySegment b, int at, int len) throws IOException {
        if (len < NLMSG_HDRLEN + IFINFOMSG_LEN) {
            throw malformed("RTM_NEWLINK of " + len + " bytes has no ifinfomsg");
        }
        int index = b.get(U32, at + NLMSG_HDRLEN + 4);
        if (index <= 0) {
            throw malformed("RTM_NEWLINK with interface index " + index);
        }
        return index;
    }

    /** An IPv4 route of an RTM_NEWROUTE (dump answer); null for another family. */
    static RtNetlink.RouteEntry routeEntry(MemorySegment b, int at, int len) throws IOException {
        int end = at + len;
        int h = at + NLMSG_HDRLEN;
        if (len < NLMSG_HDRLEN + RTMSG_LEN) {
            throw malformed("RTM_NEWROUTE of " + len + " bytes has no rtmsg");
        }
        if (b.get(U8, h) != Libc.AF_INET) {
            return null;
        }
        int prefixLength = b.get(U8, h + 1) & 0xff;
        if (prefixLength > 32) {
            throw malformed("IPv4 route with prefix length " + prefixLength);
        }
        int tos = b.get(U8, h + 3) & 0xff;
        int table = b.get(U8, h + 4) & 0xff;
        int protocol = b.get(U8, h + 5) & 0xff;
        int scope = b.get(U8, h + 6) & 0xff;
        int type = b.get(U8, h + 7) & 0xff;
        int network = 0;
        int ifindex = 0;
        int gateway = 0;
        int source = 0;
        int priority = 0;
        for (int p = h + RTMSG_LEN; end - p >= 4; ) {
            int alen = attributeLength(b, p, end);
            switch (b.get(U16, p + 2) & NLA_TYPE_MASK) {
                case RTA_DST -> network = address(b, p, alen, "RTA_DST");
                case RTA_GATEWAY -> gateway = address(b, p, alen, "RTA_GATEWAY");
                case RTA_PREFSRC -> source = address(b, p, alen, "RTA_PREFSRC");
                case RTA_OIF -> ifindex = u32(b, p, alen, "RTA_OIF");
                case RTA_PRIORITY -> priority = u32(b, p, alen, "RTA_PRIORITY");
                case RTA_TABLE -> table = u32(b, p, alen, "RTA_TABLE");
                default -> { }
            }
            p += align(alen);
        }
        return new RtNetlink.RouteEntry(network, prefixLength, table, ifindex, gateway, source, tos, type, protocol,
                scope, priority);
    }

    /** An IPv4 rule of an RTM_NEWRULE (dump answer); null for another family. */
    static RtNetlink.Rule rule(MemorySegment b, int at, int len) throws IOException {
        int end = at + len;
        int h = at + NLMSG_HDRLEN;
        if (len < NLMSG_HDRLEN + RTMSG_LEN) {
            throw malformed("RTM_NEWRULE of " + len + " bytes has no fib_rule_hdr");
        }
        if (b.get(U8, h) != Libc.AF_INET) {
            return null;
        }
        int table = b.get(U8, h + 4) & 0xff;
        int action = b.get(U8, h + 7) & 0xff;
        int priority = 0; // the kernel leaves FRA_PRIORITY out for priority 0
        for (int p = h + RTMSG_LEN; end - p >= 4; ) {
            int alen = attributeLength(b, p, end);
            switch (b.get(U16, p + 2) & NLA_TYPE_MASK) {
                case FRA_PRIORITY -> priority = u32(b, p, alen, "FRA_PRIORITY");
                case FRA_TABLE -> table = u32(b, p, alen, "FRA_TABLE");
                default -> { }
            }
            p += align(alen);
        }
        return new RtNetlink.Rule(priority, table, action);
    }

    /** Validates the attribute at {@code p} inside a message ending at {@code end}; returns its unpadded length. */
    private static int attributeLength(MemorySegment b, int p, int end) throws IOException {
        int alen = b.get(U16, p) & 0xffff;
        if (alen < 4 || alen > end - p) {
            throw malformed("attribute length " + alen + " at offset " + p + " with " + (end - p)
                    + " bytes left in its message");
        }
        return alen;
    }

    private static int u32(MemorySegment b, int p, int alen, String name) throws IOException {
        if (alen < 8) {
            throw malformed(name + " of " + (alen - 4) + " bytes, not 4");
        }
        return b.get(U32, p + 4);
    }

    private static int address(MemorySegment b, int p, int alen, String name) throws IOException {
        if (alen != 8) {
            throw malformed(name + " of " + (alen - 4) + " bytes is no IPv4 address");
        }
        return b.get(ADDRESS, p + 4);
    }

    /** A NUL-terminated string of at most {@code max} bytes (no NUL: all of them). */
    private static String string(MemorySegment b, int p, int max) {
        int n = 0;
        while (n < max && b.get(U8, p + n) != 0) {
            n++;
        }
        byte[] bytes = new byte[n];
        MemorySegment.copy(b, U8, p, bytes, 0, n);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static IOException malformed(String what) {
        return new IOException("malformed rtnetlink answer: " + what);
    }

    /** {@code ip}'s words for a route request, for error messages. */
    static String describe(boolean add, RtNetlink.Route r, String device) {
        return "route " + (add ? "add " : "del ") + prefix(r.network(), r.prefixLength())
                + (r.ifindex() > 0 ? " dev " + device : "")
                + (r.preferredSource() != 0 ? " src " + Ipv4.format(r.preferredSource()) : "")
                + " table " + Integer.toUnsignedString(r.table());
    }

    static String prefix(int network, int prefixLength) {
        return Ipv4.format(network) + "/" + prefixLength;
    }
}
