package dev.vpnrouter.dataplane;

import dev.vpnrouter.ike.cfg.ChildPolicy;

import java.util.List;

/** What to do with a cleartext packet that arrived on the inside (TUN or lab LAN). */
public sealed interface OutboundResult {

    /**
     * Send these ESP packets (one, or several when the inner packet was fragmented before encryption to fit the
     * MTU), in order.
     */
    record Seal(List<EspDatagram> datagrams) implements OutboundResult {
        public Seal {
            datagrams = List.copyOf(datagrams);
        }
    }

    /**
     * No SA yet for a static crypto map entry whose ACL matched: the packet waits in the entry's queue. Start IKE
     * with {@code engine.connect(entry, pair, now)} (exactly this entry and ACL line) or
     * {@code engine.acquire(flow...)}; when the SA is installed, {@link DataPlane#install} returns the queued
     * packets sealed. Issued again for the same entry only after {@link DataPlaneConfig#acquireRetryMillis()}.
     */
    record Acquire(ChildPolicy entry, ChildPolicy.SelectorPair pair, InnerFlow flow) implements OutboundResult {
    }

    /** Queued behind an acquire already under way: nothing to do. */
    enum Queued implements OutboundResult { INSTANCE }

    /** Matched no crypto map ACL and no SA: forward in clear. */
    enum Bypass implements OutboundResult { INSTANCE }

    /**
     * Too big for the path with DF set: send this ICMP "fragmentation needed" (type 3 code 4, RFC 1191) back
     * toward the inner source, from the router's inside address. The original packet is dropped.
     */
    record IcmpError(byte[] packet, int nextHopMtu) implements OutboundResult {
    }

    /** Dropped (and counted). */
    record Drop(OutboundDrop reason) implements OutboundResult {
    }
}
