package dev.vpnrouter.ike;

import dev.vpnrouter.ike.wire.IsakmpHeader;

/** Aggressive Mode, initiator side. Not built yet (issue 4): we never start one, so nothing arrives here. */
final class AggressiveModeInitiator {
    private AggressiveModeInitiator() {
    }

    static void onMessage2(IkeEngine engine, IkeSa sa, Datagram d, IsakmpHeader header, long now) {
    }
}
