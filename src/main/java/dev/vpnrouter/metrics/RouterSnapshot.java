package dev.vpnrouter.metrics;

import dev.vpnrouter.ike.NegotiationFailure;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The router's numbers at one instant, taken on the runtime's loop thread (the only thread that may read the engine
 * and the data plane) and then read by the scrape. Immutable. Counters are cumulative since the router started.
 *
 * @param takenAtMillis wall clock of the loop when taken
 */
public record RouterSnapshot(long takenAtMillis, Ike ike, Esp esp, List<Pool> pools) {

    public RouterSnapshot {
        pools = List.copyOf(pools);
    }

    /** Before the first snapshot: every number 0, no pools. */
    public static final RouterSnapshot EMPTY = new RouterSnapshot(0,
            new Ike(0, 0, 0, 0, 0, 0, 0, Map.of(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            new Esp(0, 0, 0, 0, 0, 0), List.of());

    /**
     * The IKE side.
     *
     * @param sasUp           ISAKMP SAs with phase 1 complete
     * @param sasNegotiating  ISAKMP SAs still negotiating phase 1
     * @param ipsecSasUp      IPsec SA pairs installed (in the data plane when there is one)
     * @param phase1Started   ISAKMP negotiations begun (either role, rekeys included)
     * @param phase2Started   Quick Modes begun (either role)
     * @param phase1Succeeded phase 1 completed
     * @param phase2Succeeded IPsec SA pairs negotiated
     * @param failed          refusals by class (every class present)
     * @param halfOpenDropped half-open ISAKMP SAs dropped by the caps (per source, and the call admission limit)
     * @param aggressiveRateLimited AM1s dropped unanswered over the Aggressive Mode rate
     * @param badMessagesDropped MM5/AM3 that did not decrypt or verify, dropped with the negotiation left to go on
     * @param cookiesSent       stateless MM2s sent under pressure (Main Mode cookies)
     * @param cookiesUnanswered MM1s under pressure left unanswered
     * @param cookiesRedeemed   MM3s whose cookie verified (each made a proven SA)
     * @param cookiesRejected   Main Mode messages with a responder cookie that nothing verified
     */
    public record Ike(int sasUp, int sasNegotiating, int ipsecSasUp, long phase1Started, long phase2Started,
            long phase1Succeeded, long phase2Succeeded, Map<NegotiationFailure, Long> failed, long datagramsIn,
            long datagramsOut, long retransmits, long malformed, long halfOpenDropped, long aggressiveRateLimited,
            long badMessagesDropped, long cookiesSent, long cookiesUnanswered, long cookiesRedeemed,
            long cookiesRejected) {

        public Ike {
            EnumMap<NegotiationFailure, Long> all = new EnumMap<>(NegotiationFailure.class);
            for (NegotiationFailure f : NegotiationFailure.values()) {
                all.put(f, failed.getOrDefault(f, 0L));
            }
            failed = Collections.unmodifiableMap(all);
        }

        public long failed(NegotiationFailure reason) {
            return failed.get(reason);
        }
    }

    /**
     * The ESP side: inner packets and bytes through the SAs (as {@code show crypto ipsec sa} counts them, summed over
     * every SA the router has had, deleted ones included), and the data plane's drops.
     */
    public record Esp(long packetsIn, long packetsOut, long bytesIn, long bytesOut, long droppedIn,
            long droppedOut) {
    }

    /** One {@code ip local pool}: addresses handed out now, and its size. */
    public record Pool(String name, long inUse, long size) {
    }
}
