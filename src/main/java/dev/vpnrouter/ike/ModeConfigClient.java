package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.ike.wire.ConfigType;
import dev.vpnrouter.ike.wire.DataAttribute;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Mode Config, client side (our VPN client role): REQUEST the settings (pull, as the Cisco client and vpnc do) or
 * take the hub's SET, report them as {@link IkeEffect.ClientConfigured}, then bring up Quick Mode: the assigned
 * address to each split network, or to 0.0.0.0/0 when the hub sent none. The split tunnels come up one at a time
 * ({@link #quickModeEnded}): one REPLY starts one Quick Mode, however many networks it lists. One object per client
 * SA ({@link IkeSa#modeConfigClient}), holding the tunnels still to bring up.
 */
final class ModeConfigClient {
    /** Our APPLICATION_VERSION. */
    static final String VERSION = "vpnrouter VPN client";
    /**
     * The most split networks we bring tunnels up for; the rest of a longer list is ignored (and logged). Our own
     * bound, not a Cisco figure: a 64 KB REPLY could otherwise list over 4,000 networks, each a Quick Mode.
     */
    static final int MAX_SPLIT_TUNNELS = 64;
    /** An ADDRESS_EXPIRY below this is ignored: our bound, as IOS's least phase-1 lifetime is 60 s. */
    static final long MIN_ADDRESS_EXPIRY_SECONDS = 10;

    private final IkeEngine engine;
    private final IkeSa sa;
    /** Tunnels not yet (re)negotiated, started one after another. */
    private final ArrayDeque<IkeSa.PendingChild> splitTunnelsToStart = new ArrayDeque<>();

    private ModeConfigClient(IkeEngine engine, IkeSa sa) {
        this.engine = engine;
        this.sa = sa;
    }

    /** The client SA's Mode Config, made when it is first needed. */
    static ModeConfigClient of(IkeEngine engine, IkeSa sa) {
        if (sa.modeConfigClient == null) {
            sa.modeConfigClient = new ModeConfigClient(engine, sa);
        }
        return sa.modeConfigClient;
    }

    /** After Xauth (or without it): ask for our settings. */
    static void start(IkeEngine engine, IkeSa sa, long now) {
        of(engine, sa).request(now);
    }

    private void request(long now) {
        VpnClientSession client = sa.vpnClient;
        client.waitDeadlineMillis = Long.MAX_VALUE;
        client.state = VpnClientSession.State.MODE_CONFIG_REQUESTED;
        int identifier = engine.random.nextInt(0xffff) + 1;
        int mid = Transaction.sendRequest(engine, sa, TransactionState.Kind.MODECFG_REQUEST,
                ConfigType.ISAKMP_CFG_REQUEST, identifier, ModeConfigAttributes.clientRequest(VERSION), now);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Mode Config: requesting settings from "
                + Ipv4.format(sa.peerAddress) + ", message ID = " + Integer.toUnsignedString(mid));
    }

    /** No Xauth request came after phase 1: the hub does not use Xauth here, so ask for the settings anyway. */
    static void noXauthCame(IkeEngine engine, IkeSa sa, long now) {
        if (sa.vpnClient.state == VpnClientSession.State.WAITING_FOR_XAUTH) {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": no Xauth request from "
                    + Ipv4.format(sa.peerAddress) + ", pulling Mode Config");
            of(engine, sa).request(now);
        }
    }

    void onReply(Transaction.Message m, long now) {
        sa.tx.answered(engine.driver, sa);
        configured(ModeConfigAttributes.decode(m.attr().attributes()), now);
    }

    /** The hub pushes the settings (IOS {@code client configuration address initiate}): ACK what we took. */
    void onSet(Transaction.Message m, long now) {
        List<DataAttribute> ack = new ArrayList<>();
        for (DataAttribute a : m.attr().attributes()) {
            if (ModeConfigAttributes.SUPPORTED.contains(a.type())) {
                ack.add(DataAttribute.empty(a.type()));
            }
        }
        Transaction.sendAnswer(engine, sa, m, ConfigType.ISAKMP_CFG_ACK, ack);
        if (sa.tx.outstanding() == TransactionState.Kind.MODECFG_REQUEST) {
            sa.tx.answered(engine.driver, sa); // the SET answers our pull as well
        }
        if (sa.vpnClient.state != VpnClientSession.State.CONFIGURED) {
            configured(ModeConfigAttributes.decode(m.attr().attributes()), now);
        }
    }

    private void configured(ClientConfig config, long now) {
        VpnClientSession client = sa.vpnClient;
        if (config.address() == 0) {
            engine.remoteAccess.fail(sa, NegotiationFailure.POLICY, "Mode Config: hub " + Ipv4.format(sa.peerAddress) + " assigned no address",
                    true, now);
            return;
        }
        client.config = config;
        client.state = VpnClientSession.State.CONFIGURED;
        sa.modeConfigDone = true;
        lifetimeFromHub(config, now);
        if (ClientRenewal.onModeConfig(engine, sa, config, now)) {
            return;
        }
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Mode Config from "
                + Ipv4.format(sa.peerAddress) + ": " + config.describe());
        engine.clientConfigured(sa, config);

        TrafficSelector us = TrafficSelector.host(config.address());
        List<ChildPolicy.SelectorPair> pairs = new ArrayList<>();
        if (config.splitNetworks().isEmpty()) {
            pairs.add(new ChildPolicy.SelectorPair(us, TrafficSelector.ANY));
        } else {
            for (TrafficSelector net : config.splitNetworks()) {
                if (pairs.size() == MAX_SPLIT_TUNNELS) {
                    engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Mode Config from "
                            + Ipv4.format(sa.peerAddress) + " lists " + config.splitNetworks().size()
                            + " split networks; tunnels for the first " + MAX_SPLIT_TUNNELS + " only");
                    break;
                }
                pairs.add(new ChildPolicy.SelectorPair(us, net));
            }
        }
        int pfsGroup = config.pfs() ? sa.proposal.dhGroup() : 0;
        client.childPolicy = new ChildPolicy("client", 1, false, null, 0, List.of(sa.peerAddress), ChildPolicy.permits(pairs), null,
                client.profile.espProposals(), pfsGroup, client.profile.phase2LifetimeSeconds(), 0, null, false);
        splitTunnelsToStart.clear();
        for (ChildPolicy.SelectorPair pair : pairs) {
            splitTunnelsToStart.add(new IkeSa.PendingChild(client.childPolicy, pair, null));
        }
        startNextSplitTunnel(now);
    }

    /**
     * The hub's ADDRESS_EXPIRY is what is left of its phase 1 (IOS and our hub send it). Aggressive Mode only echoes
     * the lifetime we offered, so a hub with a shorter one tells us here: renew before it, as for our own.
     */
    private void lifetimeFromHub(ClientConfig config, long now) {
        long seconds = config.addressExpirySeconds();
        if (seconds < MIN_ADDRESS_EXPIRY_SECONDS || seconds > Integer.MAX_VALUE) {
            return; // a few seconds would mean a renewal every few seconds; beyond 68 years means nothing
        }
        long life = seconds * 1000;
        if (now + life >= sa.expiresAtMillis) {
            return;
        }
        sa.expiresAtMillis = now + life;
        long jitter = Math.floorMod(sa.initiatorCookie, 1000) * life / 20_000; // 0..5%, per SA, as for IPsec SAs
        sa.rekeyAtMillis = Math.min(sa.rekeyAtMillis, now + life * 9 / 10 - jitter);
        engine.reschedule(sa);
    }

    /**
     * The hub deleted one of our tunnels: negotiate it again (a VPN client has no traffic trigger of its own), in
     * the same one-at-a-time line, so a Delete listing every SPI does not start every Quick Mode at once.
     */
    void renegotiate(ChildSa child, long now) {
        splitTunnelsToStart.add(new IkeSa.PendingChild(child.policy(),
                new ChildPolicy.SelectorPair(child.local(), child.remote()), null));
        startNextSplitTunnel(now);
    }

    /**
     * A Quick Mode of ours on {@code sa} ended (installed, refused or given up): a VPN client brings up its next split
     * tunnel. One at a time, so that one message from the hub (the REPLY, a QM2, a refusal) starts at most one
     * Quick Mode: a REPLY listing N networks must not open N exchanges (N nonces, SPIs, DH key pairs) at once.
     */
    static void quickModeEnded(IkeEngine engine, IkeSa sa, QuickModeInitiator qm, long now) {
        if (sa.vpnClient != null && qm.replacing() == null && !sa.deleted) {
            of(engine, sa).startNextSplitTunnel(now);
        }
    }

    private void startNextSplitTunnel(long now) {
        for (QuickModeExchange qm : sa.quickModes.values()) {
            if (qm instanceof QuickModeInitiator qi && qi.replacing() == null
                    && qi.state() == QuickModeExchange.State.QM_I1_SENT) {
                return; // one in flight: its end starts the next
            }
        }
        IkeSa.PendingChild next = splitTunnelsToStart.pollFirst();
        if (next != null) {
            QuickModeInitiator.start(engine, sa, next.policy(), next.pair(), null, now);
        }
    }
}
