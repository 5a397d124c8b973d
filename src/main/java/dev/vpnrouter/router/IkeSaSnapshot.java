package dev.vpnrouter.router;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeSaView;

/**
 * An ISAKMP SA as it was at one moment, copied on the loop thread so that other threads may read it (the engine's
 * {@link IkeSaView} objects are live and belong to the loop).
 */
public record IkeSaSnapshot(int connId, int localAddress, int peerAddress, int peerPort, boolean initiator,
        String iosState, boolean established, String encryption, String hash, String authentication, int dhGroup,
        long remainingSeconds, String capabilities, String profile, String peerIdentity) {

    static IkeSaSnapshot of(IkeSaView sa, long nowMillis) {
        return new IkeSaSnapshot(sa.connId(), sa.localAddress(), sa.peerAddress(), sa.peerPort(), sa.initiator(),
                sa.iosState(), sa.established(), sa.encryption(), sa.hash(), sa.authentication(), sa.dhGroup(),
                sa.remainingSeconds(nowMillis), sa.capabilities(), sa.profile(), sa.peerIdentity());
    }

    @Override
    public String toString() {
        return "IKE SA " + connId + " " + Ipv4.format(localAddress) + " <-> " + Ipv4.format(peerAddress) + ":"
                + peerPort + " " + iosState + (established ? " " + encryption + "/" + hash + "/group" + dhGroup : "")
                + (profile != null ? " profile " + profile : "");
    }
}
