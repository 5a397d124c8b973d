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
import dev.vpnrouter.ike.wire.Proposal;
import dev.vpnrouter.ike.wire.ProtocolId;
import dev.vpnrouter.ike.wire.SaPayload;
import dev.vpnrouter.ike.wire.Transform;

import java.util.ArrayList;
import java.util.List;

/**
 * Quick Mode, responder side: QM1 is matched against the crypto map as IOS does (static entries by peer and ACL,
 * then dynamic-map entries in sequence order as templates, each with its ISAKMP profile), answered with QM2; QM3
 * completes it and both ESP SAs are installed.
 */
final class QuickModeResponder {
    private QuickModeResponder() {
    }

    /**
     * Null when the peer may start one more Quick Mode on this SA; otherwise the refusal line naming the limit:
     * Quick Modes this SA is answering at once, IPsec SA pairs with the peer's address.
     */
    private static String peerLimitReached(IkeEngine engine, IkeSa sa) {
        dev.vpnrouter.ike.cfg.PeerLimits limits = engine.policy.peerLimits();
        long inFlight = sa.quickModes.values().stream()
                .filter(q -> !q.initiator && q.state != QuickModeExchange.State.DONE).count();
        if (inFlight >= limits.quickModesInFlightPerSa()) {
            return "phase 2: peer " + Ipv4.format(sa.peerAddress) + " has " + inFlight + " Quick Modes in flight on "
                    + "ISAKMP SA " + sa.connId + " (limit " + limits.quickModesInFlightPerSa() + " per ISAKMP SA)";
        }
        long pairs = engine.childSasWith(sa.peerAddress) + inFlight;
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
        engine.debug(DebugCategory.ISAKMP, "ISAKMP: set new node " + Integer.toUnsignedString(mid) + " to QM_IDLE");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": processing HASH payload. message ID = "
                + Integer.toUnsignedString(mid));
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": processing SA payload. message ID = "
                + Integer.toUnsignedString(mid));

        QuickModeExchange qm = new QuickModeExchange(mid, false, now);
        engine.counters.phase2Started++;
        qm.initiatorNonce = chain.first(NoncePayload.class).orElseThrow().data();
        List<IdPayload> ids = chain.all(IdPayload.class);
        if (ids.size() == 2) {
            qm.remote = TrafficSelector.fromId(ids.get(0));
            qm.local = TrafficSelector.fromId(ids.get(1));
            qm.sendIds = true;
        } else if (ids.isEmpty()) {
            qm.remote = TrafficSelector.host(sa.peerAddress);
            qm.local = TrafficSelector.host(sa.localAddress);
        }
        if (qm.local == null || qm.remote == null) {
            refuse(engine, sa, qm, NotifyType.INVALID_ID_INFORMATION, "phase 2: unsupported proxy identities", now);
            return;
        }
        SaPayload offer = chain.first(SaPayload.class).orElseThrow();
        KePayload ke = chain.first(KePayload.class).orElse(null);
        Match match = match(engine, sa, qm, offer, ke != null);
        if (match.refusal() != null) {
            refuse(engine, sa, qm, match.refusal(), now);
            return;
        }
        if (!match.candidate().local().equals(qm.local)) {
            ClientGroup group = sa.ra == null || sa.ra.group == null ? null : engine.policy.clientGroup(sa.ra.group);
            engine.debug(DebugCategory.IPSEC, "IPSEC(validate_proposal_request): narrowing local_proxy "
                    + qm.local.ios() + " to " + match.candidate().local().ios() + (group == null ? ""
                    : " (split ACL " + group.splitAcl() + " of group " + group.name() + ")"));
        }
        qm.local = match.candidate().local();
        qm.remote = match.candidate().remote();
        ChildPolicy entry = match.candidate().entry();
        Phase2.Offered offered = match.offered();
        qm.policy = entry;
        qm.transform = match.suite();
        Proposal peerProposal = match.proposal();
        String badSpi = Phase2.unusableSpi(engine, sa, peerProposal.spiAsInt());
        if (badSpi != null) {
            refuse(engine, sa, qm, NotifyType.INVALID_SPI, badSpi, now);
            return;
        }
        qm.outboundSpi = peerProposal.spiAsInt();
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": atts are acceptable.");
        engine.debug(DebugCategory.IPSEC, "IPSEC(validate_proposal_request): proposal part #1,");
        engine.debug(DebugCategory.IPSEC, "  (key eng. msg.) INBOUND local= " + Ipv4.format(sa.localAddress)
                + ", remote= " + Ipv4.format(sa.peerAddress) + ",");
        engine.debug(DebugCategory.IPSEC, "    local_proxy= " + qm.local.ios() + " (type=" + qm.local.toId().idType()
                + "),");
        engine.debug(DebugCategory.IPSEC, "    remote_proxy= " + qm.remote.ios() + " (type="
                + qm.remote.toId().idType() + "),");
        engine.debug(DebugCategory.IPSEC, "    protocol= ESP, transform= " + qm.transform.iosTransform()
                + " (" + (qm.transform.tunnel() ? "Tunnel" : "Transport") + "),");

        byte[] pfsSecret = null;
        if (ke != null) {
            DhGroup group = DhGroup.byId(offered.group()).orElse(null);
            if (group == null) {
                refuse(engine, sa, qm, NotifyType.NO_PROPOSAL_CHOSEN, "phase 2: unsupported PFS group "
                        + offered.group(), now);
                return;
            }
            qm.pfsKey = group.generateKeyPair(engine.random);
            try {
                pfsSecret = qm.pfsKey.sharedSecret(ke.data());
            } catch (CryptoException e) {
                refuse(engine, sa, qm, NotifyType.INVALID_KEY_INFORMATION, "phase 2: invalid PFS public value", now);
                return;
            }
        }
        long ourSeconds = entry.lifetimeSeconds() > 0 ? entry.lifetimeSeconds() : Phase2.DEFAULT_LIFETIME_SECONDS;
        long ourKb = Phase2.ourKilobytes(entry);
        qm.lifetimeSeconds = engine.peerLifetimes.agree(sa, PeerLifetimes.Kind.IPSEC_SECONDS, offered.seconds(),
                ourSeconds);
        qm.lifetimeKilobytes = engine.peerLifetimes.agree(sa, PeerLifetimes.Kind.IPSEC_KILOBYTES,
                offered.kilobytes(), ourKb);
        // Tell the peer when we keep other lifetimes than it offered (not a volume limit it did not ask for).
        boolean shortened = qm.lifetimeSeconds != offered.seconds()
                || (offered.kilobytes() != PeerLifetimes.NOT_OFFERED && qm.lifetimeKilobytes != offered.kilobytes());
        qm.inboundSpi = engine.allocateSpi();
        qm.responderNonce = engine.nonce();
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": asking for 1 spis from ipsec");
        engine.debug(DebugCategory.IPSEC, "IPSEC(spi_response): getting spi " + Integer.toUnsignedString(qm.inboundSpi)
                + " for SA from " + Ipv4.format(sa.localAddress) + " to " + Ipv4.format(sa.peerAddress)
                + " for prot 3");

        Transform chosenTransform = offered.transform();
        List<Payload> afterHash = new ArrayList<>();
        afterHash.add(new SaPayload(Doi.IPSEC, offer.situation(), List.of(new Proposal(peerProposal.number(),
                ProtocolId.IPSEC_ESP, Phase2.spiBytes(qm.inboundSpi), List.of(chosenTransform)))));
        afterHash.add(new NoncePayload(qm.responderNonce));
        if (qm.pfsKey != null) {
            afterHash.add(new KePayload(qm.pfsKey.publicValue()));
        }
        if (qm.sendIds) {
            afterHash.add(qm.remote.toId());
            afterHash.add(qm.local.toId());
        }
        if (shortened) {
            afterHash.add(Phase2.responderLifetime(Phase2.spiBytes(qm.inboundSpi), qm.lifetimeSeconds,
                    qm.lifetimeKilobytes));
        }
        sa.quickModes.put(mid, qm);
        byte[] msg = engine.driver.protectedMessage(sa, ExchangeType.QUICK_MODE, mid, 0, ExchangeDriver.HashKind.QM2,
                qm.initiatorNonce, afterHash);
        Datagram reply = engine.driver.datagramTo(sa, msg);
        qm.replies.remember(d, reply);
        qm.state = QuickModeExchange.State.QM_R1_ANSWERED;
        qm.peerPfsPublic = ke == null ? null : ke.data();
        qm.pfsSecret = pfsSecret;
        engine.sendingPacket(sa, "(R) QM_IDLE");
        // QM2 is retransmitted until QM3 arrives: without QM3 we have no SA while the initiator already does.
        engine.driver.sendRequest(sa, qm.retransmission, reply, now);
    }

    /**
     * IOS's choice: the entries {@link CryptoMapDecision} lets carry the proposal, in order, the first whose
     * transform sets and PFS accept one of the peer's transforms.
     */
    static Match match(IkeEngine engine, IkeSa sa, QuickModeExchange qm, SaPayload offer, boolean hasKe) {
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
        CryptoMapDecision.Verdict verdict = engine.cryptoMapDecision().quickMode(claim(engine, sa, qm),
                engine.livePeers());
        if (!verdict.accepted()) {
            return Match.refused(verdict.refusal());
        }
        String reason = null;
        for (CryptoMapDecision.Candidate candidate : verdict.candidates()) {
            ChildPolicy entry = candidate.entry();
            for (Proposal proposal : proposals) {
                for (Transform t : proposal.transforms()) {
                    Phase2.Offered o = Phase2.parse(t);
                    if (o == null) {
                        continue;
                    }
                    if (entry.pfsGroup() != 0 && o.group() != entry.pfsGroup()) {
                        reason = "phase 2: crypto map " + entry.describe() + " requires PFS group" + entry.pfsGroup()
                                + (o.group() == 0 ? ", the peer offered none" : ", the peer offered group"
                                + o.group());
                        continue;
                    }
                    if (o.group() != 0 && !hasKe) {
                        continue;
                    }
                    for (EspProposal suite : entry.proposals()) {
                        if (o.matches(suite)) {
                            return new Match(candidate, proposal, o, suite, null);
                        }
                    }
                    if (reason == null || !reason.contains("PFS")) {
                        reason = "phase 2: no transform set of crypto map " + entry.describe()
                                + " matches the peer's " + describe(proposals);
                    }
                }
            }
        }
        return Match.noProposal(reason == null ? "phase 2: no acceptable proposal" : reason);
    }

    /** What this peer claims, with its VPN client state when its SA is a client's. */
    private static CryptoMapDecision.Claim claim(IkeEngine engine, IkeSa sa, QuickModeExchange qm) {
        CryptoMapDecision.ClientState client = null;
        if (sa.expectsModeConfig()) {
            RemoteAccessSession ra = sa.ra;
            ClientGroup group = ra == null || ra.group == null ? null : engine.policy.clientGroup(ra.group);
            client = new CryptoMapDecision.ClientState(ra == null ? 0 : ra.address,
                    group == null ? null : group.name(), group == null ? List.of() : group.splitNetworks());
        }
        return new CryptoMapDecision.Claim(sa.peerAddress, sa.localAddress,
                sa.profile == null ? null : sa.profile.name(), client, qm.local, qm.remote);
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

    private static void refuse(IkeEngine engine, IkeSa sa, QuickModeExchange qm, CryptoMapDecision.Refusal refusal,
            long now) {
        refuse(engine, sa, qm, refusal.notifyType(), refusal.text(), now);
    }

    private static void refuse(IkeEngine engine, IkeSa sa, QuickModeExchange qm, int notify, String reason,
            long now) {
        engine.debug(DebugCategory.IPSEC, "IPSEC(validate_proposal_request): " + reason);
        engine.driver.forgetIv(sa, qm.messageId); // no exchange keeps this message ID
        Informational.sendProtectedNotify(engine, sa, notify, now);
        engine.effectsRefusal(sa, NegotiationFailure.ofNotify(notify), reason);
    }

    static void onMessage3(IkeEngine engine, IkeSa sa, QuickModeExchange qm, Datagram d, IsakmpHeader header,
            long now) throws IsakmpDecodeException {
        PayloadChain chain = engine.driver.openProtected(sa, d, header, MessageRule.QUICK_MODE_3, "QM3",
                c -> sa.keys.quickModeHash3(qm.messageId, qm.initiatorNonce, qm.responderNonce));
        if (chain == null) {
            return;
        }
        qm.retransmission.answered();
        qm.state = QuickModeExchange.State.DONE;
        qm.replies.remember(d, null);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Node " + Integer.toUnsignedString(qm.messageId)
                + ", Input = IKE_MSG_FROM_PEER, IKE_QM_EXCH");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Old State = IKE_QM_R_QM2 New State = "
                + "IKE_QM_PHASE2_COMPLETE");
        engine.installChild(sa, childSa(engine, sa, qm, qm.pfsSecret, now));
    }

    /** Both directions' keys (RFC 2409 5.5: KEYMAT with the receiving side's SPI). */
    static ChildSa childSa(IkeEngine engine, IkeSa sa, QuickModeExchange qm, byte[] pfsSecret, long now) {
        int len = qm.transform.keymatLength();
        byte[] in = sa.keys.keymat(ProtocolId.IPSEC_ESP, Phase2.spiBytes(qm.inboundSpi), qm.initiatorNonce,
                qm.responderNonce, pfsSecret, len);
        byte[] out = sa.keys.keymat(ProtocolId.IPSEC_ESP, Phase2.spiBytes(qm.outboundSpi), qm.initiatorNonce,
                qm.responderNonce, pfsSecret, len);
        boolean udp = sa.natDetected();
        return new ChildSa(engine.nextChildId(), sa.connId, qm.policy, sa.localAddress, sa.peerAddress,
                udp ? sa.localPort : 0, udp ? sa.peerPort : 0, qm.local, qm.remote, qm.transform, qm.inboundSpi, in,
                qm.outboundSpi, out, qm.lifetimeSeconds, qm.lifetimeKilobytes, now, qm.initiator);
    }
}
