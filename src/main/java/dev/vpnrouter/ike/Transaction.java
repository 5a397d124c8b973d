package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.wire.IsakmpHeader;

/**
 * The Transaction exchange (Xauth and Mode Config, draft-dukes-ike-mode-cfg). Not built yet (issue 4): a
 * Transaction message is dropped with a log line. An L2L peer must never get an answer here anyway.
 */
final class Transaction {
    private Transaction() {
    }

    static void onMessage(IkeEngine engine, IkeSa sa, Datagram d, IsakmpHeader header, long now) {
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Transaction exchange from "
                + Ipv4.format(sa.peerAddress) + " dropped (Xauth/Mode Config not supported yet)");
    }
}
