package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.ClientGroup;
import dev.vpnrouter.ike.cfg.CryptoMapDecision;
import dev.vpnrouter.ike.cfg.EspProposal;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.ike.crypto.CryptoException;
import dev.vpnrouter.ike.crypto.DhGroup;
import dev.vpnrouter.ike.crypto.DhKeyPair;
import dev.vpnrouter.ike.wire.Doi;
import dev.vpnrouter.ike.wire.ExchangeType;
import dev.vpnrouter.ike.wire.IdPayload;
import dev.vpnrouter.ike.wire.IsakmpDecodeException;
import dev.vpnrouter.ike.wire.IsakmpHeader;
import dev.vpnrouter.ike.wire.KePayload;
import dev.vpnrouter.ike.wire.MessageRule;
import dev.vpnrouter.ike.wire.NoncePayload;
import dev.vpnrouter.ike.wire.NotifyType;
import dev.vpnrouter.ike.wire.Payload;
import dev.vpnrouter.ike.wire.PayloadChain;
import dev.vpnrouter.ike.wire.PayloadType;
import dev.vpnrouter.ike.wire.Proposal;
import dev.vpnrouter.ike.wire.ProtocolId;
import dev.vpnrouter.ike.wire.SaPayload;
import dev.vpnrouter.ike.wire.Transform;

import java.util.ArrayList;
import java.util.List;

/**
 * Quick Mode, responder side: QM1 is matched against the crypto map as IOS does (static entries by peer and ACL,
 * then dynamic-map entries in sequence order as templates, each with its ISAKMP profile), answered with QM2; QM3
 * completes it and both ESP SAs are installed. One object per exchange (message ID), made when QM1 arrives.
 */
final class QuickModeResponder extends QuickModeExchange {
    private ChildPolicy policy;
    private TrafficSelector local;
    private TrafficSelector remote;
    private EspProposal transform;
    private int inboundSpi;
    private int outboundSpi;
    private byte[] initiatorNonce;
    private byte[] responderNonce;
    private byte[] pfsSecret;
    private long lifetimeSeconds;
    private long lifetimeKilobytes;

    private QuickModeResponder(IkeEngine engine, IkeSa sa, int messageId, long now) {
        super(engine, sa, messageId, now);
    }

    /**
     * Null when the peer may start one more Quick Mode on this SA; otherwise the refusal line naming the limit:
     * Quick Modes this SA is answering at once, IPsec SA pairs with the peer's address.
     */
    private static String peerLimitReached(IkeEngine engine, IkeSa sa) {
        dev.vpnrouter.ike.cfg.PeerLimits limits = engine.policy.peerLimits();
        long inFlight = sa.quickModes.values().stream()
                .filter(q -> !q.initiator() && q.inFlight()).count();
        if (inFlight >= limits.quickModesInFlightPerSa()) {
            return "phase 2: peer " + Ipv4.format(sa.peerAddress) + " has " + inFlight + " Quick Modes in flight on "
                    + "ISAKMP SA " + sa.connId + " (limit " + limits.quickModesInFlightPerSa() + " per ISAKMP SA)";
        }
        long pairs = engine.children.countWith(sa.peerAddress) + inFlight;
        if (pairs >= limits.ipsecSasPerPeer()) {
            return "phase 2: peer " + Ipv4.format(sa.peerAddress) + " already has " + pairs + " IPsec SA pairs "
                    + "(limit " + limits.ipsecSasPerPeer() + " per peer address)";
        }
        return null;
    }

    /** The entry, transform and offer IOS would pick, or why none. */
    record Match(CryptoMapDecision.Candidate candidate, Proposal proposal, Phase2.Offered offered, EspProposal suite,
                 CryptoMapDecision.Refusal refusal) {
        static Match refused(CryptoMapDecision.Refusal refusal) {
            return new Match(null, null, null, null, refusal);
        }

        static Match noProposal(String text) {
            return refused(new CryptoMapDecision.Refusal(NotifyType.NO_PROPOSAL_CHOSEN,
                    CryptoMapDecision.Cause.NO_PROPOSAL, text));
        }
    }

