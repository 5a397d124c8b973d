package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.EspProposal;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.ike.crypto.CryptoException;
import dev.vpnrouter.ike.crypto.DhGroup;
import dev.vpnrouter.ike.wire.ExchangeType;
import dev.vpnrouter.ike.wire.HashPayload;
import dev.vpnrouter.ike.wire.IdPayload;
import dev.vpnrouter.ike.wire.IsakmpCodec;
import dev.vpnrouter.ike.wire.IsakmpDecodeException;
import dev.vpnrouter.ike.wire.IsakmpHeader;
import dev.vpnrouter.ike.wire.KePayload;
import dev.vpnrouter.ike.wire.MessageRule;
import dev.vpnrouter.ike.wire.NoncePayload;
import dev.vpnrouter.ike.wire.NotifyPayload;
import dev.vpnrouter.ike.wire.NotifyType;
import dev.vpnrouter.ike.wire.Payload;
import dev.vpnrouter.ike.wire.PayloadChain;
import dev.vpnrouter.ike.wire.Proposal;
import dev.vpnrouter.ike.wire.ProtocolId;
import dev.vpnrouter.ike.wire.SaPayload;

import java.util.ArrayList;
import java.util.List;

/**
 * Quick Mode, initiator side (RFC 2409 5.5): QM1 offers our transform sets for one ACL selector pair, QM2 brings
 * the responder's choice, QM3 confirms and both ESP SAs are installed.
 */
final class QuickModeInitiator {
    private QuickModeInitiator() {
    }

