package dev.vpnrouter.ike;

import dev.vpnrouter.common.Printable;
import dev.vpnrouter.ike.cfg.IkeProposal;
import dev.vpnrouter.ike.cfg.PeerProfile;
import dev.vpnrouter.ike.crypto.IkeSaKeys;
import dev.vpnrouter.ike.wire.IsakmpHeader;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One ISAKMP SA: what it is (cookies, endpoints, its IOS state, proposal, keys and IVs, identities, profile,
 * lifetimes) and the objects of the exchanges running on it, each holding its own state ({@link #phase1}, the
 * Quick Modes in {@link #quickModes}, Xauth and Mode Config, {@link #dpd}). Owned by {@link IkeEngine}; nothing
 * here does I/O.
 */
final class IkeSa implements IkeSaView {
    /** IOS's phase-1 states as {@code debug crypto isakmp} names them. */
    enum State {
        IKE_READY, IKE_I_MM1, IKE_I_MM2, IKE_I_MM3, IKE_I_MM4, IKE_I_MM5, IKE_I_MM6, IKE_R_MM1, IKE_R_MM2,
        IKE_R_MM3, IKE_R_MM4, IKE_R_MM5, IKE_I_AM1, IKE_R_AM_AAA_AWAIT, IKE_R_AM2, IKE_P1_COMPLETE, IKE_DEST_SA;

        boolean complete() {
            return this == IKE_P1_COMPLETE;
        }
    }

    final int connId;
    final boolean initiator;
    final long initiatorCookie;
    long responderCookie;
    final int localAddress;
    int localPort;
    final int peerAddress;
    int peerPort;
    final long createdAtMillis;

    State state = State.IKE_READY;

    /** The Main or Aggressive Mode exchange that set this SA up (its DH and nonces released once done). */
    Phase1Exchange phase1;
    IkeProposal proposal;
    IkeSaKeys keys;
    long lifetimeSeconds;
    /** The phase-1 lifetime the peer proposed ({@link PeerLifetimes#NOT_OFFERED} if none): a responder whose own is
     * shorter tells it (RESPONDER-LIFETIME). */
    long offeredLifetimeSeconds = PeerLifetimes.NOT_OFFERED;
    long establishedAtMillis;
    long expiresAtMillis = Long.MAX_VALUE;
    long rekeyAtMillis = Long.MAX_VALUE;

    // identities and policy
    String peerIdentity;
    PeerProfile profile;

    // peer capabilities from vendor IDs
    boolean peerNatT; // RFC 3947 or a draft
    boolean peerNatTDraft;
    boolean peerDpd;

    // NAT-T
    boolean natLocal; // we are behind a NAT
    boolean natPeer; // the peer is behind a NAT
    /** Force ESP in UDP with this peer even without a NAT (our NAT-D is faked, we act as if behind a NAT). */
    boolean forceUdpEncapsulation;

    // Xauth / Mode Config
    boolean xauthRequired;
    boolean modeConfigDone;
    /** The hub's side of a VPN client (group, user, pool address); null for LAN-to-LAN SAs. */
    RemoteAccessSession ra;
    /** The hub's Xauth dialogue with the user; null until it starts. */
    XauthServer xauthServer;
    /** Our VPN client role on this SA; null otherwise. */
    VpnClientSession vpnClient;
    /** Our answers to the hub's Xauth; null until it asks. */
    XauthClient xauthClient;
    /** Our Mode Config pull and the split tunnels it brings up; null until it starts. */
    ModeConfigClient modeConfigClient;
    /** Transaction exchanges (Xauth, Mode Config) in progress and recent answers; null until the first. */
    TransactionState tx;

    /** Dead Peer Detection with this peer, and when it was last heard. */
    final DeadPeerDetection dpd;

    final Map<Integer, QuickModeExchange> quickModes = new HashMap<>();
    /** The phase-1 IV and each exchange's IV chain after it. */
    final MessageIvs ivs = new MessageIvs();
    final List<ChildSa> children = new ArrayList<>();
    /** Children whose rekey has started (by id), so the soft lifetime fires once. */
    final java.util.Set<Long> rekeyStarted = new java.util.HashSet<>();
    /** Rekeyed children and when they are deleted. */
    final Map<ChildSa, Long> retireAt = new HashMap<>();
    /** Child policies waiting for phase 1 to finish before their Quick Mode starts. */
    final List<PendingChild> pendingChildren = new ArrayList<>();

    long timerAtMillis = Long.MAX_VALUE;
    boolean deleted;
    /** A newer SA to the same peer took over (phase-1 rekey): no new Quick Modes start on this one. */
    boolean superseded;
    /**
     * A VPN client's phase-1 renewal, on either side ({@link ClientRenewal}, {@link RemoteAccess#takeOver}): the SA
     * this one renews, while that one lives, and the SA renewing this one, which takes its IPsec SAs when it ends.
     */
    IkeSa renews;
    IkeSa renewedBy;

    /** {@code sa}, or null when there is none or it is deleted. */
    static IkeSa live(IkeSa sa) {
        return sa == null || sa.deleted ? null : sa;
    }

    /** The hub's Xauth of this SA's user succeeded. */
    boolean xauthDone() {
        return xauthServer != null && xauthServer.succeeded();
    }

    /** Phase 1 is done and so is the login behind it (Xauth; our client's Mode Config): Quick Mode may run on it. */
    boolean readyForQuickMode() {
        return established() && (!xauthRequired || xauthDone())
                && (vpnClient == null || vpnClient.state == VpnClientSession.State.CONFIGURED);
    }

    /**
     * A VPN client's SA on our hub side: its profile gives Mode Config (a client group or {@code client configuration
     * address}), or it came in with a group. Its Quick Modes may only ever carry the address Mode Config gave it.
     */
    boolean expectsModeConfig() {
        return profile != null && (profile.clientGroup() != null || profile.modeConfigRespond()
                || profile.modeConfigInitiate()) || ra != null && ra.group != null;
    }

    /**
     * The other SA of a VPN client's phase-1 renewal (either side, either end of the link), or null; none for a
     * renewal still logging in, whose failure says nothing about the SA it renews.
     */
    IkeSa renewalPartner() {
        if (renewalUnfinished()) {
            return null;
        }
        IkeSa next = live(renewedBy);
        return next != null ? next : live(renews);
    }

    /** A renewal still logging in: it renews another SA and has not had its Mode Config. */
    boolean renewalUnfinished() {
        return renews != null && !modeConfigDone;
    }

    record PendingChild(dev.vpnrouter.ike.cfg.ChildPolicy policy, dev.vpnrouter.ike.cfg.ChildPolicy.SelectorPair pair,
            ChildSa replacing) {
    }

    IkeSa(int connId, boolean initiator, long initiatorCookie, int localAddress, int localPort, int peerAddress,
            int peerPort, long nowMillis) {
        this.connId = connId;
        this.initiator = initiator;
        this.initiatorCookie = initiatorCookie;
        this.localAddress = localAddress;
        this.localPort = localPort;
        this.peerAddress = peerAddress;
        this.peerPort = peerPort;
        this.createdAtMillis = nowMillis;
        this.dpd = new DeadPeerDetection(this, nowMillis);
    }

    byte[] initiatorCookieBytes() {
        return IsakmpHeader.cookieBytes(initiatorCookie);
    }

    byte[] responderCookieBytes() {
        return IsakmpHeader.cookieBytes(responderCookie);
    }

    boolean natDetected() {
        return natLocal || natPeer;
    }

    // ------------------------------------------------------------------ IkeSaView

    @Override
    public int connId() {
        return connId;
    }

    @Override
    public int localAddress() {
        return localAddress;
    }

    @Override
    public int peerAddress() {
        return peerAddress;
    }

    @Override
    public int peerPort() {
        return peerPort;
    }

    @Override
    public boolean initiator() {
        return initiator;
    }

    @Override
    public String iosState() {
        return switch (state) {
            case IKE_READY, IKE_I_MM1, IKE_R_MM1 -> "MM_NO_STATE";
            case IKE_I_MM2, IKE_R_MM2, IKE_I_MM3, IKE_R_MM3 -> "MM_SA_SETUP";
            case IKE_I_MM4, IKE_R_MM4, IKE_I_MM5, IKE_R_MM5, IKE_I_MM6 -> "MM_KEY_EXCH";
            case IKE_I_AM1, IKE_R_AM_AAA_AWAIT, IKE_R_AM2 -> "AG_INIT_EXCH";
            case IKE_P1_COMPLETE -> xauthRequired && !xauthDone() ? "CONF_XAUTH" : "QM_IDLE";
            case IKE_DEST_SA -> "MM_NO_STATE";
        };
    }

    @Override
    public String encryption() {
        return proposal == null ? "" : proposal.iosEncryptionName();
    }

    @Override
    public String hash() {
        return proposal == null ? "" : proposal.hash().iosName();
    }

    @Override
    public String authentication() {
        // IOS leaves Auth empty for Xauth-authenticated SAs (the seed's client line) and prints psk otherwise.
        return proposal == null || xauthRequired ? "" : "psk";
    }

    @Override
    public int dhGroup() {
        return proposal == null ? 0 : proposal.dhGroup();
    }

    @Override
    public long remainingSeconds(long nowMillis) {
        if (expiresAtMillis == Long.MAX_VALUE) {
            return 0;
        }
        return Math.max(0, (expiresAtMillis - nowMillis) / 1000);
    }

    @Override
    public String capabilities() {
        StringBuilder sb = new StringBuilder();
        if (modeConfigDone) {
            sb.append('C');
        }
        if (peerDpd && dpd.running()) {
            sb.append('D');
        }
        if (natDetected()) {
            sb.append('N');
        }
        if (xauthRequired) {
            sb.append('X');
        }
        return sb.toString();
    }

    @Override
    public String profile() {
        return profile == null ? null : profile.name();
    }

    @Override
    public String peerIdentity() {
        return peerIdentity;
    }

    @Override
    public String xauthUser() {
        return ra == null || !xauthDone() ? null : Printable.of(ra.user);
    }

    @Override
    public int assignedAddress() {
        if (ra != null) {
            return ra.address;
        }
        return vpnClient == null || vpnClient.config == null ? 0 : vpnClient.config.address();
    }

    @Override
    public boolean established() {
        return state.complete() && !deleted;
    }

    String tag() {
        return "(0:" + connId + ")";
    }
}