    static void onMessage1(IkeEngine engine, IkeSa sa, Datagram d, IsakmpHeader header, long now)
            throws IsakmpDecodeException {
        int mid = header.messageId();
        PayloadChain chain = engine.driver.openProtected(sa, d, header, MessageRule.QUICK_MODE_1, "QM1",
                c -> sa.keys.quickModeHash1(mid, c.rawAfter(0)));
        if (chain == null) {
            return;
        }
        engine.heardFrom(sa, d, now);
        String limit = peerLimitReached(engine, sa);
        if (limit != null) {
            engine.driver.forgetIv(sa, mid); // no exchange takes this message ID
            engine.effectsRefusal(sa, NegotiationFailure.PEER_LIMIT, limit);
            return;
        }
        // IOS prints message IDs as signed 32-bit numbers ("set new node -1118110738").
        engine.debug(DebugCategory.ISAKMP, "ISAKMP: set new node " + mid + " to QM_IDLE");
        engine.debug(DebugCategory.ENGINE, "CryptoEngine0: generate hmac context for conn id " + sa.connId);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": processing HASH payload. message ID = " + mid);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": processing SA payload. message ID = " + mid);

        engine.counters.phase2Started++;
        new QuickModeResponder(engine, sa, mid, now).answer(d, chain, now);
    }

    /** QM1 verified: match it against the crypto map and answer with QM2, or refuse it. */
    private void answer(Datagram d, PayloadChain chain, long now) {
        initiatorNonce = chain.first(NoncePayload.class).orElseThrow().data();
        boolean sendIds = false;
        List<IdPayload> ids = chain.all(IdPayload.class);
        if (ids.size() == 2) {
            remote = TrafficSelector.fromId(ids.get(0));
            local = TrafficSelector.fromId(ids.get(1));
            sendIds = true;
        } else if (ids.isEmpty()) {
            remote = TrafficSelector.host(sa.peerAddress);
            local = TrafficSelector.host(sa.localAddress);
        }
        if (local == null || remote == null) {
            refuse(NotifyType.INVALID_ID_INFORMATION, "phase 2: unsupported proxy identities", now);
            return;
        }
        SaPayload offer = chain.first(SaPayload.class).orElseThrow();
        KePayload ke = chain.first(KePayload.class).orElse(null);
        Match match = match(offer, ke != null);
        if (match.refusal() != null) {
            refuse(match.refusal(), now);
            return;
        }
        local = match.candidate().local();
        remote = match.candidate().remote();
        ChildPolicy entry = match.candidate().entry();
        Phase2.Offered offered = match.offered();
        policy = entry;
        transform = match.suite();
        Proposal peerProposal = match.proposal();
        String badSpi = Phase2.unusableSpi(engine, sa, peerProposal.spiAsInt());
        if (badSpi != null) {
            refuse(NotifyType.INVALID_SPI, badSpi, now);
            return;
        }
        outboundSpi = peerProposal.spiAsInt();
        validateProposalRequest(entry);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": processing NONCE payload. message ID = "
                + messageId());
        for (int i = 0; i < ids.size(); i++) {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": processing ID payload. message ID = "
                    + messageId());
        }

        DhKeyPair pfsKey = null;
        if (ke != null) {
            DhGroup group = DhGroup.byId(offered.group()).orElse(null);
            if (group == null) {
                refuse(NotifyType.NO_PROPOSAL_CHOSEN, "phase 2: unsupported PFS group "
                        + offered.group(), now);
                return;
            }
            pfsKey = group.generateKeyPair(engine.random);
            try {
                pfsSecret = pfsKey.sharedSecret(ke.data());
            } catch (CryptoException e) {
                refuse(NotifyType.INVALID_KEY_INFORMATION, "phase 2: invalid PFS public value", now);
                return;
            }
        }
        long ourSeconds = entry.lifetimeSeconds() > 0 ? entry.lifetimeSeconds() : Phase2.DEFAULT_LIFETIME_SECONDS;
        long ourKb = Phase2.ourKilobytes(entry);
        lifetimeSeconds = engine.peerLifetimes.agree(sa, PeerLifetimes.Kind.IPSEC_SECONDS, offered.seconds(),
                ourSeconds);
        lifetimeKilobytes = engine.peerLifetimes.agree(sa, PeerLifetimes.Kind.IPSEC_KILOBYTES,
                offered.kilobytes(), ourKb);
        // Tell the peer when we keep other lifetimes than it offered (not a volume limit it did not ask for).
        boolean shortened = lifetimeSeconds != offered.seconds()
                || (offered.kilobytes() != PeerLifetimes.NOT_OFFERED && lifetimeKilobytes != offered.kilobytes());
        inboundSpi = engine.children.allocateSpi();
        responderNonce = engine.nonce();
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": asking for 1 spis from ipsec");
        node("IKE_MSG_FROM_PEER, IKE_QM_EXCH", "IKE_QM_READY", "IKE_QM_SPI_STARVE");
        engine.debug(DebugCategory.IPSEC, "IPSEC(key_engine): got a queue event...");
        engine.debug(DebugCategory.IPSEC, "IPSEC(spi_response): getting spi " + Integer.toUnsignedString(inboundSpi)
                + " for SA from " + Ipv4.format(sa.localAddress) + " to " + Ipv4.format(sa.peerAddress)
                + " for prot 3");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP: received ke message (2/1)");

        Transform chosenTransform = offered.transform();
        List<Payload> afterHash = new ArrayList<>();
        afterHash.add(new SaPayload(Doi.IPSEC, offer.situation(), List.of(new Proposal(peerProposal.number(),
                ProtocolId.IPSEC_ESP, Phase2.spiBytes(inboundSpi), List.of(chosenTransform)))));
        afterHash.add(new NoncePayload(responderNonce));
        if (pfsKey != null) {
            afterHash.add(new KePayload(pfsKey.publicValue()));
        }
        if (sendIds) {
            afterHash.add(remote.toId());
            afterHash.add(local.toId());
        }
        if (shortened) {
            afterHash.add(Phase2.responderLifetime(Phase2.spiBytes(inboundSpi), lifetimeSeconds,
                    lifetimeKilobytes));
        }
        sa.quickModes.put(messageId(), this);
        byte[] msg = engine.driver.protectedMessage(sa, ExchangeType.QUICK_MODE, messageId(), 0,
                ExchangeDriver.HashKind.QM2, initiatorNonce, afterHash);
        Datagram reply = engine.driver.datagramTo(sa, msg);
        replies().remember(d, reply);
        enter(State.QM_R1_ANSWERED);
        engine.debug(DebugCategory.ENGINE, "CryptoEngine0: generate hmac context for conn id " + sa.connId);
        engine.sendingPacket(sa, "(R) QM_IDLE");
        // QM2 is retransmitted until QM3 arrives: without QM3 we have no SA while the initiator already does.
        engine.driver.sendRequest(sa, retransmission(), reply, now);
        node("IKE_MSG_FROM_IPSEC, IKE_SPI_REPLY", "IKE_QM_SPI_STARVE", "IKE_QM_R_QM2");
    }

    /** IOS's Quick Mode state lines: "Node N, Input = ..." and "Old State = ... New State = ...". */
    private void node(String input, String old, String next) {
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Node " + messageId() + ", Input = " + input);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Old State = " + old + " New State = " + next);
    }

    /** The accepted proposal goes to IPsec for its check: the key engine's message, then the map lookups. */
    private void validateProposalRequest(ChildPolicy entry) {
        if (!engine.debug()) {
            return;
        }
        IpsecDebug.keyEngineMessage(engine, "IPSEC(validate_proposal_request): proposal part #1,", true,
                sa.localAddress, sa.peerAddress, local, remote, transform, 0, 0, 0, 0);
        engine.debug(DebugCategory.ENGINE, "CryptoEngine0: validate proposal request");
        IpsecDebug.keiProxy(engine, entry.mapName());
    }

    /**
     * IOS's choice: the entries {@link CryptoMapDecision} lets carry the proposal, in order, the first whose
     * transform sets and PFS accept one of the peer's transforms.
     */
    private Match match(SaPayload offer, boolean hasKe) {
        if (offer.proposals().isEmpty()) {
            return Match.noProposal("phase 2: empty SA payload");
        }
        // vpnc and the Cisco client send one proposal per suite (the seed capture: 12 of them); IOS sends one
        // proposal with several transforms. Every ESP proposal is a candidate, in the peer's order.
        List<Proposal> proposals = new ArrayList<>();
        for (Proposal p : offer.proposals()) {
            if (p.protocolId() == ProtocolId.IPSEC_ESP && p.spiSize() == 4) {
                proposals.add(p);
            }
        }
        if (proposals.isEmpty()) {
            return Match.noProposal("phase 2: only ESP proposals are supported");
        }
        CryptoMapDecision.Verdict verdict = engine.cryptoMapDecision().quickMode(claim(),
                engine.livePeers());
        if (!verdict.accepted()) {
            // IOS checks the attributes first, then IPsec refuses the proxies of the first proposal.
            Proposal first = proposals.getFirst();
            Phase2.Offered o = first.transforms().isEmpty() ? null : Phase2.parse(first.transforms().getFirst());
            if (o != null && engine.debug()) {
                engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Checking IPsec proposal " + first.number());
                IpsecDebug.transform(engine, first.transforms().getFirst());
                engine.debug(DebugCategory.ENGINE, "CryptoEngine0: validate proposal");
                engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": atts are acceptable.");
                IpsecDebug.keyEngineMessage(engine, "IPSEC(validate_proposal_request): proposal part #1,", true,
                        sa.localAddress, sa.peerAddress, local, remote, new EspProposal("", o.espTransformId(),
                                o.keyBits(), o.authAlgorithm(), o.tunnel()), 0, 0, 0, 0);
            }
            if (verdict.refusal().notifyType() == NotifyType.INVALID_ID_INFORMATION) {
                engine.debug(DebugCategory.IPSEC, "IPSEC(validate_transform_proposal): proxy identities not supported");
                engine.debug(DebugCategory.ISAKMP, "ISAKMP: IPSec policy invalidated proposal");
            }
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": SA not acceptable!");
            return Match.refused(verdict.refusal());
        }
        String reason = null;
        boolean pfsRefused = false; // a PFS mismatch says more than a transform mismatch: it is the reason kept
        // Each offered transform is printed once, with IPsec's verdict, the first time a candidate entry looks at it.
        java.util.Set<Transform> printed = new java.util.HashSet<>();
        java.util.Set<Proposal> proposalsPrinted = new java.util.HashSet<>();
        for (CryptoMapDecision.Candidate candidate : verdict.candidates()) {
            ChildPolicy entry = candidate.entry();
            for (Proposal proposal : proposals) {
                for (int i = 0; i < proposal.transforms().size(); i++) {
                    Transform t = proposal.transforms().get(i);
                    Phase2.Offered o = Phase2.parse(t);
                    boolean first = engine.debug() && printed.add(t);
                    if (first) {
                        if (proposalsPrinted.add(proposal)) {
                            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Checking IPsec proposal "
                                    + proposal.number());
                        }
                        IpsecDebug.transform(engine, t);
                        engine.debug(DebugCategory.ENGINE, "CryptoEngine0: validate proposal");
                        if (o == null || suiteFor(o, entry, hasKe) == null) {
                            if (o != null) {
                                engine.debug(DebugCategory.IPSEC, "IPSEC(validate_proposal): transform proposal (prot 3, trans "
                                        + o.espTransformId() + ", hmac_alg " + o.authAlgorithm() + ") not supported");
                            }
                            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": atts not acceptable. Next payload is "
                                    + (i + 1 < proposal.transforms().size() ? PayloadType.TRANSFORM : 0));
                        } else {
                            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": atts are acceptable.");
                        }
                    }
                    if (o == null) {
                        continue;
                    }
                    EspProposal suite = suiteFor(o, entry, hasKe);
                    if (suite != null) {
                        return new Match(candidate, proposal, o, suite, null);
                    }
                    if (entry.pfsGroup() != 0 && o.group() != entry.pfsGroup()) {
                        reason = "phase 2: crypto map " + entry.describe() + " requires PFS group" + entry.pfsGroup()
                                + (o.group() == 0 ? ", the peer offered none" : ", the peer offered group"
                                + o.group());
                        pfsRefused = true;
                    } else if (!pfsRefused && (o.group() == 0 || hasKe)) {
                        reason = "phase 2: no transform set of crypto map " + entry.describe()
                                + " matches the peer's " + describe(proposals);
                    }
                }
            }
        }
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": SA not acceptable!");
        return Match.noProposal(reason == null ? "phase 2: no acceptable proposal" : reason);
    }

    /**
     * The transform set of {@code entry} that takes this offered transform, or null: PFS as the entry asks (a PFS
     * group needs the KE that carries it), then the entry's transform sets in order.
     */
    private static EspProposal suiteFor(Phase2.Offered o, ChildPolicy entry, boolean hasKe) {
        if (entry.pfsGroup() != 0 && o.group() != entry.pfsGroup()) {
            return null;
        }
        if (o.group() != 0 && !hasKe) {
            return null;
        }
        for (EspProposal suite : entry.proposals()) {
            if (o.matches(suite)) {
                return suite;
            }
        }
        return null;
    }

    /** What this peer claims, with its VPN client state when its SA is a client's. */
    private CryptoMapDecision.Claim claim() {
        CryptoMapDecision.ClientState client = null;
        if (sa.expectsModeConfig()) {
            RemoteAccessSession ra = sa.ra;
            ClientGroup group = RemoteAccess.groupOf(engine, ra);
            client = new CryptoMapDecision.ClientState(ra == null ? 0 : ra.address,
                    group == null ? null : group.name(), group == null ? List.of() : group.splitNetworks());
        }
        return new CryptoMapDecision.Claim(sa.peerAddress, sa.localAddress,
                sa.profile == null ? null : sa.profile.name(), client, local, remote);
    }

    private static String describe(List<Proposal> proposals) {
        List<String> parts = new ArrayList<>();
        for (Transform t : proposals.stream().flatMap(p -> p.transforms().stream()).toList()) {
            Phase2.Offered o = Phase2.parse(t);
            parts.add(o == null ? "unsupported" : new EspProposal("", o.espTransformId(), o.keyBits(),
                    o.authAlgorithm(), o.tunnel()).iosTransform());
        }
        return "{" + String.join(", ", parts) + "}";
    }

    private void refuse(CryptoMapDecision.Refusal refusal, long now) {
        refuse(refusal.notifyType(), refusal.text(), now);
    }

    private void refuse(int notify, String reason, long now) {
        // vpnrouter's own line with the decision's reason (IOS says only "SA not acceptable!"): HostileSpokeInteropTest
        // and operators read it; the README lists it among the lines IOS does not print.
        engine.debug(DebugCategory.IPSEC, "IPSEC(validate_proposal_request): " + reason);
        engine.driver.forgetIv(sa, messageId()); // no exchange keeps this message ID
        Informational.sendProtectedNotify(engine, sa, notify, now);
        engine.effectsRefusal(sa, NegotiationFailure.ofNotify(notify), reason);
    }

    @Override
    void onMessage(Datagram d, IsakmpHeader header, long now) throws IsakmpDecodeException {
        if (state() != State.QM_R1_ANSWERED) {
            engine.counters.duplicates++;
            return;
        }
        onMessage3(d, header, now);
    }

    private void onMessage3(Datagram d, IsakmpHeader header, long now) throws IsakmpDecodeException {
        int mid = messageId();
        PayloadChain chain = engine.driver.openProtected(sa, d, header, MessageRule.QUICK_MODE_3, "QM3",
                c -> sa.keys.quickModeHash3(mid, initiatorNonce, responderNonce));
        if (chain == null) {
            return;
        }
        retransmission().answered();
        enter(State.DONE);
        replies().remember(d, null);
        engine.debug(DebugCategory.ENGINE, "CryptoEngine0: generate hmac context for conn id " + sa.connId);
        ChildSa child = childSa(transform, outboundSpi, pfsSecret, lifetimeSeconds, lifetimeKilobytes, now);
        engine.debug(DebugCategory.ENGINE, "CryptoEngine0: ipsec allocate flow");
        engine.debug(DebugCategory.ENGINE, "CryptoEngine0: ipsec allocate flow");
        if (engine.debug()) {
            IpsecDebug.creatingSas(engine, sa, child);
        }
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": deleting node " + mid
                + " error FALSE reason \"quick mode done (await)\"");
        node("IKE_MSG_FROM_PEER, IKE_QM_EXCH", "IKE_QM_R_QM2", "IKE_QM_PHASE2_COMPLETE");
        engine.children.install(sa, child);
    }

    /** QM3 never came: our QM2 is given up and its SPI goes back. */
    @Override
    void fail(NegotiationFailure why, String reason, long now) {
        enter(State.DONE);
        retransmission().answered();
        engine.children.releaseSpi(inboundSpi);
        engine.effectsRefusal(sa, why, reason);
    }

    /** The transform set chosen from the peer's offer (null until QM1 was matched). */
    EspProposal transform() {
        return transform;
    }

    int outboundSpi() {
        return outboundSpi;
    }

    long lifetimeSeconds() {
        return lifetimeSeconds;
    }

    @Override
    boolean initiator() {
        return false;
    }

    @Override
    ChildPolicy policy() {
        return policy;
    }

    @Override
    TrafficSelector local() {
        return local;
    }

    @Override
    TrafficSelector remote() {
        return remote;
    }

    @Override
    int inboundSpi() {
        return inboundSpi;
    }

    @Override
    byte[] initiatorNonce() {
        return initiatorNonce;
    }

    @Override
    byte[] responderNonce() {
        return responderNonce;
    }
}
