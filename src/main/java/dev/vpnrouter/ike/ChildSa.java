package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.EspProposal;
import dev.vpnrouter.ike.cfg.TrafficSelector;

/**
 * A pair of negotiated ESP SAs (one per direction), handed to the data plane when Quick Mode completes. Keys are
 * the KEYMAT of each direction: encryption key first, then integrity key (RFC 2409 5.5).
 *
 * @param peerPort the peer's UDP port for ESP-in-UDP (RFC 3948), 0 for raw ESP
 * @param ikeConnId the C-id of the ISAKMP SA that negotiated it
 */
public record ChildSa(long id, int ikeConnId, ChildPolicy policy, int localAddress, int peerAddress, int localPort,
        int peerPort, TrafficSelector local, TrafficSelector remote, EspProposal transform, int inboundSpi,
        byte[] inboundKeys, int outboundSpi, byte[] outboundKeys, long lifetimeSeconds, long lifetimeKilobytes,
        long createdAtMillis, boolean initiator) {

    public boolean udpEncapsulated() {
        return peerPort != 0;
    }

    /**
     * The crypto engine's connection id of the inbound SA, as IOS numbers them from 2000 (the outbound SA's is the
     * next): {@code debug crypto ipsec} ({@code conn_id= 2002}) and {@code show crypto ipsec sa} ({@code conn id:
     * 2002}) print the same number.
     */
    public int inboundConnId() {
        return 2000 + 2 * (int) id;
    }

    public int outboundConnId() {
        return inboundConnId() + 1;
    }

    /** The flow id {@code show crypto ipsec sa} prints for one direction's SA (IOS: conn id 2002 has flow_id 3). */
    public static int flowId(int connId) {
        return connId - 1999;
    }

    public long expiresAtMillis() {
        return createdAtMillis + lifetimeSeconds * 1000;
    }

    @Override
    public String toString() {
        return String.format("ChildSa[%d %s <-> %s peer %s%s in %08x out %08x %s]", id, local.ios(), remote.ios(),
                Ipv4.format(peerAddress), udpEncapsulated() ? ":" + peerPort : "", inboundSpi, outboundSpi,
                transform.iosTransform());
    }
}
