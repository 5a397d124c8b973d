package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.cfg.ChildPolicy;

import java.util.ArrayList;
import java.util.Map;

/**
 * Everything time does to an ISAKMP SA: retransmissions, the half-open timeout, DPD, lifetimes, and rekeying
 * before expiry (soft lifetime at 85-90% with per-SA jitter, so the new SA carries traffic before the old one
 * goes and both sides rarely rekey at once).
 */
final class SaTimers {
    /** A negotiation that has not finished in this time is abandoned. */
    static final long HALF_OPEN_TIMEOUT_MILLIS = 75_000;
    /** How long a rekeyed child SA stays after its successor is up, for packets in flight. */
    static final long RETIRE_GRACE_MILLIS = 30_000;
    /** Finished Quick Mode exchanges are kept this long to answer retransmissions. */
    static final long QM_LINGER_MILLIS = 60_000;

    private SaTimers() {
    }

    /**
     * When an initiator's IPsec SA pair is renewed: at 90% of its lifetime less 0-5%, chosen by the pair's random
     * inbound SPI. (By its id alone, every spoke's first pair, id 1 in each spoke, would renew in the same second.)
     */
    static long softExpiry(ChildSa c) {
        long life = c.lifetimeSeconds() * 1000;
        long jitter = Math.floorMod((c.inboundSpi() ^ c.id()) * 2654435761L, 1000) * life / 20_000;
        return c.createdAtMillis() + life * 9 / 10 - jitter;
    }

    static long next(IkeSa sa) {
        if (sa.deleted) {
            return Long.MAX_VALUE;
        }
        long t = sa.phase1.retransmission().dueAtMillis();
        if (!sa.state.complete()) {
            t = Math.min(t, sa.createdAtMillis + HALF_OPEN_TIMEOUT_MILLIS);
        }
        t = Math.min(t, sa.expiresAtMillis);
        if (!sa.superseded) {
            t = Math.min(t, sa.rekeyAtMillis);
        }
        t = Math.min(t, sa.dpd.dueAtMillis());
        t = Math.min(t, RemoteAccess.nextDeadline(sa));
        t = Math.min(t, SessionAccounting.nextInterim(sa));
        t = Math.min(t, ClientRenewal.deadline(sa));
        for (QuickModeExchange qm : sa.quickModes.values()) {
            t = Math.min(t, !qm.inFlight() ? qm.startedAtMillis() + QM_LINGER_MILLIS
                    : Math.min(qm.retransmission().dueAtMillis(), qm.startedAtMillis() + HALF_OPEN_TIMEOUT_MILLIS));
        }
        for (ChildSa c : sa.children) {
            t = Math.min(t, c.expiresAtMillis());
            if (c.initiator() && !sa.rekeyStarted.contains(c.id())) {
                t = Math.min(t, softExpiry(c));
            }
        }
        for (long at : sa.retireAt.values()) {
            t = Math.min(t, at);
        }
        return t;
    }

    /**
     * Why a VPN client may have left after our Aggressive Mode answer: it cannot verify HASH_R with another group
     * key, and an unknown group got a decoy answer it cannot verify either. The client never says so on the wire.
     */
    private static String stalledHint(IkeSa sa) {
        if (!(sa.phase1 instanceof AggressiveModeResponder)) {
            return "";
        }
        if (sa.ra != null && sa.ra.decoyReason != null) {
            return " (" + sa.ra.decoyReason + ": the client got an answer it cannot verify)";
        }
        return " (a client that cannot verify HASH_R has another group key)";
    }