    static void start(IkeEngine engine, IkeSa sa, ChildPolicy entry, ChildPolicy.SelectorPair pair,
            ChildSa replacing, long now) {
        QuickModeExchange qm = new QuickModeExchange(engine.driver.newMessageId(sa), true, now);
        engine.counters.phase2Started++;
        qm.policy = entry;
        qm.local = pair.local();
        qm.remote = pair.remote();
        qm.replacing = replacing;
        qm.initiatorNonce = engine.nonce();
        qm.inboundSpi = engine.allocateSpi();
        qm.lifetimeSeconds = entry.lifetimeSeconds() > 0 ? entry.lifetimeSeconds() : Phase2.DEFAULT_LIFETIME_SECONDS;
        qm.lifetimeKilobytes = Phase2.ourKilobytes(entry);
        sa.quickModes.put(qm.messageId, qm);

        List<Payload> afterHash = new ArrayList<>();
        afterHash.add(Phase2.offer(entry.proposals(), qm.inboundSpi, qm.lifetimeSeconds, qm.lifetimeKilobytes,
                entry.pfsGroup(), Phase2.encapsulationMode(sa, true), Phase2.encapsulationMode(sa, false)));
        afterHash.add(new NoncePayload(qm.initiatorNonce));
        if (entry.pfsGroup() != 0) {
            DhGroup group = DhGroup.byId(entry.pfsGroup()).orElseThrow();
            qm.pfsKey = group.generateKeyPair(engine.random);
            afterHash.add(new KePayload(qm.pfsKey.publicValue()));
        }
        afterHash.add(qm.local.toId());
        afterHash.add(qm.remote.toId());
        byte[] msg = engine.driver.protectedMessage(sa, ExchangeType.QUICK_MODE, qm.messageId, 0, ExchangeDriver.HashKind.QM1,
                null, afterHash);
        qm.state = QuickModeExchange.State.QM_I1_SENT;
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": beginning Quick Mode exchange, M-ID of "
                + Integer.toUnsignedString(qm.messageId));
        engine.debug(DebugCategory.IPSEC, "IPSEC(sa_request): , (key eng. msg.) OUTBOUND local= "
                + Ipv4.format(sa.localAddress) + ", remote= " + Ipv4.format(sa.peerAddress) + ", local_proxy= "
                + qm.local.ios() + ", remote_proxy= " + qm.remote.ios());
        engine.driver.sendRequest(sa, qm.retransmission, engine.driver.datagramTo(sa, msg), now);
    }

    static void onMessage2(IkeEngine engine, IkeSa sa, QuickModeExchange qm, Datagram d, IsakmpHeader header,
            long now) throws IsakmpDecodeException {
        PayloadChain chain = engine.driver.openProtected(sa, d, header, MessageRule.QUICK_MODE_2, "QM2",
                c -> sa.keys.quickModeHash2(qm.messageId, qm.initiatorNonce, c.rawAfter(0)));
        if (chain == null) {
            return;
        }
        SaPayload accepted = chain.first(SaPayload.class).orElseThrow();
        Proposal p = accepted.proposals().isEmpty() ? null : accepted.proposals().getFirst();
        Phase2.Offered chosen = p == null || p.protocolId() != ProtocolId.IPSEC_ESP || p.transforms().size() != 1
                || p.spiSize() != 4 ? null : Phase2.parse(p.transforms().getFirst());
        EspProposal suite = null;
        if (chosen != null) {
            for (EspProposal ours : qm.policy.proposals()) {
                if (chosen.matches(ours)) {
                    suite = ours;
                    break;
                }
            }
        }
        if (suite == null) {
            fail(engine, sa, qm, NegotiationFailure.NO_PROPOSAL_CHOSEN, "phase 2: responder chose a transform we did not offer", now);
            return;
        }
        String badSpi = Phase2.unusableSpi(engine, sa, p.spiAsInt());
        if (badSpi != null) {
            fail(engine, sa, qm, badSpi, now);
            return;
        }
        qm.transform = suite;
        qm.outboundSpi = p.spiAsInt();
        qm.responderNonce = chain.first(NoncePayload.class).orElseThrow().data();
        List<IdPayload> ids = chain.all(IdPayload.class);
        if (ids.size() == 2) {
            TrafficSelector l = TrafficSelector.fromId(ids.get(0));
            TrafficSelector r = TrafficSelector.fromId(ids.get(1));
            if (l == null || r == null || !l.equals(qm.local) || !r.equals(qm.remote)) {
                fail(engine, sa, qm, NegotiationFailure.POLICY, "phase 2: responder changed the proxy identities", now);
                return;
            }
        }
        byte[] pfsSecret = null;
        if (qm.pfsKey != null) {
            KePayload ke = chain.first(KePayload.class).orElse(null);
            if (ke == null) {
                fail(engine, sa, qm, NegotiationFailure.MALFORMED, "phase 2: responder answered PFS without a KE payload", now);
                return;
            }
            try {
                pfsSecret = qm.pfsKey.sharedSecret(ke.data());
            } catch (CryptoException e) {
                fail(engine, sa, qm, NegotiationFailure.MALFORMED, "phase 2: invalid PFS public value: " + e.getMessage(), now);
                return;
            }
        }
        qm.lifetimeSeconds = engine.peerLifetimes.agree(sa, PeerLifetimes.Kind.IPSEC_SECONDS, chosen.seconds(),
                qm.lifetimeSeconds);
        qm.lifetimeKilobytes = engine.peerLifetimes.agree(sa, PeerLifetimes.Kind.IPSEC_KILOBYTES,
                chosen.kilobytes(), qm.lifetimeKilobytes);
        for (NotifyPayload n : chain.all(NotifyPayload.class)) {
            if (n.notifyType() == NotifyType.RESPONDER_LIFETIME) {
                long[] life = Phase2.parseResponderLifetime(n.data());
                engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": processing RESPONDER_LIFETIME notify: "
                        + life[0] + " s, " + life[1] + " kB (-1: none)");
                qm.lifetimeSeconds = engine.peerLifetimes.agree(sa, PeerLifetimes.Kind.IPSEC_SECONDS, life[0],
                        qm.lifetimeSeconds);
                qm.lifetimeKilobytes = engine.peerLifetimes.agree(sa, PeerLifetimes.Kind.IPSEC_KILOBYTES, life[1],
                        qm.lifetimeKilobytes);
            }
        }
        qm.retransmission.answered();

        byte[] hash3 = sa.keys.quickModeHash3(qm.messageId, qm.initiatorNonce, qm.responderNonce);
        byte[] body = IsakmpCodec.encodePayloads(List.of(new HashPayload(hash3)));
        byte[] ciphertext = engine.driver.seal(sa, qm.messageId, body);
        IsakmpHeader h = IsakmpHeader.of(sa.initiatorCookie, sa.responderCookie, ExchangeType.QUICK_MODE, 0,
                qm.messageId);
        Datagram qm3 = engine.driver.datagramTo(sa, IsakmpCodec.encodeEncrypted(h, dev.vpnrouter.ike.wire.PayloadType.HASH,
                ciphertext));
        qm.replies.remember(d, qm3);
        engine.send(qm3);
        qm.state = QuickModeExchange.State.DONE;
        ChildSa child = QuickModeResponder.childSa(engine, sa, qm, pfsSecret, now);
        engine.installChild(sa, child);
        if (qm.replacing != null) {
            SaTimers.retireLater(engine, sa, qm.replacing, now);
        }
        ModeConfigClient.quickModeEnded(engine, sa, qm, now);
    }

    /** Ends our Quick Mode unfinished (refused, malformed answer, no answer); callers may be iterating a copy only. */
    static void fail(IkeEngine engine, IkeSa sa, QuickModeExchange qm, NegotiationFailure why, String reason,
            long now) {
        qm.state = QuickModeExchange.State.DONE;
        qm.retransmission.answered();
        engine.releaseSpi(qm.inboundSpi);
        engine.effectsRefusal(sa, why, reason);
        ModeConfigClient.quickModeEnded(engine, sa, qm, now);
    }

    /** As above for a refusal nobody has classified yet: counted as {@link NegotiationFailure#OTHER}. */
    static void fail(IkeEngine engine, IkeSa sa, QuickModeExchange qm, String reason, long now) {
        fail(engine, sa, qm, NegotiationFailure.OTHER, reason, now);
    }
}
