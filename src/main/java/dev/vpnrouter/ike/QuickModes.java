package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.wire.IsakmpDecodeException;
import dev.vpnrouter.ike.wire.IsakmpHeader;

/** Routes a Quick Mode message to its exchange by message ID, answering retransmissions from the cache. */
final class QuickModes {
    private QuickModes() {
    }

    static void onMessage(IkeEngine engine, IkeSa sa, Datagram d, IsakmpHeader header, long now)
            throws IsakmpDecodeException {
        if (!sa.established()) {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Quick Mode before phase 1 completed, dropped");
            return;
        }
        QuickModeExchange qm = sa.quickModes.get(header.messageId());
        if (qm != null && engine.driver.resendReply(qm.replies(), d)) {
            return;
        }
        if (qm == null) {
            if (sa.xauthRequired && !sa.xauthDone()) {
                engine.counters.phase2Started++; // begun by the peer, refused at once
                engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Quick Mode from "
                        + Ipv4.format(sa.peerAddress) + " before Xauth completed, refused");
                engine.effectsRefusal(sa, NegotiationFailure.XAUTH, "phase 2: Quick Mode before Xauth completed");
                return;
            }
            QuickModeResponder.onMessage1(engine, sa, d, header, now);
        } else {
            qm.onMessage(d, header, now);
        }
    }
}
