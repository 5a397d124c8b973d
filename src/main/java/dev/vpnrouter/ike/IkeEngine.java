package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.CryptoMapDecision;
import dev.vpnrouter.ike.cfg.EnginePolicy;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.ike.wire.ExchangeType;
import dev.vpnrouter.ike.wire.IsakmpCodec;
import dev.vpnrouter.ike.wire.IsakmpDecodeException;
import dev.vpnrouter.ike.wire.IsakmpHeader;
import dev.vpnrouter.ike.wire.ExchangeType;
import dev.vpnrouter.syslog.IosMessages;
import dev.vpnrouter.syslog.RateLimiter;
import dev.vpnrouter.syslog.RouterMessage;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The IKEv1 engine of one router: sans-IO. Feed it datagrams ({@link #receive}), timer ticks ({@link #tick}) and
 * requests for SAs ({@link #acquire}); collect what it wants done with {@link #drain}. It is the dispatcher: a
 * datagram goes to its SA ({@link SaTable}), through the {@link ExchangeDriver} (repeats, protection) to the
 * exchange object that owns it ({@link IkeSa#phase1}, a {@link QuickModeExchange} by message ID, the Transaction
 * and Informational handlers), which queues effects here. Engine-wide: the SAs' lifecycle ({@link #remove}), the
 * {@link TimerQueue}, the IPsec SA pairs ({@link ChildSas}), {@link ClearCommands}, acquires and configuration.
 */
public final class IkeEngine {
    /**
     * Half-open (not yet authenticated) SAs allowed per source address; oldest dropped first. The total is the
     * policy's {@code crypto call admission limit ike in-negotiation-sa} ({@link EnginePolicy#inNegotiationLimit}).
     */
    public static final int HALF_OPEN_PER_PEER = 16;
    /** The total without {@code crypto call admission}. */
    public static final int HALF_OPEN_TOTAL = EnginePolicy.DEFAULT_IN_NEGOTIATION_LIMIT;

    /** Replaced by {@link #reconfigure}; the exchange classes read it when a negotiation needs it. */
    EnginePolicy policy;
    final SecureRandom random;
    private int localAddress;
    private boolean debug;

    final SaTable sas = new SaTable();
    /** The IPsec SA pairs, who holds them and who inherits them. */
    final ChildSas children = new ChildSas(this);
    private final TimerQueue timers = new TimerQueue();
    private final ClearCommands clear = new ClearCommands(this);

    private final List<IkeEffect> effects = new ArrayList<>();
    private int nextConnId = 1;
    private long authenticationTickets;
    private final byte[] cookieSecret = new byte[20];

    final IkeCounters counters = new IkeCounters();
    /** %CRYPTO-4-IKMP_NO_SA at most once a minute per source, ten a minute in all: stray datagrams can be a flood. */
    private final RateLimiter noSaMessages = new RateLimiter(60_000, 10);
    /**
     * Refusals of first messages (their source unproven, maybe spoofed) at most once a minute per source and ten a
     * minute in all; every one is still counted.
     */
    private final RateLimiter unprovenRefusals = new RateLimiter(60_000, 10);
    /** Stateless Main Mode once half-open SAs pile up ({@link MainModeResponder#answerStatelessly}). */
    final MainModeCookies mainModeCookies;
    /** New Aggressive Mode negotiations per source and in total (they cannot wait for a proven address). */
    final AggressiveModeAdmission aggressiveAdmission = new AggressiveModeAdmission();
    /** Message IDs, retransmissions, cached replies and message protection, for every exchange. */
    final ExchangeDriver driver = new ExchangeDriver(this);
    /** Remote access across SAs: address pools, group limits, clean-up of client SAs (issue 4). */
    final RemoteAccess remoteAccess = new RemoteAccess(this);
    /** What lifetimes the peers name become (issue 14). */
    final PeerLifetimes peerLifetimes = new PeerLifetimes(this);

    public IkeEngine(EnginePolicy policy, int localAddress, SecureRandom random) {
        this.policy = policy;
        this.localAddress = localAddress;
        this.random = random;
        random.nextBytes(cookieSecret);
        this.mainModeCookies = new MainModeCookies(random);
    }

    /**
     * From how many half-open SAs on MM1 is answered statelessly (0: always; negative: the default, the
     * in-negotiation limit, so a full table answers statelessly rather than evicting). For tests that must see the cookie path with a real peer, and for operators' tuning.
     */
    public void mainModeCookiesFrom(int halfOpen) {
        mainModeCookies.threshold(halfOpen);
    }

    private final Set<Integer> forceUdpEncapsulation = new HashSet<>();
    private boolean forceUdpEncapsulationForAll;

    /**
     * Forces ESP in UDP (RFC 3948) with this peer even when NAT-D finds no NAT, for paths that drop IP protocol
     * 50: our NAT-D payload for our own address is faked, so the peer believes we are behind a NAT and floats to
     * 4500, and we act as if we were (strongSwan's {@code encap = yes} does the same). Needs a peer that speaks
     * NAT-T. Applies to IKE SAs set up from now on.
     */
    public void forceUdpEncapsulation(int peerAddress) {
        forceUdpEncapsulation.add(peerAddress);
    }

    /** As {@link #forceUdpEncapsulation(int)} for every peer. */
    public void forceUdpEncapsulationForAllPeers() {
        forceUdpEncapsulationForAll = true;
    }

    /** Emits {@link IkeEffect.KeyLog} for every ISAKMP SA: for decrypting captures only, never on by default. */
    public void setKeyLog(boolean on) {
        this.keyLog = on;
    }

    private boolean keyLog;

    void keysDerived(IkeSa sa) {
        if (keyLog) {
            effects.add(new IkeEffect.KeyLog(sa.initiatorCookie, sa.keys.encryptionKey()));
        }
    }

    public void setDebug(boolean on) {
        this.debug = on;
    }

    public boolean debug() {
        return debug;
    }

    public int localAddress() {
        return localAddress;
    }

    public EnginePolicy policy() {
        return policy;
    }

    /**
     * {@code configure terminal}: negotiations from now on use {@code newPolicy}; SAs that exist keep what they
     * negotiated and live on (their lifetimes, DPD and rekeys go on; a rekey asks the new policy). Crypto map
     * entries are recognised across the change by map name and sequence, so traffic does not bring up a second
     * SA pair for an entry that has one.
     */
    public void reconfigure(EnginePolicy newPolicy) {
        this.policy = newPolicy;
    }

    /** The same crypto map entry, possibly from another version of the configuration. */
    static boolean sameEntry(ChildPolicy a, ChildPolicy b) {
        return a == b || a != null && b != null && a.mapName().equals(b.mapName()) && a.sequence() == b.sequence()
                && a.dynamic() == b.dynamic() && a.dynamicSequence() == b.dynamicSequence();
    }

    public IkeCounters counters() {
        return counters;
    }

    /**
     * The outside address changed (a DHCP spoke got a new lease): every SA on the old address is gone. They are
     * dropped without a Delete (the old address no longer reaches anyone); the peer's DPD clears its side.
     */
    public void changeLocalAddress(int newAddress, long nowMillis) {
        if (newAddress == localAddress) {
            return;
        }
        debug(DebugCategory.ISAKMP, "ISAKMP: local address changed from " + Ipv4.format(localAddress) + " to "
                + Ipv4.format(newAddress) + ", clearing all SAs");
        for (IkeSa sa : new ArrayList<>(sas.all())) {
            remove(sa, RemovalCause.LOCAL_ADDRESS_CHANGED, false, nowMillis);
        }
        localAddress = newAddress;
    }

    // ------------------------------------------------------------------ inputs

    /** A datagram arrived on UDP 500 or 4500 (non-ESP marker already stripped). */
    public void receive(Datagram datagram, long nowMillis) {
        counters.received++;
        try {
            dispatch(datagram, nowMillis);
        } catch (IsakmpDecodeException e) {
            counters.malformed++;
            debug(DebugCategory.ISAKMP, "ISAKMP: dropped malformed packet from " + Ipv4.format(datagram.src()) + ": "
                    + e.getMessage());
        } catch (RuntimeException e) {
            // A bug, not bad input: never let it escape into the host's I/O loop, but count it so tests fail.
            counters.internalErrors++;
            counters.lastInternalError = e;
            debug(DebugCategory.ISAKMP, "ISAKMP: internal error on packet from " + Ipv4.format(datagram.src()) + ": "
                    + e);
        }
    }

    private void dispatch(Datagram d, long now) throws IsakmpDecodeException {
        IsakmpHeader header = IsakmpCodec.decodeHeader(d.data());
        IkeSa sa = sas.lookup(header, d.src());
        if (sa == null) {
            if (header.exchangeType() == ExchangeType.IDENTITY_PROTECTION && header.responderCookie() == 0) {
                receivedPacket(null, d);
                MainModeResponder.onMessage1(this, d, header, now);
            } else if (header.exchangeType() == ExchangeType.AGGRESSIVE && header.responderCookie() == 0) {
                receivedPacket(null, d);
                AggressiveModeResponder.onMessage1(this, d, header, now);
            } else if (header.exchangeType() == ExchangeType.IDENTITY_PROTECTION
                    && MainModeResponder.onCookieEcho(this, d, header, now)) {
                return;
            } else {
                counters.unknownSa++;
                if (noSaMessages.allow(Integer.toUnsignedLong(d.src()), now)) {
                    log(IosMessages.noSa(Ipv4.format(d.src())));
                }
                debug(DebugCategory.ISAKMP, "ISAKMP: no SA for cookies " + Long.toHexString(header.initiatorCookie())
                        + "/" + Long.toHexString(header.responderCookie()) + " from " + Ipv4.format(d.src())
                        + ", dropped");
            }
            return;
        }
        if (sa.deleted) {
            return;
        }
        receivedPacket(sa, d);
        if (header.exchangeType() == ExchangeType.IDENTITY_PROTECTION
                || header.exchangeType() == ExchangeType.AGGRESSIVE) {
            if (driver.phase1Repeat(sa, sa.phase1.replies(), d)) {
                return;
            }
        }
        switch (header.exchangeType()) {
            case ExchangeType.IDENTITY_PROTECTION, ExchangeType.AGGRESSIVE -> sa.phase1.onMessage(d, header, now);
            case ExchangeType.QUICK_MODE -> QuickModes.onMessage(this, sa, d, header, now);
            case ExchangeType.INFORMATIONAL -> Informational.onMessage(this, sa, d, header, now);
            case ExchangeType.TRANSACTION -> Transaction.onMessage(this, sa, d, header, now);
            default -> {
                counters.malformed++;
                debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": unsupported exchange type "
                        + ExchangeType.name(header.exchangeType()));
            }
        }
        if (!sa.deleted) {
            reschedule(sa);
        }
    }

    /**
     * An authenticated message arrived on an established SA. A peer behind a NAT whose mapping changed (the NAT
     * rebooted or forgot it) now comes from another port: follow it, as RFC 3947 asks, or every reply (DPD acks
     * included) would go to a port nobody listens on and the peer would have to start over.
     */
    void heardFrom(IkeSa sa, Datagram d, long now) {
        sa.dpd.heard(now);
        if (sa.natPeer && d.src() == sa.peerAddress && d.srcPort() != sa.peerPort
                && d.dstPort() == Datagram.NAT_T_PORT) {
            debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": NAT-T: peer " + Ipv4.format(sa.peerAddress)
                    + " moved from port " + sa.peerPort + " to " + d.srcPort());
            sa.peerPort = d.srcPort();
            sa.localPort = d.dstPort();
        }
    }

    /** Timers: retransmissions, lifetimes, rekeys, DPD. Call at or after {@link #nextTimerMillis()}. */
    public void tick(long nowMillis) {
        children.expireOrphans(nowMillis);
        IkeSa sa;
        while ((sa = timers.pollDue(nowMillis)) != null) {
            try {
                SaTimers.fire(this, sa, nowMillis);
            } catch (RuntimeException e) {
                counters.internalErrors++;
                counters.lastInternalError = e;
                debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": internal error in timer: " + e);
            }
            if (!sa.deleted) {
                reschedule(sa);
            }
        }
    }

    /** When {@link #tick} next has work, or {@link Long#MAX_VALUE}. */
    public long nextTimerMillis() {
        return Math.min(timers.nextMillis(), children.nextOrphanExpiry());
    }

    void reschedule(IkeSa sa) {
        timers.schedule(sa);
    }

    /** Entries in the timer queue, live and stale (tests: a flood must not grow it without bound). */
    int timerQueueSize() {
        return timers.size();
    }

    /**
     * Traffic matched a static crypto map entry but no SA carries it: bring one up (the spoke's behaviour), as
     * IOS does on the first packet. Returns false when no static entry covers the packet.
     */
    public boolean acquire(int source, int destination, int protocol, int destinationPort, long nowMillis) {
        CryptoMapDecision decision = cryptoMapDecision();
        int line = decision.protectingLine(source, destination, protocol, 0, destinationPort);
        if (line < 0) {
            return false;
        }
        CryptoMapDecision.StaticLine l = decision.staticLines().get(line);
        connect(l.entry(), l.pair(), nowMillis);
        return true;
    }

    private List<ChildPolicy> decidedMap;
    private CryptoMapDecision decision;

    /** The decision over the policy's crypto map now (rebuilt when the policy hands out another map). */
    CryptoMapDecision cryptoMapDecision() {
        List<ChildPolicy> map = policy.cryptoMap();
        if (map != decidedMap) {
            decision = new CryptoMapDecision(map, policy.protectedNetworks());
            decidedMap = map;
        }
        return decision;
    }

    /** What the decision must know of live peers: their outside addresses and the networks they negotiated. */
    CryptoMapDecision.LivePeers livePeers() {
        return new CryptoMapDecision.LivePeers() {
            @Override
            public int otherPeerHolding(TrafficSelector net, int peer) {
                int holder = children.otherPeerHolding(net, peer);
                return holder != 0 ? holder : sas.otherPeerNegotiating(net, peer);
            }

            @Override
            public int otherPeerAddressIn(TrafficSelector net, int peer) {
                return sas.otherPeerAddressIn(net, peer);
            }
        };
    }

    /**
     * Our VPN client role: Aggressive Mode to the hub with the group name and key, then Xauth with the user and
     * password, Mode Config pull and Quick Mode for what the hub sent; {@link IkeEffect.ClientConfigured} reports
     * the settings. Returns the new SA (not yet established).
     */
    public IkeSaView connectClient(dev.vpnrouter.ike.cfg.VpnClientProfile profile, long nowMillis) {
        ClientFailover client = clientOf(profile.hub());
        if (client != null && !client.profile().equals(profile)) {
            clients.remove(client); // new credentials or gateways: never log in with the old ones
            client = null;
        }
        if (client == null) {
            client = new ClientFailover(profile);
            clients.add(client);
        }
        client.startAt(profile.hub());
        return loginTo(client, nowMillis);
    }

    private IkeSa loginTo(ClientFailover client, long nowMillis) {
        IkeSa sa = AggressiveModeInitiator.startClient(this, client.currentProfile(), client.firstContactResends(),
                nowMillis);
        reschedule(sa);
        return sa;
    }

    /** Our VPN client whose gateways include {@code gateway}, or null. */
    private ClientFailover clientOf(int gateway) {
        for (ClientFailover c : clients) {
            if (c.includes(gateway)) {
                return c;
            }
        }
        return null;
    }

    /** Whether our VPN client has an ISAKMP SA (up or logging in) with any of its gateways. */
    private boolean loggedInOrLoggingIn(ClientFailover client) {
        for (IkeSa sa : sas.all()) {
            if (!sa.deleted && sa.vpnClient != null && client.includes(sa.peerAddress)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code sa}, a login of our VPN client, went because its gateway cannot be reached: unless another SA of the
     * client lives on (the other half of a renewal), log in to the next gateway ({@link ClientFailover}).
     */
    private void clientGatewayUnreachable(IkeSa sa, long nowMillis) {
        ClientFailover client = clientOf(sa.peerAddress);
        if (client == null || loggedInOrLoggingIn(client)) {
            return;
        }
        int next = client.next(sa.peerAddress);
        if (next == 0) {
            debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": VPN client: gateway " + Ipv4.format(sa.peerAddress)
                    + " unreachable, no other gateway to try " + client.gateways().stream().map(Ipv4::format)
                    .toList());
            return;
        }
        debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": VPN client: gateway " + Ipv4.format(sa.peerAddress)
                + " unreachable, logging in to backup gateway " + Ipv4.format(next));
        loginTo(client, nowMillis);
    }

    /**
     * The pools to report: the configuration's now (after any reconfiguration), then any removed one that still
     * has addresses out.
     */
    public List<String> addressPoolNames() {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>(policy.addressPoolNames());
        names.addAll(remoteAccess.servingPools());
        return List.copyOf(names);
    }

    /** The run-time state of {@code ip local pool NAME} (what {@code show ip local pool} prints), or null. */
    public AddressPool addressPool(String name) {
        return remoteAccess.pool(name);
    }

    /** The VPN clients this engine connected: their gateways and credentials, to log in again after the SAs go. */
    private final List<ClientFailover> clients = new ArrayList<>();
    /** Set by {@link #stop}: no new negotiation starts (the loop runs its last tasks without reading IKE). */
    private boolean stopping;

    /**
     * Traffic matched {@code entry} and no SA carries it. A router brings the pair up (Main Mode first if need be);
     * our VPN client logs in again (Aggressive Mode, Xauth, Mode Config), as the Cisco client's auto-reconnect
     * does, unless an ISAKMP SA to its hub is still there (its renewal and rekeys bring the tunnels back).
     */
    public void acquire(ChildPolicy entry, ChildPolicy.SelectorPair pair, long nowMillis) {
        if (stopping) {
            return; // the router is stopping: traffic after its Deletes starts no negotiation
        }
        ClientFailover client = entry.peers().isEmpty() ? null : clientOf(entry.peers().getFirst());
        if (client == null) {
            connect(entry, pair, nowMillis);
        } else if (!loggedInOrLoggingIn(client)) {
            client.startAt(client.current());
            loginTo(client, nowMillis);
        }
    }

    /** Brings up every selector pair of every static crypto map entry (what "initiate at start" means). */
    public void connectAll(long nowMillis) {
        for (ChildPolicy entry : policy.cryptoMap()) {
            if (!entry.dynamic() && !entry.peers().isEmpty()) {
                for (ChildPolicy.SelectorPair pair : entry.selectors()) {
                    connect(entry, pair, nowMillis);
                }
            }
        }
    }

    /** Brings up an SA pair for one selector pair of a static entry, unless one is up or being negotiated. */
    public void connect(ChildPolicy entry, ChildPolicy.SelectorPair pair, long nowMillis) {
        if (stopping || sas.carriesOrNegotiates(entry, pair)) {
            return;
        }
        int peer = entryPeers.current(entry);
        IkeSa sa = sas.establishedTo(peer);
        if (sa != null) {
            QuickModeInitiator.start(this, sa, entry, pair, null, nowMillis);
            return;
        }
        IkeSa negotiating = sas.negotiatingTo(peer);
        if (negotiating == null) {
            negotiating = MainModeInitiator.start(this, peer, nowMillis);
        }
        negotiating.pendingChildren.add(new IkeSa.PendingChild(entry, pair, null));
    }

    /** Which {@code set peer} each static crypto map entry uses now. */
    private final EntryPeers entryPeers = new EntryPeers();

    /** The peer a static crypto map entry negotiates with now ({@code show crypto map}'s "Current peer"). */
    public int currentPeer(ChildPolicy entry) {
        return entryPeers.current(entry);
    }

    /**
     * Negotiating with {@code peer} failed: static entries using it move to their next {@code set peer}
     * ({@link EntryPeers}). When the peer cannot be reached (DPD dead, phase 1 unanswered) the moved entries come
     * up with the next peer at once, as they came up at start; after a refusal the next traffic brings them up,
     * so two refusing peers are never tried in a tight loop.
     */
    private void staticPeerFailed(int peer, boolean unreachable, long nowMillis) {
        List<ChildPolicy> using = entryPeers.using(policy.cryptoMap(), peer);
        if (using.isEmpty() || sas.establishedTo(peer) != null) {
            return; // no entry to move, or another SA with the peer still works (a renewal failed, not the peer)
        }
        for (ChildPolicy entry : using) {
            int next = entryPeers.moveOn(entry);
            debug(DebugCategory.ISAKMP, "ISAKMP: crypto map " + entry.describe() + ": peer " + Ipv4.format(peer)
                    + (unreachable ? " unreachable" : " failed phase 1") + ", current peer now " + Ipv4.format(next));
            if (unreachable) {
                for (ChildPolicy.SelectorPair pair : entry.selectors()) {
                    connect(entry, pair, nowMillis);
                }
            }
        }
    }

    /** True when another ISAKMP SA (even one being replaced) or a child SA exists with this SA's peer. */
    boolean hasOtherSaWith(IkeSa sa) {
        return sas.otherWith(sa) || children.orphanWith(sa.peerAddress);
    }

    /**
     * The data plane says a child SA is near its kilobyte or sequence limit: renew it now, whichever side
     * negotiated it (IOS renews on volume from either side).
     */
    public void rekeyChild(long childId, long nowMillis) {
        for (IkeSa sa : new ArrayList<>(sas.all())) {
            for (ChildSa c : sa.children) {
                if (c.id() == childId) {
                    SaTimers.rekey(this, sa, c, nowMillis);
                    reschedule(sa);
                    return;
                }
            }
        }
    }

    /** The data plane says a child SA is spent (hard limit): delete it and tell the peer. */
    public void expireChild(long childId, String reason, long nowMillis) {
        for (IkeSa sa : new ArrayList<>(sas.all())) {
            for (ChildSa c : new ArrayList<>(sa.children)) {
                if (c.id() == childId) {
                    sa.retireAt.remove(c);
                    children.delete(sa, c, reason, true, nowMillis);
                    reschedule(sa);
                    return;
                }
            }
        }
    }

    /** {@code clear crypto isakmp}: deletes every ISAKMP SA (and tells the peers). */
    public void clearIsakmp(long nowMillis) {
        clear.isakmp(nowMillis);
    }

    /**
     * The host's answer to an {@link IkeEffect.Authenticate}: whether the login list let the user in, and what the
     * server's Accept granted. An SA gone meanwhile, or an answer no Xauth waits for any more, changes nothing.
     */
    public void authenticated(int connId, long ticket, boolean passed,
            dev.vpnrouter.policy.UserAuthorization authorization, long nowMillis) {
        IkeSa sa = sas.byConnId(connId);
        if (sa == null || sa.deleted || sa.xauthServer == null) {
            return;
        }
        sa.xauthServer.serversAnswered(ticket, passed, authorization, nowMillis);
        reschedule(sa);
    }

    /**
     * The host's answer to an {@link IkeEffect.Authenticate} that is neither yes nor no: a server's Access-Challenge,
     * which Xauth puts to the user. An SA gone meanwhile, or a stale answer, changes nothing.
     */
    public void challenged(int connId, long ticket, dev.vpnrouter.policy.LoginChallenge challenge, long nowMillis) {
        IkeSa sa = sas.byConnId(connId);
        if (sa == null || sa.deleted || sa.xauthServer == null) {
            return;
        }
        sa.xauthServer.serversChallenged(ticket, challenge, nowMillis);
        reschedule(sa);
    }

    /**
     * The host's answer to an {@link IkeEffect.AuthorizeGroup}: the group's policy from the servers, or null when
     * none grants it. An SA gone meanwhile, or a stale answer, changes nothing.
     */
    public void groupAuthorized(int connId, long ticket, dev.vpnrouter.ike.cfg.ClientGroup group, long nowMillis) {
        IkeSa sa = sas.byConnId(connId);
        if (sa == null || sa.deleted || !(sa.phase1 instanceof AggressiveModeResponder am)) {
            return;
        }
        am.groupAnswered(ticket, group, nowMillis);
        reschedule(sa);
    }

    long nextAuthenticationTicket() {
        return ++authenticationTickets;
    }

    /** {@code clear crypto sa}: deletes every IPsec SA pair (and tells the peers). */
    public void clearIpsec(long nowMillis) {
        clear.ipsec(0, nowMillis);
    }

    /**
     * {@code clear crypto isakmp CONN-ID}: deletes that ISAKMP SA (telling the peer, returning a pool address).
     * Returns false when no SA has that C-id.
     */
    public boolean clearIsakmp(int connId, long nowMillis) {
        return clear.isakmp(sas.byConnId(connId), nowMillis);
    }

    /** {@code clear crypto sa peer A}: deletes the IPsec SA pairs with that peer (and tells it). Returns how many. */
    public int clearIpsec(int peerAddress, long nowMillis) {
        return clear.ipsec(peerAddress, nowMillis);
    }

    /**
     * {@code clear crypto session [remote A]}: the IPsec SA pairs and the ISAKMP SAs of one peer (0: every peer),
     * with Deletes; client SAs give their pool address back. Returns the ISAKMP SAs removed.
     */
    public int clearSession(int peerAddress, long nowMillis) {
        return clear.session(peerAddress, nowMillis);
    }

    /**
     * Deletes for everything, and accounting's Stop for every session with the cause a reboot has (Admin-Reboot):
     * the router stopping ({@link #stop}), or an address move before the host reconnects.
     */
    public void shutdown(long nowMillis) {
        clearIpsec(nowMillis);
        clear.all(RemovalCause.SHUTDOWN, nowMillis);
    }

    /**
     * The router stops: {@link #shutdown}'s Deletes, and from now on no negotiation starts (the runtime's loop runs
     * its last tasks, acquires among them, without reading IKE). An address move shuts down and reconnects instead.
     */
    public void stop(long nowMillis) {
        stopping = true;
        shutdown(nowMillis);
    }

    // ------------------------------------------------------------------ outputs

    /** Everything the engine wants done since the last call, in order. */
    public List<IkeEffect> drain() {
        if (effects.isEmpty()) {
            return List.of();
        }
        List<IkeEffect> out = new ArrayList<>(effects);
        effects.clear();
        return out;
    }

    public Collection<? extends IkeSaView> ikeSas() {
        return sas.allReadOnly();
    }

    public List<ChildSa> childSas() {
        return children.all();
    }

    public int ikeSaCount() {
        return sas.size();
    }

    public int halfOpenCount() {
        return sas.halfOpenCount();
    }

    public int establishedCount() {
        return sas.establishedCount();
    }

    // ------------------------------------------------------------------ for the exchange classes

    void send(Datagram d) {
        counters.sent++;
        effects.add(new IkeEffect.Send(d));
    }

    void effect(IkeEffect e) {
        effects.add(e);
    }

    IkeSa newSa(boolean initiator, long icookie, int peer, int peerPort, long now) {
        IkeSa sa = new IkeSa(nextConnId++, initiator, icookie, localAddress, Datagram.IKE_PORT, peer, peerPort, now);
        sa.forceUdpEncapsulation = forceUdpEncapsulationForAll || forceUdpEncapsulation.contains(peer);
        counters.phase1Started++;
        sas.add(sa);
        if (!initiator) {
            trackHalfOpen(sa, now);
        }
        return sa;
    }

    /** Enforces the half-open caps: the oldest half-open SA of that source (or overall) goes first. */
    private void trackHalfOpen(IkeSa sa, long now) {
        SaTable.Evictions evictions = sas.admitHalfOpen(sa, HALF_OPEN_PER_PEER, policy.inNegotiationLimit());
        for (IkeSa oldest : evictions.perPeer()) {
            counters.halfOpenDropped++;
            remove(oldest, RemovalCause.HALF_OPEN_LIMIT_PER_PEER, false, now);
        }
        for (IkeSa oldest : evictions.overall()) {
            counters.halfOpenDropped++;
            remove(oldest, RemovalCause.HALF_OPEN_LIMIT, false, now);
        }
    }

    void setResponderCookie(IkeSa sa, long rcookie) {
        sas.setResponderCookie(sa, rcookie);
    }

    /** Responder cookies bound to the peer: hard to predict, different per peer address and port. */
    long responderCookie(long icookie, int peer, int port) {
        byte[] input = new byte[18];
        for (int i = 0; i < 8; i++) {
            input[i] = (byte) (icookie >>> (56 - 8 * i));
        }
        System.arraycopy(Ipv4.toBytes(peer), 0, input, 8, 4);
        input[12] = (byte) (port >>> 8);
        input[13] = (byte) port;
        int n = nextConnId;
        input[14] = (byte) (n >>> 24);
        input[15] = (byte) (n >>> 16);
        input[16] = (byte) (n >>> 8);
        input[17] = (byte) n;
        byte[] mac = dev.vpnrouter.ike.crypto.HashAlgorithm.SHA1.prf().compute(cookieSecret, input);
        long c = 0;
        for (int i = 0; i < 8; i++) {
            c = (c << 8) | (mac[i] & 0xff);
        }
        return c == 0 ? 1 : c;
    }

    long newInitiatorCookie() {
        long c;
        do {
            c = random.nextLong();
        } while (c == 0 || sas.initiatorCookieInUse(c));
        return c;
    }

    byte[] nonce() {
        byte[] n = new byte[20];
        random.nextBytes(n);
        return n;
    }

    /** Phase 1 finished (authenticated): the SA leaves the half-open set. */
    void phase1Complete(IkeSa sa, long now) {
        sas.leaveHalfOpen(sa);
        sas.established(sa);
        sa.establishedAtMillis = now;
        sa.expiresAtMillis = now + sa.lifetimeSeconds * 1000;
        if (sa.initiator) {
            // Renew before expiry (IOS renews on demand; we renew at 90% minus jitter so no gap opens).
            long jitter = (long) (random.nextDouble() * 0.05 * sa.lifetimeSeconds * 1000);
            sa.rekeyAtMillis = now + (long) (sa.lifetimeSeconds * 900L) - jitter;
        }
        counters.phase1Completed++;
        sa.phase1.releaseMaterial();
        sa.dpd.start(this, now);
        effects.add(new IkeEffect.IkeUp(sa));
        log(IosMessages.tunnelUp(Ipv4.format(sa.peerAddress), sa.peerPort, sessionId(sa)));
        if (!sa.xauthRequired) { // with Xauth the login comes first ("Need XAUTH", XauthServer)
            stateChange(sa, IkeSa.State.IKE_P1_COMPLETE, "IKE_MSG_INTERNAL, IKE_PHASE1_COMPLETE");
        }
        reschedule(sa);
    }

    /** Phase 1 and any Xauth/Mode Config are done: start the Quick Modes that waited for it. */
    void startPendingChildren(IkeSa sa, long now) {
        List<IkeSa.PendingChild> pending = new ArrayList<>(sa.pendingChildren);
        sa.pendingChildren.clear();
        for (IkeSa.PendingChild p : pending) {
            QuickModeInitiator.start(this, sa, p.policy(), p.pair(), p.replacing(), now);
        }
    }

    /**
     * A first message from {@code peer}: null when it may have one more ISAKMP SA; otherwise the refusal line
     * naming the limit.
     */
    String ikeSaLimitReached(int peer) {
        int limit = policy.peerLimits().ikeSasPerPeer();
        return sas.countWith(peer) < limit ? null : "phase 1: peer " + Ipv4.format(peer) + " already has "
                + sas.countWith(peer) + " ISAKMP SAs (limit " + limit + " per peer address)";
    }

    /** Removes an ISAKMP SA; its child SAs go too when the peer is gone, else they live until they expire. */
    void remove(IkeSa sa, RemovalCause cause, boolean notifyPeer, long now) {
        remove(sa, cause, cause.text(), notifyPeer, now);
    }

    /** As {@link #remove(IkeSa, RemovalCause, boolean, long)}, with the log's reason spelled out. */
    void remove(IkeSa sa, RemovalCause cause, String reason, boolean notifyPeer, long now) {
        if (sa.deleted) {
            return;
        }
        // Who takes the IPsec SAs is decided before the renewal links are undone.
        IkeSa heir = children.heirOf(sa);
        // The peer retires the old SA of a renewal: it is not gone, and its IPsec SAs and session pass to the new SA.
        boolean peerGone = cause.peerGone() && !(cause == RemovalCause.PEER_DELETED && heir != null);
        // A phase 1 of ours that failed with a peer, or a working SA whose peer died: a static entry's next peer.
        // (A half-open SA of a peer's negotiation is no failure of ours: a flood times thousands of them out.)
        boolean peerFailed = sa.vpnClient == null && sa.ra == null && (sa.initiator || sa.established())
                && (cause.peerUnreachable() || cause == RemovalCause.REFUSED && !sa.established());
        // A renewal's failure says nothing of the gateway: the SA it renews serves on (ClientRenewal).
        boolean clientLogin = sa.vpnClient != null && IkeSa.live(sa.renews) == null;
        // Before its IPsec SAs go: the host reads their counters.
        SessionAccounting.stop(this, sa, heir, cause, peerGone, now);
        remoteAccess.beforeRemove(sa, notifyPeer, now);
        if (sa.vpnClient != null) {
            ClientRenewal.beforeRemove(this, sa, now);
        }
        if (notifyPeer && sa.established()) {
            Informational.sendDeleteIke(this, sa, now);
        }
        String stateBefore = sa.iosState(); // for the log line: the state the SA was in, not IKE_DEST_SA's
        // The tunnel goes down with an SA that was up, unless a renewal carries its IPsec SAs on.
        boolean tunnelDown = sa.established() && heir == null;
        sa.deleted = true;
        timers.removed(sa);
        sa.state = IkeSa.State.IKE_DEST_SA;
        sas.remove(sa);
        children.ownerRemoved(sa, heir, peerGone, reason, now);
        debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": deleting SA reason \"" + reason + "\" state ("
                + (sa.initiator ? "I" : "R") + ") " + stateBefore + " (peer " + Ipv4.format(sa.peerAddress) + ")");
        effects.add(new IkeEffect.IkeDown(sa, reason, sa.establishedAtMillis != 0));
        if (tunnelDown) {
            log(IosMessages.tunnelDown(Ipv4.format(sa.peerAddress), sa.peerPort, sessionId(sa)));
        }
        if (!sa.pendingChildren.isEmpty() && !peerGone && sa.initiator) {
            counters.negotiationsFailed++;
        }
        // The SA is gone: nothing may use its keys again, and they should not wait in the heap for the collector.
        if (sa.keys != null) {
            sa.keys.destroy();
        }
        if (sa.phase1 != null) {
            sa.phase1.releaseMaterial();
        }
        if (clientLogin && cause.peerUnreachable()) {
            clientGatewayUnreachable(sa, now);
        } else if (peerFailed) {
            staticPeerFailed(sa.peerAddress, cause.peerUnreachable(), now);
        }
    }

    /** Child SAs whose ISAKMP SA is gone; they expire on their own. */
    public List<ChildSa> orphanChildSas() {
        return children.orphans();
    }

    /**
     * INITIAL-CONTACT: the peer rebooted; every older SA with it is stale. Behind a NAT the peer is the address and
     * the port (as IOS: "remote port"): other peers behind the same NAT share the address and must not lose theirs.
     */
    void initialContact(IkeSa fresh, long now) {
        for (IkeSa sa : new ArrayList<>(sas.all())) {
            if (sa != fresh && ChildSas.samePeer(sa.peerAddress, sa.peerPort, sa.natPeer, fresh) && !sa.deleted) {
                remove(sa, RemovalCause.INITIAL_CONTACT, false, now);
            }
        }
        children.dropOrphansOf(fresh);
    }

    void stateChange(IkeSa sa, IkeSa.State next, String input) {
        IkeSa.State old = sa.state;
        sa.state = next;
        if (debug) {
            debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Input = " + input);
            debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Old State = " + old + " New State = " + next);
        }
    }

    /**
     * IOS's "received packet from A dport P sport Q Global (R) MM_SA_SETUP" line: the SA's exchange state as the
     * packet finds it, or "(N) NEW SA" for a first message that makes one.
     */
    private void receivedPacket(IkeSa sa, Datagram d) {
        if (debug) {
            debug(DebugCategory.ISAKMP, "ISAKMP " + (sa == null ? "(0:0)" : sa.tag()) + ": received packet from "
                    + Ipv4.format(d.src()) + " dport " + d.dstPort() + " sport " + d.srcPort() + " Global "
                    + (sa == null ? "(N) NEW SA" : (sa.initiator ? "(I) " : "(R) ") + sa.iosState()));
        }
    }

    /** IOS's "sending packet to A my_port P peer_port Q (R) MM_SA_SETUP" line. */
    void sendingPacket(IkeSa sa, String exchangeState) {
        if (debug) {
            debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": sending packet to " + Ipv4.format(sa.peerAddress)
                    + " my_port " + sa.localPort + " peer_port " + sa.peerPort + " " + exchangeState);
        }
    }

    /** Our VPN client role received its settings. */
    void clientConfigured(IkeSa sa, ClientConfig config) {
        ClientFailover client = clientOf(sa.peerAddress);
        if (client != null) {
            client.configured(this, sa, config);
        }
        effects.add(new IkeEffect.ClientConfigured(sa, config));
    }

    void debug(DebugCategory category, String line) {
        if (debug) {
            effects.add(new IkeEffect.Debug(category, line));
        }
    }

    /**
     * %CRYPTO-4-IKMP_NO_SA messages and refusals of first messages held back by their rate limits ({@code show
     * logging}'s rate-limited count).
     */
    public long messagesRateLimited() {
        return noSaMessages.suppressed() + unprovenRefusals.suppressed();
    }

    /** One of the router's messages (IOS's syslog messages): logged by the host whether debug is on or not. */
    void log(RouterMessage message) {
        effects.add(new IkeEffect.Log(message));
    }

    /**
     * A negotiation failed for a reason worth one line even without debug (what `check` and logs show), counted
     * under its class. With no SA (a first message refused outright) it still counts as a phase 1 begun.
     */
    void refuse(IkeSa sa, NegotiationFailure why, String reason, long now) {
        counters.refused(why, reason);
        if (sa == null) {
            counters.phase1Started++;
        } else {
            sa.pendingChildren.clear(); // they fail with it: counted here, not again by remove
        }
        String peer = sa == null ? null : Ipv4.format(sa.peerAddress);
        effects.add(new IkeEffect.Refused(sa == null ? 0 : sa.peerAddress, why, reason));
        RemovalCause cause = RemovalCause.ofRefusal(why);
        if (sa != null && sa.state == IkeSa.State.IKE_R_MM1
                && !unprovenRefusals.allow(Integer.toUnsignedLong(sa.peerAddress), now)) {
            // MM1's source may be spoofed: a flood must not become a flood of log lines.
            remove(sa, cause, reason, false, now);
            return;
        }
        if (sa != null && !sa.state.complete()) {
            log(IosMessages.modeFailure(sa.phase1 != null && sa.phase1.exchangeType() == ExchangeType.AGGRESSIVE
                    ? "Aggressive" : "Main", peer));
        }
        log(IosMessages.refused(peer, reason));
        if (sa != null) {
            remove(sa, cause, reason, false, now);
        }
    }

    /**
     * A first message from {@code source} refused before any SA exists: counted as {@link #refuse} counts, its
     * line rate-limited (the source may be spoofed, and a flood must not become a flood of log lines).
     */
    void refuseFirstMessage(int source, NegotiationFailure why, String reason, long now) {
        if (unprovenRefusals.allow(Integer.toUnsignedLong(source), now)) {
            refuse(null, why, reason, now);
        } else {
            counters.refused(why, reason);
            counters.phase1Started++;
        }
    }

    /** A phase-2 negotiation (or Xauth) failed; the ISAKMP SA stays. One line, even without debug. */
    void effectsRefusal(IkeSa sa, NegotiationFailure why, String reason) {
        counters.refused(why, reason);
        String peer = Ipv4.format(sa.peerAddress);
        effects.add(new IkeEffect.Refused(sa.peerAddress, why, reason));
        if (why != NegotiationFailure.XAUTH) {
            log(IosMessages.modeFailure("Quick", peer));
        }
        log(IosMessages.refused(peer, reason));
    }

    /** The peer's identity as IOS's SESSION_STATUS names it: what it sent in phase 1, else its address. */
    private static String sessionId(IkeSa sa) {
        return sa.peerIdentity != null ? sa.peerIdentity : Ipv4.format(sa.peerAddress);
    }

    Collection<IkeSa> allSas() {
        return sas.all();
    }
}
