package dev.vpnrouter.interop;

/**
 * Just enough IPv4/ICMP to answer pings by hand from a TUN device in tests: header fields, the Internet checksum
 * and an echo reply built from an echo request.
 */
public final class Packets {
    public static final int PROTO_ICMP = 1;
    public static final int PROTO_UDP = 17;
    public static final int PROTO_ESP = 50;

    private Packets() {
    }

    public static int version(byte[] packet) {
        return (packet[0] & 0xff) >>> 4;
    }

    public static int headerLength(byte[] packet) {
        return (packet[0] & 0x0f) * 4;
    }

    public static int protocol(byte[] packet) {
        return packet[9] & 0xff;
    }

    public static int source(byte[] packet) {
        return dev.vpnrouter.common.Ipv4.fromBytes(packet, 12);
    }

    public static int destination(byte[] packet) {
        return dev.vpnrouter.common.Ipv4.fromBytes(packet, 16);
    }

    /** True for an IPv4 ICMP echo request (type 8). */
    public static boolean isEchoRequest(byte[] packet) {
        return packet.length >= 28 && version(packet) == 4 && protocol(packet) == PROTO_ICMP
                && (packet[headerLength(packet)] & 0xff) == 8;
    }

    /** RFC 1071 checksum over {@code data[off..off+len)}. */
    public static int checksum(byte[] data, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((data[off + i] & 0xff) << 8) | (data[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            sum += (data[off + len - 1] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** The echo reply to an echo request: addresses swapped, type 0, both checksums recomputed. */
    public static byte[] echoReplyFor(byte[] request) {
        if (!isEchoRequest(request)) {
            throw new IllegalArgumentException("not an ICMP echo request");
        }
        byte[] reply = request.clone();
        int ihl = headerLength(reply);
        System.arraycopy(request, 12, reply, 16, 4);
        System.arraycopy(request, 16, reply, 12, 4);
        reply[8] = 64; // TTL
        reply[10] = 0;
        reply[11] = 0;
        int ipSum = checksum(reply, 0, ihl);
        reply[10] = (byte) (ipSum >>> 8);
        reply[11] = (byte) ipSum;
        reply[ihl] = 0; // echo reply
        reply[ihl + 2] = 0;
        reply[ihl + 3] = 0;
        int icmpSum = checksum(reply, ihl, reply.length - ihl);
        reply[ihl + 2] = (byte) (icmpSum >>> 8);
        reply[ihl + 3] = (byte) icmpSum;
        return reply;
    }
}
