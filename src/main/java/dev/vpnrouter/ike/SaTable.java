package dev.vpnrouter.ike;

import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.ike.wire.IsakmpHeader;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The ISAKMP SAs of one engine: found by cookie pair (or, before the responder's cookie is known, by the
 * initiator's), by connection id, and the half-open ones (responder SAs not yet authenticated) counted per source
 * and in total, oldest first, so the caps evict in O(1) whatever the number of established SAs. It decides
 * nothing about protocol; {@link IkeEngine} removes what {@link #admitHalfOpen} names. It also answers the
 * questions asked of SAs by peer: the one to start a Quick Mode on, the one negotiating, whether others exist.
 */
final class SaTable {
    record CookiePair(long initiator, long responder) {
    }

    private final Map<CookiePair, IkeSa> byCookies = new HashMap<>();
    /** Our initiator SAs by our own cookie (unique: {@link IkeEngine#newInitiatorCookie}), for MM2/AM2. */
    private final Map<Long, IkeSa> byInitiatorCookie = new HashMap<>();
    /**
     * Responder SAs by (initiator's cookie, peer address), for its repeated first message. The first SA keeps the
     * key: a spoofed first message reusing a live SA's cookie from the same address finds that SA, and one from
     * another address has a key of its own, so it can neither hijack nor unlink the live SA's entry.
     */
    private final Map<CookiePair, IkeSa> byFirstMessage = new HashMap<>();
    private final LinkedHashMap<Integer, IkeSa> byConnId = new LinkedHashMap<>();
    private final Map<Integer, ArrayDeque<IkeSa>> halfOpenByPeer = new HashMap<>();
    /** Every half-open responder SA whose peer has not yet shown it receives at its address, oldest first. */
    private final LinkedHashSet<IkeSa> halfOpen = new LinkedHashSet<>();
    /**
     * Half-open SAs whose peer echoed our cookie (MM3 came): a flood from other sources never evicts them. At most
     * half the total cap, so the unproven always have room and the cap always has an unproven SA to drop.
     */
    private final LinkedHashSet<IkeSa> proven = new LinkedHashSet<>();
    private final Map<Integer, Integer> countByPeer = new HashMap<>();
    /** The peer addresses of established SAs (as /32 networks), and which SAs count there. */
    private final HeldNetworks establishedPeers = new HeldNetworks();
    private final java.util.Set<IkeSa> counted = new java.util.HashSet<>();
    /** Quick Modes of ours or a peer's with our message out and not done, in the order they started. */
    private final LinkedHashSet<QuickModeExchange> quickModesInFlight = new LinkedHashSet<>();

    void add(IkeSa sa) {
        byConnId.put(sa.connId, sa);
        if (sa.initiator) {
            byInitiatorCookie.put(sa.initiatorCookie, sa);
        } else {
            byFirstMessage.putIfAbsent(firstMessageKey(sa.initiatorCookie, sa.peerAddress), sa);
        }
        countByPeer.merge(sa.peerAddress, 1, Integer::sum);
    }

    private static CookiePair firstMessageKey(long icookie, int peer) {
        return new CookiePair(icookie, Integer.toUnsignedLong(peer));
    }

    /** ISAKMP SAs with this peer address, in any state. */
    int countWith(int peerAddress) {
        return countByPeer.getOrDefault(peerAddress, 0);
    }

    /** What the half-open caps evict for a new SA: that source's oldest, then the oldest of any source. */
    record Evictions(List<IkeSa> perPeer, List<IkeSa> overall) {
    }

    /**
     * A new half-open responder SA: it is counted, and the SAs the caps now evict are returned, oldest first: that
     * source's oldest beyond {@code perPeer}, then the oldest of any source beyond {@code total} (never the new one).
     */
    Evictions admitHalfOpen(IkeSa sa, int perPeer, int total) {
        ArrayDeque<IkeSa> q = halfOpenByPeer.computeIfAbsent(sa.peerAddress, k -> new ArrayDeque<>());
        q.addLast(sa);
        halfOpen.add(sa);
        List<IkeSa> fromPeer = new ArrayList<>(0);
        java.util.Iterator<IkeSa> peerOldest = q.iterator();
        for (int excess = q.size() - perPeer; excess > 0 && peerOldest.hasNext(); excess--) {
            fromPeer.add(peerOldest.next());
        }
        List<IkeSa> overall = new ArrayList<>(0);
        java.util.Iterator<IkeSa> oldest = halfOpen.iterator();
        int provenLeft = proven.size();
        for (IkeSa p : fromPeer) {
            provenLeft -= proven.contains(p) ? 1 : 0;
        }
        for (int excess = halfOpen.size() + provenLeft - fromPeer.size() - total; excess > 0 && oldest.hasNext(); ) {
            IkeSa candidate = oldest.next();
            if (candidate != sa && !fromPeer.contains(candidate)) {
                overall.add(candidate);
                excess--;
            }
        }
        return new Evictions(fromPeer, overall);
    }

    /**
     * The peer of half-open {@code sa} echoed our cookie (its MM3 came to the address we sent MM2 to): from now on
     * only its own source's cap may drop it, unless proven SAs already take half of {@code total}.
     */
    void prove(IkeSa sa, int total) {
        if (proven.size() < total / 2 && halfOpen.remove(sa)) {
            proven.add(sa);
        }
    }

    /** The SA is authenticated or gone: it no longer counts as half-open. */
    void leaveHalfOpen(IkeSa sa) {
        if (!halfOpen.remove(sa) && !proven.remove(sa)) {
            return;
        }
        ArrayDeque<IkeSa> q = halfOpenByPeer.get(sa.peerAddress);
        if (q != null && q.remove(sa) && q.isEmpty()) {
            halfOpenByPeer.remove(sa.peerAddress);
        }
    }

    int halfOpenCount() {
        return halfOpen.size() + proven.size();
    }

    void setResponderCookie(IkeSa sa, long responderCookie) {
        sa.responderCookie = responderCookie;
        byCookies.put(new CookiePair(sa.initiatorCookie, responderCookie), sa);
    }

    boolean initiatorCookieInUse(long cookie) {
        return byInitiatorCookie.containsKey(cookie);
    }

    /**
     * The SA a datagram from {@code src} belongs to: by cookie pair; a first message again (zero responder cookie)
     * from the same peer is a retransmission of MM1/AM1; MM2/AM2 brings the responder's cookie to our initiator SA.
     */
    IkeSa lookup(IsakmpHeader h, int src) {
        if (h.responderCookie() == 0) {
            return byFirstMessage.get(firstMessageKey(h.initiatorCookie(), src));
        }
        IkeSa sa = byCookies.get(new CookiePair(h.initiatorCookie(), h.responderCookie()));
        if (sa == null) {
            IkeSa pending = byInitiatorCookie.get(h.initiatorCookie());
            if (pending != null && pending.initiator && pending.responderCookie == 0 && pending.peerAddress == src) {
                return pending;
            }
        }
        return sa;
    }

    /** The newest SA with {@code peer} that a Quick Mode may start on (not replaced, logged in), or null. */
    IkeSa establishedTo(int peer) {
        IkeSa best = null;
        for (IkeSa sa : byConnId.values()) {
            if (sa.peerAddress == peer && !sa.superseded && sa.readyForQuickMode()) {
                if (best == null || sa.establishedAtMillis > best.establishedAtMillis) {
                    best = sa;
                }
            }
        }
        return best;
    }

    /** Our phase 1 with {@code peer} still in progress, or null. */
    IkeSa negotiatingTo(int peer) {
        for (IkeSa sa : byConnId.values()) {
            if (sa.peerAddress == peer && sa.initiator && !sa.deleted && !sa.state.complete()) {
                return sa;
            }
        }
        return null;
    }

    /** True when another ISAKMP SA with {@code sa}'s peer is established (even one being replaced) or holds pairs. */
    boolean otherWith(IkeSa sa) {
        for (IkeSa other : byConnId.values()) {
            if (other != sa && other.peerAddress == sa.peerAddress && !other.deleted
                    && (other.state.complete() || !other.children.isEmpty())) {
                return true;
            }
        }
        return false;
    }

    /**
     * An SA pair for this selector pair of this crypto map entry is up, waits for phase 1, or is being negotiated by
     * one of our Quick Modes.
     */
    boolean carriesOrNegotiates(ChildPolicy entry, ChildPolicy.SelectorPair pair) {
        for (IkeSa sa : byConnId.values()) {
            if (sa.deleted) {
                continue;
            }
            for (ChildSa c : sa.children) {
                if (IkeEngine.sameEntry(c.policy(), entry) && c.local().equals(pair.local())
                        && c.remote().equals(pair.remote())) {
                    return true;
                }
            }
            for (IkeSa.PendingChild p : sa.pendingChildren) {
                if (IkeEngine.sameEntry(p.policy(), entry) && p.pair().equals(pair)) {
                    return true;
                }
            }
            for (QuickModeExchange qm : sa.quickModes.values()) {
                if (qm.initiator() && qm.inFlight() && IkeEngine.sameEntry(qm.policy(), entry)
                        && qm.local().equals(pair.local()) && qm.remote().equals(pair.remote())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The address of a peer other than {@code peer} inside {@code net} with an established ISAKMP SA, or 0. A
     * half-open SA proves nothing (its source may be spoofed), so a flood of first messages cannot block a claim.
     */
    int otherPeerAddressIn(TrafficSelector net, int peer) {
        return establishedPeers.otherHolder(net, peer);
    }

    /** Phase 1 of {@code sa} completed: its peer's address now counts for {@link #otherPeerAddressIn}. */
    void established(IkeSa sa) {
        if (counted.add(sa)) {
            establishedPeers.add(TrafficSelector.host(sa.peerAddress), sa.peerAddress);
        }
    }

    /**
     * A peer other than {@code peer} with a Quick Mode in flight (our QM2 sent, its QM3 not yet in) for a network
     * overlapping {@code net}, or 0: two spokes racing for one network cannot both be granted it.
     */
    int otherPeerNegotiating(TrafficSelector net, int peer) {
        for (QuickModeExchange qm : quickModesInFlight) {
            if (qm.sa.peerAddress != peer && !qm.sa.deleted && qm.remote() != null
                    && dev.vpnrouter.ike.cfg.CryptoMapDecision.overlaps(net, qm.remote())) {
                return qm.sa.peerAddress;
            }
        }
        return 0;
    }

    /** {@code qm} entered a state: in flight (our message out, not done) or not (see {@link QuickModeExchange#enter}). */
    void quickModeInFlight(QuickModeExchange qm, boolean inFlight) {
        if (inFlight) {
            quickModesInFlight.add(qm);
        } else {
            quickModesInFlight.remove(qm);
        }
    }

    int establishedCount() {
        int n = 0;
        for (IkeSa sa : byConnId.values()) {
            if (sa.established()) {
                n++;
            }
        }
        return n;
    }

    IkeSa byConnId(int connId) {
        return byConnId.get(connId);
    }

    /** Every SA in the order they were created (live view). */
    Collection<IkeSa> all() {
        return byConnId.values();
    }

    Collection<IkeSa> allReadOnly() {
        return Collections.unmodifiableCollection(byConnId.values());
    }

    int size() {
        return byConnId.size();
    }

    void remove(IkeSa sa) {
        leaveHalfOpen(sa);
        quickModesInFlight.removeAll(sa.quickModes.values());
        if (counted.remove(sa)) {
            establishedPeers.remove(TrafficSelector.host(sa.peerAddress), sa.peerAddress);
        }
        if (byConnId.remove(sa.connId) != null) {
            countByPeer.computeIfPresent(sa.peerAddress, (k, n) -> n == 1 ? null : n - 1);
        }
        if (sa.initiator) {
            byInitiatorCookie.remove(sa.initiatorCookie, sa);
        } else {
            byFirstMessage.remove(firstMessageKey(sa.initiatorCookie, sa.peerAddress), sa);
        }
        if (sa.responderCookie != 0) {
            byCookies.remove(new CookiePair(sa.initiatorCookie, sa.responderCookie), sa);
        }
    }
}
