package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.common.Printable;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.cfg.AddressPoolConfig;
import dev.vpnrouter.ike.cfg.ClientGroup;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What remote access needs across SAs, owned by one {@link IkeEngine}: the address pools, the group limits
 * ({@code max-users}, {@code max-logins}), INITIAL-CONTACT by user, and the clean-up when a client SA goes (its
 * address back to the pool, its IPsec SAs with it). Also the timers of Xauth and Mode Config.
 */
final class RemoteAccess {
    private final IkeEngine engine;
    private final Map<String, AddressPool> pools = new HashMap<>();
    /** Admitted client SAs per group, and per group and user: max-users and max-logins without a scan. */
    private final Map<String, Integer> usersByGroup = new HashMap<>();
    private final Map<String, Integer> loginsByGroupUser = new HashMap<>();
    /** Client SAs past phase 1 by peer address and port, for INITIAL-CONTACT without a scan. */
    private final Map<Long, Set<IkeSa>> clientsByEndpoint = new HashMap<>();

    RemoteAccess(IkeEngine engine) {
        this.engine = engine;
    }

    static RemoteAccessSession session(IkeSa sa) {
        if (sa.ra == null) {
            sa.ra = new RemoteAccessSession();
            if (sa.profile != null) {
                sa.ra.group = sa.profile.clientGroup();
                sa.ra.authenticationList = sa.profile.authenticationList();
            }
        }
        return sa.ra;
    }

    /**
     * The group a client SA is held to: the one an authorization server gave it, else the configuration's of its
     * name (following reconfiguration); null for none.
     */
    static ClientGroup groupOf(IkeEngine engine, RemoteAccessSession ra) {
        if (ra == null || ra.group == null) {
            return null;
        }
        return ra.serverGroup != null ? ra.serverGroup : engine.policy.clientGroup(ra.group);
    }

    /** Pools that have served this engine (a pool removed from the configuration still takes releases). */
    java.util.Set<String> servingPools() {
        return pools.keySet();
    }

    /** The run-time pool of {@code ip local pool NAME}, following reconfiguration; null when not configured. */
    AddressPool pool(String name) {
        AddressPoolConfig config = engine.policy.addressPool(name);
        AddressPool pool = pools.get(name);
        if (config == null) {
            return pool; // removed from the configuration: still serves releases of what it handed out
        }
        if (pool == null || !pool.config().equals(config)) {
            AddressPool fresh = new AddressPool(config);
            if (pool != null) {
                fresh.adopt(pool);
            }
            pools.put(name, fresh);
            pool = fresh;
        }
        return pool;
    }

    /** The configured pools as {@link dev.vpnrouter.policy.UserAuthorization} decides over them. */
    dev.vpnrouter.policy.UserAuthorization.Pools poolsView() {
        return new dev.vpnrouter.policy.UserAuthorization.Pools() {
            @Override
            public boolean exists(String name) {
                return engine.policy.addressPool(name) != null;
            }

            @Override
            public boolean contains(String name, int address) {
                AddressPool p = exists(name) ? pool(name) : null;
                return p != null && p.contains(address);
            }

            @Override
            public String holder(String name, int address) {
                AddressPool p = exists(name) ? pool(name) : null;
                return p == null ? null : p.owner(address);
            }
        };
    }

    Map<String, AddressPool> pools() {
        return Collections.unmodifiableMap(pools);
    }

    /**
     * {@code max-users} (SAs of the group) and {@code max-logins} (SAs of the same user in the group): null when
     * the client may stay, else why not. Checked once per SA, when its user is known.
     */
    String admit(IkeSa sa) {
        RemoteAccessSession ra = sa.ra;
        if (ra.admitted || takeOver(sa)) {
            return null;
        }
        ClientGroup group = groupOf(engine, ra);
        if (group != null) {
            int users = usersByGroup.getOrDefault(ra.group, 0);
            int logins = ra.user == null ? 0 : loginsByGroupUser.getOrDefault(loginKey(ra.group, ra.user), 0);
            if (group.maxUsers() > 0 && users >= group.maxUsers()) {
                return "group " + ra.group + ": max-users " + group.maxUsers() + " reached, client "
                        + Ipv4.format(sa.peerAddress) + " refused";
            }
            if (ra.user != null && group.maxLogins() > 0 && logins >= group.maxLogins()) {
                return "group " + ra.group + ": user " + Printable.of(ra.user) + " already has " + logins
                        + " login(s), max-logins " + group.maxLogins();
            }
        }
        ra.admitted = true;
        ra.countedGroup = ra.group;
        ra.countedUser = ra.user;
        if (ra.countedGroup != null) {
            usersByGroup.merge(ra.countedGroup, 1, Integer::sum);
            if (ra.countedUser != null) {
                loginsByGroupUser.merge(loginKey(ra.countedGroup, ra.countedUser), 1, Integer::sum);
            }
        }
        return null;
    }

