package dev.vpnrouter.ike;

import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.VpnClientProfile;


/**
 * Our VPN client role on one SA: the profile it connects with, where it is in Xauth and Mode Config, and what the
 * hub sent, carried across a phase-1 renewal ({@link ClientRenewal}). Plain state on {@link IkeSa#vpnClient}; the
 * Xauth and Mode Config exchanges keep their own ({@link XauthClient}, {@link ModeConfigClient}).
 */
final class VpnClientSession {
    enum State { AGGRESSIVE_MODE, WAITING_FOR_XAUTH, XAUTH_ANSWERED, MODE_CONFIG_REQUESTED, CONFIGURED }

    /** After phase 1, how long we wait for the hub's Xauth request before pulling Mode Config anyway. */
    static final long XAUTH_WAIT_MILLIS = 10_000;

    final VpnClientProfile profile;
    State state = State.AGGRESSIVE_MODE;
    long waitDeadlineMillis = Long.MAX_VALUE;
    ClientConfig config;
    /** The crypto map entry synthesised from the Mode Config answer (split networks, PFS). */
    ChildPolicy childPolicy;
    /** What the renewed SA had ({@link ClientRenewal}): kept even if that SA ends before this one is configured. */
    ClientConfig previousConfig;
    ChildPolicy previousPolicy;

    VpnClientSession(VpnClientProfile profile) {
        this.profile = profile;
    }
}
