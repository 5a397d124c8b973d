package dev.vpnrouter.dataplane;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.common.Ipv4Packet;

/**
 * What crypto map ACLs and proxy identities look at in an inner IPv4 packet: addresses, protocol and (for the
 * first fragment of TCP/UDP) ports; 0 where there is no port.
 */
public record InnerFlow(int source, int destination, int protocol, int sourcePort, int destinationPort) {

    /** The flow of a well-formed IPv4 packet, or null when the bytes are not one. */
    public static InnerFlow of(byte[] p, int off, int len) {
        if (p == null || off < 0 || len < 0 || len > p.length - off || !Ipv4Packet.isValid(p, off, len)) {
            return null;
        }
        return new InnerFlow(Ipv4Packet.source(p, off), Ipv4Packet.destination(p, off), Ipv4Packet.protocol(p, off),
                Ipv4Packet.sourcePort(p, off, len), Ipv4Packet.destinationPort(p, off, len));
    }

    @Override
    public String toString() {
        return Ipv4.format(source) + (sourcePort != 0 ? ":" + sourcePort : "") + " -> " + Ipv4.format(destination)
                + (destinationPort != 0 ? ":" + destinationPort : "") + " proto " + protocol;
    }
}
