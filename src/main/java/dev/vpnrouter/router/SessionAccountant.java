package dev.vpnrouter.router;

import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.IkeEffect;
import dev.vpnrouter.ike.cfg.EnginePolicy;
import dev.vpnrouter.radius.AccountingQueue;
import dev.vpnrouter.radius.AccountingRecords;
import dev.vpnrouter.radius.Attribute;
import dev.vpnrouter.radius.RadiusLogins;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Carries out the engine's {@link IkeEffect.Account} on the runtime's loop: the record's attributes (counters of
 * the session's IPsec SAs read from the data plane now), queued per RADIUS group in an {@link AccountingQueue}
 * (nothing lost while the servers are silent, within its bound), sent through the router's one
 * {@link RadiusLogins} off the loop; answers come back to the loop by {@code onLoop}. Loop thread only.
 */
final class SessionAccountant {
    /** A session's IPsec SA's traffic: octets and packets from the client (in) and to it (out). */
    record ChildCounters(long inOctets, long outOctets, long inPackets, long outPackets) {
    }

    static final int QUEUE_CAPACITY = 10_000;
    static final int IN_FLIGHT = 16;
    static final long RETRY_MILLIS = 5_000;

    private final Map<String, AccountingQueue> queues = new HashMap<>();
    private final Consumer<Runnable> onLoop;
    private Function<ChildSa, ChildCounters> counters = c -> null;
    /**
     * The last counters of deleted IPsec SAs, read before the data plane forgot them, for the session records that
     * name them as ended; bounded (oldest forgotten first), as a Stop normally follows within seconds.
     */
    private final java.util.LinkedHashMap<Long, ChildCounters> retired = new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ChildCounters> eldest) {
            return size() > RETIRED_CAPACITY;
        }
    };
    static final int RETIRED_CAPACITY = 65_536;

    SessionAccountant(Consumer<Runnable> onLoop) {
        this.onLoop = onLoop;
    }

    void useCounters(Function<ChildSa, ChildCounters> counters) {
        this.counters = counters;
    }

    /** An IPsec SA is being deleted (its counters still readable): keeps them for the session that owned it. */
    void childDeleted(ChildSa child) {
        if (queues.isEmpty()) {
            return; // no session was ever accounted (its Start makes its group's queue): nothing to keep, no lock
        }
        ChildCounters k = counters.apply(child);
        if (k != null) {
            retired.put(child.id(), k);
        }
    }

    /** Queues the record for the first group of its list (IOS sends accounting to one group); sends what is due. */
    void account(IkeEffect.Account a, EnginePolicy policy, RadiusLogins radius, int nasAddress, long now) {
        String group = policy.accountingGroup(a.list());
        if (group == null) {
            return; // a list of 'none' only: IOS sends nothing either
        }
        AccountingRecords.Session s = new AccountingRecords.Session(a.sessionId(), a.user(), a.framedAddress(),
                a.callingStation(), nasAddress);
        List<Attribute> attributes = switch (a.kind()) {
            case START -> AccountingRecords.start(s);
            case INTERIM -> AccountingRecords.interim(s, counters(a));
            case STOP -> AccountingRecords.stop(s, counters(a), cause(a.cause()));
        };
        queues.computeIfAbsent(group, g -> new AccountingQueue(QUEUE_CAPACITY, IN_FLIGHT, RETRY_MILLIS))
                .offer(attributes, now);
        pump(radius, now);
    }

    /** Records not yet taken by a server, over every group. */
    int waiting() {
        int n = 0;
        for (AccountingQueue q : queues.values()) {
            n += q.size();
        }
        return n;
    }

    /** Sends every record due now; called on each turn of the loop, so retries go when their time comes. */
    void pump(RadiusLogins radius, long now) {
        for (Map.Entry<String, AccountingQueue> e : queues.entrySet()) {
            AccountingQueue q = e.getValue();
            if (q.nextDue() > now) {
                continue;
            }
            for (AccountingQueue.Due d : q.due(now)) {
                radius.account(e.getKey(), d.attributes()).whenComplete((taken, failure) -> onLoop.accept(() -> {
                    if (Boolean.TRUE.equals(taken)) {
                        q.answered(d.id());
                    } else {
                        q.unanswered(d.id(), System.currentTimeMillis());
                    }
                }));
            }
        }
    }

    private AccountingRecords.Counters counters(IkeEffect.Account a) {
        long in = 0, out = 0, inPackets = 0, outPackets = 0;
        List<ChildCounters> all = new java.util.ArrayList<>();
        for (ChildSa c : a.children()) {
            all.add(counters.apply(c));
        }
        for (ChildSa c : a.ended()) {
            all.add(a.kind() == IkeEffect.Account.Kind.STOP ? retired.remove(c.id()) : retired.get(c.id()));
        }
        for (ChildCounters k : all) {
            if (k != null) {
                in += k.inOctets();
                out += k.outOctets();
                inPackets += k.inPackets();
                outPackets += k.outPackets();
            }
        }
        return new AccountingRecords.Counters(in, out, inPackets, outPackets,
                Math.max(0, (a.atMillis() - a.startedAtMillis()) / 1000));
    }

    private static AccountingRecords.TerminateCause cause(IkeEffect.Account.Cause c) {
        return switch (c) {
            case USER_REQUEST -> AccountingRecords.TerminateCause.USER_REQUEST;
            case LOST_CARRIER -> AccountingRecords.TerminateCause.LOST_CARRIER;
            case SESSION_TIMEOUT -> AccountingRecords.TerminateCause.SESSION_TIMEOUT;
            case ADMIN_RESET -> AccountingRecords.TerminateCause.ADMIN_RESET;
            case NAS_REQUEST -> AccountingRecords.TerminateCause.NAS_REQUEST;
            case ADMIN_REBOOT -> AccountingRecords.TerminateCause.ADMIN_REBOOT;
        };
    }
}