    static void fire(IkeEngine engine, IkeSa sa, long now) {
        if (engine.driver.retransmit(sa.phase1.retransmission(), now, () -> "ISAKMP " + sa.tag()
                + ": retransmitting phase 1 " + sa.iosState() + "...") == Retransmission.Verdict.GIVE_UP) {
            engine.refuse(sa, NegotiationFailure.TIMEOUT, "phase 1: no answer from peer " + Ipv4.format(sa.peerAddress) + " in "
                    + sa.iosState() + stalledHint(sa), now);
            return;
        }
        if (!sa.state.complete() && now >= sa.createdAtMillis + HALF_OPEN_TIMEOUT_MILLIS) {
            engine.refuse(sa, NegotiationFailure.TIMEOUT, "phase 1: negotiation with " + Ipv4.format(sa.peerAddress) + " timed out in "
                    + sa.iosState() + stalledHint(sa), now);
            return;
        }
        if (now >= sa.expiresAtMillis) {
            engine.remove(sa, RemovalCause.LIFETIME_EXPIRED, true, now);
            return;
        }
        if (now >= sa.rekeyAtMillis && !sa.superseded) {
            sa.superseded = true;
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": phase 1 soft lifetime reached, renewing");
            if (sa.vpnClient != null) {
                ClientRenewal.start(engine, sa, now);
            } else if (engine.sas.negotiatingTo(sa.peerAddress) == null) {
                MainModeInitiator.start(engine, sa.peerAddress, now);
            }
        }
        if (now >= ClientRenewal.deadline(sa)) {
            engine.remove(sa, RemovalCause.RENEWAL_TIMEOUT, true, now);
            return;
        }
        RemoteAccess.onTimer(engine, sa, now);
        if (sa.deleted) {
            return;
        }
        if (now >= sa.dpd.dueAtMillis()) {
            sa.dpd.onTimer(engine, now);
            if (sa.deleted) {
                return;
            }
        }
        SessionAccounting.onTimer(engine, sa, now);
        quickModes(engine, sa, now);
        children(engine, sa, now);
    }

    private static void quickModes(IkeEngine engine, IkeSa sa, long now) {
        // A copy: a Quick Mode given up may start a VPN client's next split tunnel (ModeConfigClient).
        for (QuickModeExchange qm : new ArrayList<>(sa.quickModes.values())) {
            if (!qm.inFlight()) {
                if (now >= qm.startedAtMillis() + QM_LINGER_MILLIS) {
                    sa.quickModes.remove(qm.messageId());
                    engine.driver.exchangeEnded(sa, qm.messageId());
                }
                continue;
            }
            Retransmission.Verdict v = engine.driver.retransmit(qm.retransmission(), now, null);
            if (v == Retransmission.Verdict.GIVE_UP || now >= qm.startedAtMillis() + HALF_OPEN_TIMEOUT_MILLIS) {
                qm.fail(NegotiationFailure.TIMEOUT, "phase 2: no answer from peer "
                        + Ipv4.format(sa.peerAddress) + " to Quick Mode " + Integer.toUnsignedString(qm.messageId()),
                        now);
            }
        }
    }

    private static void children(IkeEngine engine, IkeSa sa, long now) {
        for (ChildSa c : new ArrayList<>(sa.children)) {
            if (now >= c.expiresAtMillis()) {
                sa.retireAt.remove(c);
                engine.children.delete(sa, c, "lifetime expired", true, now);
                continue;
            }
            if (c.initiator() && now >= softExpiry(c)) {
                rekey(engine, sa, c, now);
            }
        }
        for (Map.Entry<ChildSa, Long> e : new ArrayList<>(sa.retireAt.entrySet())) {
            if (now >= e.getValue()) {
                sa.retireAt.remove(e.getKey());
                engine.children.delete(sa, e.getKey(), "rekeyed", true, now);
            }
        }
    }

    /**
     * Starts the Quick Mode that replaces {@code c} (once per child): on the newest usable ISAKMP SA to the peer,
     * or after a new Main Mode when there is none.
     */
    static void rekey(IkeEngine engine, IkeSa sa, ChildSa c, long now) {
        if (!sa.rekeyStarted.add(c.id())) {
            return;
        }
        IkeSa target;
        if (sa.ra != null) {
            // A hub's client: its own SA or the one renewing it; clients behind one NAT share the peer address.
            IkeSa next = IkeSa.live(sa.renewedBy);
            target = next != null && next.readyForQuickMode() ? next : null;
        } else {
            target = engine.sas.establishedTo(sa.peerAddress);
        }
        if (target == null) {
            target = sa.established() ? sa : null;
        }
        ChildPolicy.SelectorPair pair = new ChildPolicy.SelectorPair(c.local(), c.remote());
        engine.debug(DebugCategory.IPSEC, "IPSEC: SA " + c.id() + " reached its soft lifetime, rekeying");
        // A client's old SA (either side) serves until its successor has logged in: Main Mode is no way to a client
        // or to its hub.
        boolean client = sa.vpnClient != null || sa.ra != null;
        if (target != null && (!target.superseded || client)) {
            QuickModeInitiator.start(engine, target, c.policy(), pair, c, now);
        } else if (client) {
            engine.debug(DebugCategory.IPSEC, "IPSEC: SA " + c.id() + " not rekeyed: no ISAKMP SA with "
                    + Ipv4.format(sa.peerAddress));
        } else {
            IkeSa negotiating = engine.sas.negotiatingTo(sa.peerAddress);
            if (negotiating == null) {
                negotiating = MainModeInitiator.start(engine, sa.peerAddress, now);
            }
            negotiating.pendingChildren.add(new IkeSa.PendingChild(c.policy(), pair, c));
        }
    }

    /** A child was replaced by a fresh one: delete it after a grace period, telling the peer. */
    static void retireLater(IkeEngine engine, IkeSa newOwner, ChildSa old, long now) {
        for (IkeSa sa : engine.allSas()) {
            if (sa.children.contains(old)) {
                sa.retireAt.put(old, now + RETIRE_GRACE_MILLIS);
                engine.reschedule(sa);
                return;
            }
        }
    }
}
