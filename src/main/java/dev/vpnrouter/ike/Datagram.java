package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;

/**
 * One ISAKMP message with its UDP addresses, as the engine sees it. On port 4500 the transport strips the
 * four-byte non-ESP marker before handing it in and adds it when sending (RFC 3948), so {@code data} always starts
 * with the ISAKMP header.
 */
public record Datagram(int src, int srcPort, int dst, int dstPort, byte[] data) {
    public static final int IKE_PORT = 500;
    public static final int NAT_T_PORT = 4500;

    public boolean natTraversalPort() {
        return srcPort == NAT_T_PORT || dstPort == NAT_T_PORT;
    }

    @Override
    public String toString() {
        return Ipv4.format(src) + ":" + srcPort + " -> " + Ipv4.format(dst) + ":" + dstPort + " (" + data.length
                + " bytes)";
    }
}
