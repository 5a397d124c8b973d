package dev.vpnrouter.dataplane;

import dev.vpnrouter.esp.EspCounters;
import dev.vpnrouter.esp.EspLifetimeState;
import dev.vpnrouter.ike.ChildSa;

/**
 * One installed SA pair as {@code show crypto ipsec sa} needs it.
 *
 * @param peerPort     where outbound packets go now (follows NAT rebinding; 0 for raw ESP)
 * @param current      the newest SA of its selector pair: the one that seals
 * @param kilobytesOut kilobytes sealed, to subtract from the kilobyte lifetime ("remaining key lifetime")
 */
public record SaStatus(ChildSa child, int peerAddress, int peerPort, boolean current, SaCounters counters,
        EspCounters outbound, EspCounters inbound, EspLifetimeState outboundState, EspLifetimeState inboundState,
        long kilobytesOut, long kilobytesIn) {
}
