package dev.vpnrouter.ike.wire;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Just enough of libpcap to pull ISAKMP datagrams out of a capture: the global header, records, Ethernet (with an
 * optional 802.1Q tag), IPv4 without fragments, UDP. On port 4500 the 4-byte non-ESP marker is removed and ESP-in-UDP
 * and NAT keepalives are skipped.
 */
final class PcapReader {

    /** One ISAKMP datagram; {@code frame} counts every record from 1, like tshark's frame.number. */
    record Datagram(int frame, int source, int destination, int sourcePort, int destinationPort, byte[] isakmp) {
    }

    private PcapReader() {
    }

    static List<Datagram> isakmpDatagrams(InputStream in) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(in.readAllBytes());
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) {
            b.order(ByteOrder.LITTLE_ENDIAN);
        } else if (Integer.reverseBytes(magic) == 0xa1b2c3d4 || Integer.reverseBytes(magic) == 0xa1b23c4d) {
            b.order(ByteOrder.BIG_ENDIAN);
        } else {
            throw new IOException("not a pcap file, magic " + Integer.toHexString(magic));
        }
        int linkType = b.getInt(20);
        if (linkType != 1) {
            throw new IOException("link type " + linkType + " is not Ethernet");
        }
        b.position(24);
        List<Datagram> out = new ArrayList<>();
        int frame = 0;
        while (b.remaining() >= 16) {
            frame++;
            b.getInt(); // seconds
            b.getInt(); // micro/nanoseconds
            int captured = b.getInt();
            b.getInt(); // original length
            byte[] packet = new byte[captured];
            b.get(packet);
            Datagram d = parse(frame, packet);
            if (d != null) {
                out.add(d);
            }
        }
        return out;
    }

    private static Datagram parse(int frame, byte[] p) {
        ByteBuffer b = ByteBuffer.wrap(p); // network order
        int off = 12;
        int etherType = b.getShort(off) & 0xffff;
        if (etherType == 0x8100) {
            off += 4;
            etherType = b.getShort(off) & 0xffff;
        }
        off += 2;
        if (etherType != 0x0800) {
            return null;
        }
        int ihl = (p[off] & 0x0f) * 4;
        int totalLength = b.getShort(off + 2) & 0xffff;
        int fragment = b.getShort(off + 6) & 0x3fff;
        int protocol = p[off + 9] & 0xff;
        if (protocol != 17 || fragment != 0) {
            return null;
        }
        int source = b.getInt(off + 12);
        int destination = b.getInt(off + 16);
        int udp = off + ihl;
        int sourcePort = b.getShort(udp) & 0xffff;
        int destinationPort = b.getShort(udp + 2) & 0xffff;
        int udpLength = b.getShort(udp + 4) & 0xffff;
        int payloadStart = udp + 8;
        int payloadEnd = Math.min(udp + udpLength, off + totalLength);
        if (sourcePort == 4500 || destinationPort == 4500) {
            if (payloadEnd - payloadStart < 4 || b.getInt(payloadStart) != 0) {
                return null; // ESP in UDP, or a NAT-keepalive
            }
            payloadStart += 4;
        } else if (sourcePort != 500 && destinationPort != 500) {
            return null;
        }
        return new Datagram(frame, source, destination, sourcePort, destinationPort,
                Arrays.copyOfRange(p, payloadStart, payloadEnd));
    }
}
