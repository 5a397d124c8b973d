package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;

/**
 * Xauth, server side (we ask the peer for user and password). Not built yet (issue 4): a peer whose profile
 * requires Xauth is refused after phase 1, so it never gets a Quick Mode without authenticating its user.
 */
final class XauthServer {
    private XauthServer() {
    }

    static void start(IkeEngine engine, IkeSa sa, long now) {
        engine.refuse(sa, "profile " + sa.profile() + " requires Xauth, which is not supported yet (peer "
                + Ipv4.format(sa.peerAddress) + ")", now);
    }
}
