package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;

import java.util.List;

/**
 * The one home of when a VPN client's session is accounted ({@code client accounting list L} in its ISAKMP
 * profile): Start once Mode Config has given the client its settings (phase 1, Xauth and Mode Config done, as IOS
 * does it for EzVPN), Interim-Update every {@code aaa accounting update periodic N} minutes, Stop when the ISAKMP
 * SA goes without an heir, with why. Emits {@link IkeEffect.Account}; the host adds the counters and sends.
 */
final class SessionAccounting {
    private SessionAccounting() {
    }

    /** The session on this SA, once started. */
    static final class Session {
        final String list;
        final String id;
        final long startedAtMillis;
        long interimAtMillis = Long.MAX_VALUE;
        /** IPsec SAs of the session deleted already (a client's Delete, expiry, rekey): their traffic counts too. */
        final List<ChildSa> ended = new java.util.ArrayList<>();

        Session(String list, String id, long startedAtMillis) {
            this.list = list;
            this.id = id;
            this.startedAtMillis = startedAtMillis;
        }
    }

    /** Mode Config is done: the session starts, if the profile accounts and the session has not started yet. */
    static void start(IkeEngine engine, IkeSa sa, long now) {
        RemoteAccessSession ra = sa.ra;
        IkeSa renewed = IkeSa.live(sa.renews);
        if (ra != null && ra.accounting == null && renewed != null && renewed.ra != null
                && renewed.ra.accounting != null) {
            // A client's phase-1 renewal: the same session goes on, on the new SA.
            ra.accounting = renewed.ra.accounting;
            renewed.ra.accounting = null;
            return;
        }
        if (ra == null || ra.accounting != null || sa.profile == null || sa.profile.accountingList() == null
                || engine.policy.accountingMethods(sa.profile.accountingList()).isEmpty()) {
            return;
        }
        // Unique across restarts of the router too: the start second and the SA's connection id.
        String id = String.format("%08X%08X", (int) (now / 1000), sa.connId);
        Session s = new Session(sa.profile.accountingList(), id, now);
        ra.accounting = s;
        schedule(engine, s, now);
        engine.effect(record(IkeEffect.Account.Kind.START, sa, s, null, now));
        engine.debug(IkeEffect.DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": accounting Start, session " + id
                + " (list " + s.list + ")");
    }

    /** One of the SA's IPsec SAs is deleted: the session remembers it, for its counters. */
    static void childDeleted(IkeSa sa, ChildSa child) {
        if (sa.ra != null && sa.ra.accounting != null) {
            sa.ra.accounting.ended.add(child);
        }
    }

    static long nextInterim(IkeSa sa) {
        return sa.ra == null || sa.ra.accounting == null ? Long.MAX_VALUE : sa.ra.accounting.interimAtMillis;
    }

    static void onTimer(IkeEngine engine, IkeSa sa, long now) {
        Session s = sa.ra == null ? null : sa.ra.accounting;
        if (s == null || now < s.interimAtMillis) {
            return;
        }
        schedule(engine, s, now);
        engine.effect(record(IkeEffect.Account.Kind.INTERIM, sa, s, null, now));
    }

    /**
     * The SA goes: an heir that is a VPN client's renewal carries the session on (its IPsec SAs pass to it);
     * otherwise (or when the peer is gone, as {@link IkeEngine} decides for the IPsec SAs too) the session stops
     * with the RFC 2866 cause {@code cause} stands for. Emitted before the IPsec
     * SAs are deleted, so the host still reads their counters.
     */
    static void stop(IkeEngine engine, IkeSa sa, IkeSa heir, RemovalCause cause, boolean peerGone, long now) {
        Session s = sa.ra == null ? null : sa.ra.accounting;
        if (s == null) {
            return;
        }
        sa.ra.accounting = null;
        if (heir != null && heir.ra != null && heir.ra.accounting == null && !peerGone) {
            heir.ra.accounting = s;
            return;
        }
        IkeEffect.Account.Cause why = switch (cause) {
            case PEER_DELETED -> IkeEffect.Account.Cause.USER_REQUEST;
            case DPD, INITIAL_CONTACT -> IkeEffect.Account.Cause.LOST_CARRIER;
            case CLEARED -> IkeEffect.Account.Cause.ADMIN_RESET;
            case SHUTDOWN -> IkeEffect.Account.Cause.ADMIN_REBOOT;
            case LIFETIME_EXPIRED -> sa.ra.sessionTimeoutEndsAtMillis != 0
                    && sa.expiresAtMillis == sa.ra.sessionTimeoutEndsAtMillis
                    ? IkeEffect.Account.Cause.SESSION_TIMEOUT : IkeEffect.Account.Cause.NAS_REQUEST;
            default -> IkeEffect.Account.Cause.NAS_REQUEST;
        };
        engine.effect(record(IkeEffect.Account.Kind.STOP, sa, s, why, now));
        engine.debug(IkeEffect.DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": accounting Stop, session " + s.id
                + " (" + why + ")");
    }

    private static void schedule(IkeEngine engine, Session s, long now) {
        int minutes = engine.policy.accountingPeriodicMinutes();
        s.interimAtMillis = minutes > 0 ? now + minutes * 60_000L : Long.MAX_VALUE;
    }

    private static IkeEffect.Account record(IkeEffect.Account.Kind kind, IkeSa sa, Session s,
            IkeEffect.Account.Cause cause, long now) {
        return new IkeEffect.Account(kind, s.list, s.id, sa.ra.user, sa.ra.address, sa.peerAddress,
                Ipv4.format(sa.peerAddress), s.startedAtMillis, now, List.copyOf(sa.children), List.copyOf(s.ended),
                cause);
    }
}
