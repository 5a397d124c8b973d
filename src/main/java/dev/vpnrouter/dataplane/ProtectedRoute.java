package dev.vpnrouter.dataplane;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.cfg.TrafficSelector;

/**
 * A remote network that live SAs protect, for the Linux edge to route into the TUN device.
 *
 * @param network      the SAs' remote proxy identity
 * @param peerAddress  the peer of the SA that first brought it up
 * @param reverseRoute the crypto map entry says {@code reverse-route} (IOS installs a static route only then)
 */
public record ProtectedRoute(TrafficSelector network, int peerAddress, boolean reverseRoute) {
    @Override
    public String toString() {
        return Ipv4.format(network.address()) + "/" + Ipv4.prefixLength(network.mask()) + " via "
                + Ipv4.format(peerAddress);
    }
}
