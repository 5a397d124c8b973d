package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;

import java.util.ArrayList;

/**
 * Our VPN client renews its phase 1 before the hub ends it: a new Aggressive Mode with the same group, Xauth
 * answered from the profile again, Mode Config pulled again. When the hub gives the same address, the tunnels carry
 * on (they rekey on the new SA, and pass to it when the old one ends) and nothing changes for the user. The two
 * SAs are linked ({@link IkeSa#renews}, {@link IkeSa#renewedBy}) until then.
 */
final class ClientRenewal {
    /** After a renewal that failed (Xauth refused, no answer), the next try; the old SA serves meanwhile. */
    static final long RETRY_MILLIS = 30_000;
    /**
     * A renewal not configured by then has failed, even if the hub said nothing (its Delete lost): the old SA takes
     * over again. Room for the hub's retransmissions of every step.
     */
    static final long TIMEOUT_MILLIS = 90_000;

    private ClientRenewal() {
    }

    /** When an unfinished renewal of ours gives up; never for other SAs. */
    static long deadline(IkeSa sa) {
        return sa.vpnClient != null && sa.renewalUnfinished() ? sa.createdAtMillis + TIMEOUT_MILLIS : Long.MAX_VALUE;
    }

    /** The soft lifetime of {@code old} is reached. */
    static void start(IkeEngine engine, IkeSa old, long now) {
        VpnClientSession client = old.vpnClient;
        if (client.state != VpnClientSession.State.CONFIGURED || old.renewedBy != null) {
            old.superseded = false; // still connecting, or a renewal runs: look again later
            old.rekeyAtMillis = now + RETRY_MILLIS;
            return;
        }
        IkeSa sa = AggressiveModeInitiator.startClient(engine, client.profile, now);
        sa.vpnClient.previousConfig = client.config;
        sa.vpnClient.previousPolicy = client.childPolicy;
        sa.renews = old;
        old.renewedBy = sa;
    }

    /**
     * Mode Config on {@code sa}, now configured with {@code config}. The same address as before: the renewal is
     * done, true. Another address (the hub took it as a new login): the old tunnels carry an address we no longer
     * have, so they go with the old SA, and false: {@code sa} sets up as a fresh connection. False as well for an
     * SA that renews nothing.
     */
    static boolean onModeConfig(IkeEngine engine, IkeSa sa, ClientConfig config, long now) {
        VpnClientSession client = sa.vpnClient;
        ClientConfig before = client.previousConfig;
        if (before == null) {
            return false;
        }
        client.previousConfig = null; // the renewal is finished; the link to the old SA stays while it lives
        if (before.address() == config.address()) {
            client.childPolicy = client.previousPolicy;
            client.previousPolicy = null;
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": phase 1 with " + Ipv4.format(sa.peerAddress)
                    + " renewed, address " + Ipv4.format(config.address()) + " kept; the tunnels carry on");
            return true;
        }
        client.previousPolicy = null;
        IkeSa old = IkeSa.live(sa.renews);
        sa.renews = null;
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": phase 1 with " + Ipv4.format(sa.peerAddress)
                + " renewed with a new address " + Ipv4.format(config.address()) + ": setting up again");
        // The old SA's tunnels, wherever they are now (this SA took them over if the old one has ended).
        for (ChildSa c : new ArrayList<>(sa.children)) {
            engine.children.delete(sa, c, "client address changed", true, now);
        }
        if (old != null) {
            old.renewedBy = null;
            for (ChildSa c : new ArrayList<>(old.children)) {
                engine.children.delete(old, c, "client address changed", true, now);
            }
            engine.remove(old, RemovalCause.RENEWED_WITH_NEW_ADDRESS, true, now);
        }
        return false;
    }

    /**
     * {@code sa} is going. If it renews an SA that still lives (the renewal failed, or the new SA ended first), the
     * old SA serves on and tries again later. If it is the old SA, its successor takes its tunnels
     * ({@link ChildSas#heirOf}).
     */
    static void beforeRemove(IkeEngine engine, IkeSa sa, long now) {
        IkeSa old = IkeSa.live(sa.renews);
        sa.renews = null;
        if (old == null) {
            return;
        }
        old.renewedBy = null;
        old.superseded = false;
        old.rekeyAtMillis = Math.min(now + RETRY_MILLIS, old.expiresAtMillis);
        old.children.addAll(sa.children); // none expected: no Quick Mode runs before Mode Config
        sa.children.clear();
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + old.tag() + ": the SA renewing this one with "
                + Ipv4.format(old.peerAddress) + " ended; this one serves on and renews again");
        engine.reschedule(old);
    }
}
