package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.wire.IsakmpHeader;

/**
 * Aggressive Mode, responder side. Not built yet (issue 4: remote access): an Aggressive Mode request is refused
 * with a log line and leaves no state.
 */
final class AggressiveModeResponder {
    private AggressiveModeResponder() {
    }

    static void onMessage1(IkeEngine engine, Datagram d, IsakmpHeader header, long now) {
        engine.counters.negotiationsFailed++;
        engine.counters.lastFailure = "Aggressive Mode is not supported yet";
        engine.debug(DebugCategory.ISAKMP, "ISAKMP: Aggressive Mode from " + Ipv4.format(d.src())
                + " refused: not supported yet");
    }

    static void onMessage3(IkeEngine engine, IkeSa sa, Datagram d, IsakmpHeader header, long now) {
    }
}