    /**
     * A client renewing its phase 1: a new SA from the same address and port, for the same group and user, while
     * the old one lives. The new SA takes over the old one's login and shares its address, so the limits count the
     * client once and Mode Config gives it the address it has. When the old SA ends, the address and its IPsec SAs
     * stay with the new one; when the new one ends first (the renewal failed), the login goes back to the old one
     * ({@link #beforeRemove}). False when there is nothing to take over.
     */
    private boolean takeOver(IkeSa sa) {
        Set<IkeSa> samePeer = clientsByEndpoint.get(endpoint(sa));
        if (samePeer == null) {
            return false;
        }
        RemoteAccessSession ra = sa.ra;
        String owner = ra.owner(sa);
        for (IkeSa old : samePeer) {
            RemoteAccessSession before = old.ra;
            if (old != sa && !old.deleted && before.admitted && before.address != 0 && old.renewedBy == null
                    && old.renews == null && before.owner(old).equals(owner)) {
                ra.admitted = true;
                moveLogin(before, ra);
                ra.poolName = before.poolName;
                ra.address = before.address;
                sa.renews = old;
                old.renewedBy = sa;
                old.superseded = true;
                engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": " + owner + " at "
                        + Ipv4.format(sa.peerAddress) + " renews phase 1 of conn-id " + old.connId + ", keeping "
                        + Ipv4.format(ra.address));
                return true;
            }
        }
        return false;
    }

    private static void moveLogin(RemoteAccessSession from, RemoteAccessSession to) {
        to.countedGroup = from.countedGroup;
        to.countedUser = from.countedUser;
        from.countedGroup = null;
        from.countedUser = null;
    }

    private static String loginKey(String group, String user) {
        return group + "\0" + user;
    }

    private static long endpoint(IkeSa sa) {
        return ((long) sa.peerAddress << 16) | sa.peerPort;
    }

    /** A client SA finished phase 1: from now on INITIAL-CONTACT from its address and port can find it. */
    void track(IkeSa sa) {
        if (sa.ra != null && !sa.ra.tracked) {
            sa.ra.tracked = true;
            sa.ra.trackedEndpoint = endpoint(sa);
            clientsByEndpoint.computeIfAbsent(sa.ra.trackedEndpoint, k -> new HashSet<>()).add(sa);
        }
    }

    /**
     * INITIAL-CONTACT from a client: its older SAs are stale. As IOS does ("bring down existing phase 1 and 2 SA's
     * with ... remote port"), the same peer is the same address and port: clients behind one NAT share the address,
     * and users may share an account. The old SA's address goes back to the pool first, so the user gets it again.
     */
    void applyInitialContact(IkeSa fresh, long now) {
        RemoteAccessSession ra = fresh.ra;
        if (ra == null || !ra.initialContact) {
            return;
        }
        ra.initialContact = false;
        Set<IkeSa> samePeer = clientsByEndpoint.get(endpoint(fresh));
        if (samePeer == null) {
            return;
        }
        for (IkeSa old : new ArrayList<>(samePeer)) {
            if (old != fresh && !old.deleted) {
                engine.debug(DebugCategory.ISAKMP, "ISAKMP " + fresh.tag() + ": Process initial contact, bring down"
                        + " existing phase 1 and 2 SA's with local " + Ipv4.format(fresh.localAddress) + " remote "
                        + Ipv4.format(old.peerAddress) + " remote port " + old.peerPort);
                engine.remove(old, RemovalCause.INITIAL_CONTACT, false, now);
            }
        }
    }

    /**
     * A client SA is going: its IPsec SAs go with it (the address they carry goes back to the pool, so they must
     * not outlive it) and the address is returned. Called by {@link IkeEngine#remove} before anything else.
     */
    void beforeRemove(IkeSa sa, boolean notifyPeer, long now) {
        RemoteAccessSession ra = sa.ra;
        if (ra == null) {
            return;
        }
        if (ra.tracked) {
            Set<IkeSa> set = clientsByEndpoint.get(ra.trackedEndpoint);
            if (set != null && set.remove(sa) && set.isEmpty()) {
                clientsByEndpoint.remove(ra.trackedEndpoint);
            }
            ra.tracked = false;
        }
        IkeSa successor = IkeSa.live(sa.renewedBy);
        IkeSa takenFrom = IkeSa.live(sa.renews);
        sa.renewedBy = null;
        sa.renews = null;
        if (takenFrom != null) {
            // A renewal that did not finish: the old SA keeps the login, the address and any tunnel made here.
            takenFrom.renewedBy = null;
            takenFrom.superseded = false;
            moveLogin(ra, takenFrom.ra);
            takenFrom.children.addAll(sa.children);
            sa.children.clear();
            ra.address = 0;
            return;
        }
        if (successor != null) {
            // The old SA of a renewal ends: address and tunnels stay with the new one (ChildSas.heirOf).
            successor.renews = null;
            ra.address = 0;
            return;
        }
        if (ra.admitted && ra.countedGroup != null) {
            usersByGroup.computeIfPresent(ra.countedGroup, (k, v) -> v > 1 ? v - 1 : null);
            if (ra.countedUser != null) {
                loginsByGroupUser.computeIfPresent(loginKey(ra.countedGroup, ra.countedUser),
                        (k, v) -> v > 1 ? v - 1 : null);
            }
            ra.countedGroup = null;
        }
        if (ra.address == 0) {
            return;
        }
        for (ChildSa c : new ArrayList<>(sa.children)) {
            engine.children.delete(sa, c, "client SA deleted", notifyPeer, now);
        }
        AddressPool pool = ra.poolName == null ? null : pools.get(ra.poolName);
        if (pool != null) {
            pool.release(ra.address);
        }
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": returning IP addr " + Ipv4.format(ra.address)
                + " to the address pool");
        ra.address = 0;
    }

    /** Refuses a client after phase 1: one line, a Delete to the peer when asked, and the SA is gone. */
    void fail(IkeSa sa, NegotiationFailure why, String reason, boolean notifyPeer, long now) {
        engine.effectsRefusal(sa, why, reason);
        engine.remove(sa, RemovalCause.ofRefusal(why), reason, notifyPeer, now);
    }

    // ------------------------------------------------------------------ timers

    static long nextDeadline(IkeSa sa) {
        long t = Long.MAX_VALUE;
        if (sa.tx != null) {
            t = Math.min(t, sa.tx.retransmission().dueAtMillis());
        }
        if (sa.xauthServer != null) {
            t = Math.min(t, sa.xauthServer.deadlineMillis());
        }
        if (sa.vpnClient != null) {
            t = Math.min(t, sa.vpnClient.waitDeadlineMillis);
        }
        return t;
    }

    static void onTimer(IkeEngine engine, IkeSa sa, long now) {
        if (sa.tx != null) {
            TransactionState tx = sa.tx;
            Retransmission.Verdict v = engine.driver.retransmit(tx.retransmission(), now, () -> "ISAKMP " + sa.tag()
                    + ": retransmitting transaction " + Integer.toUnsignedString(tx.outstandingMid()) + " ("
                    + tx.outstanding() + ")");
            if (v == Retransmission.Verdict.GIVE_UP) {
                if (tx.outstanding() == TransactionState.Kind.XAUTH_REQUEST && sa.xauthServer != null
                        && sa.xauthServer.deadlineMillis() > now
                        && sa.xauthServer.deadlineMillis() != Long.MAX_VALUE) {
                    // A person may still be typing: the xauth timeout decides, not the retransmissions.
                    engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Xauth request unanswered,"
                            + " waiting for the user until the xauth timeout");
                } else {
                    String what = String.valueOf(tx.outstanding());
                    tx.gaveUp();
                    engine.remoteAccess.fail(sa, NegotiationFailure.TIMEOUT, "no answer from " + Ipv4.format(sa.peerAddress) + " to our "
                            + what + " (transaction)", true, now);
                    return;
                }
            }
        }
        if (sa.xauthServer != null && now >= sa.xauthServer.deadlineMillis() && !sa.xauthDone()) {
            sa.xauthServer.timedOut(now);
            return;
        }
        if (sa.vpnClient != null && now >= sa.vpnClient.waitDeadlineMillis) {
            sa.vpnClient.waitDeadlineMillis = Long.MAX_VALUE;
            ModeConfigClient.noXauthCame(engine, sa, now);
        }
    }
}
