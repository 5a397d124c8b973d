package dev.vpnrouter.dataplane;

import dev.vpnrouter.common.Ipv4;

/**
 * One sealed ESP packet and where it goes: raw IP protocol 50 when {@code peerPort} is 0, else UDP from
 * {@code localPort} (4500) to {@code peerPort} (RFC 3948; no non-ESP marker: the SPI is never zero).
 *
 * @param esp     the ESP packet, SPI first, exactly sized
 * @param childId {@link dev.vpnrouter.ike.ChildSa#id()} of the SA that sealed it
 */
public record EspDatagram(byte[] esp, int localAddress, int localPort, int peerAddress, int peerPort, long childId) {

    public boolean udpEncapsulated() {
        return peerPort != 0;
    }

    @Override
    public String toString() {
        return "ESP " + esp.length + " bytes to " + Ipv4.format(peerAddress) + (peerPort != 0 ? ":" + peerPort : "")
                + " (sa " + childId + ")";
    }
}
