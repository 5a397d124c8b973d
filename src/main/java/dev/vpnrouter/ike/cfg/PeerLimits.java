package dev.vpnrouter.ike.cfg;

/**
 * How much one peer may hold, so that an authenticated peer (a spoke with the wildcard key, a VPN client) cannot
 * exhaust the router: ISAKMP SAs from one address (VPN clients behind one NAT share it, hence the room), Quick
 * Modes answering at once on one ISAKMP SA, IPsec SA pairs with one peer address (a spoke with many ACL lines
 * holds two pairs each while it rekeys). IOS has no such knobs; these defaults leave real peers far below them.
 */
public record PeerLimits(int ikeSasPerPeer, int quickModesInFlightPerSa, int ipsecSasPerPeer) {
    public static final PeerLimits DEFAULT = new PeerLimits(256, 16, 512);
}
