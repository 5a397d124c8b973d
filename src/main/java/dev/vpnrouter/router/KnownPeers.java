package dev.vpnrouter.router;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The peer addresses the router holds an established ISAKMP SA with, which the IKE readers exempt from
 * {@link FirstMessageAdmission}'s per-source budget: that budget is keyed on a forgeable source address, so without
 * this a flood forged with a real peer's own address would drop that peer's own first messages (its phase-1
 * renewal, or its coming back) in the reader. Such a flood goes on to the engine instead, whose half-open caps and
 * stateless cookies answer it as for any peer. Written on the loop (an SA up or down), read by the reader threads.
 */
final class KnownPeers {
    /** Established ISAKMP SAs per peer address. */
    private final ConcurrentHashMap<Integer, Integer> established = new ConcurrentHashMap<>();

    void up(int peer) {
        established.merge(peer, 1, Integer::sum);
    }

    void down(int peer) {
        established.computeIfPresent(peer, (p, n) -> n == 1 ? null : n - 1);
    }

    /** Whether {@code peer} holds an established ISAKMP SA (any thread). */
    boolean contains(int peer) {
        return !established.isEmpty() && established.containsKey(peer);
    }
}
