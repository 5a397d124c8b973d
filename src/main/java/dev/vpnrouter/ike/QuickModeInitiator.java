package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.EspProposal;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.ike.crypto.CryptoException;
import dev.vpnrouter.ike.crypto.DhGroup;
import dev.vpnrouter.ike.crypto.DhKeyPair;
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
 * the responder's choice, QM3 confirms and both ESP SAs are installed. One object per exchange (message ID).
 */
final class QuickModeInitiator extends QuickModeExchange {
    private final ChildPolicy policy;
    private final TrafficSelector local;
    private final TrafficSelector remote;
    /** The child SA this exchange replaces (a rekey), or null. */
    private final ChildSa replacing;
    private final byte[] initiatorNonce;
    private byte[] responderNonce;
    private final int inboundSpi;
    private DhKeyPair pfsKey;
    private long lifetimeSeconds;
    private long lifetimeKilobytes;

    private QuickModeInitiator(IkeEngine engine, IkeSa sa, ChildPolicy entry, ChildPolicy.SelectorPair pair,
            ChildSa replacing, long now) {
        super(engine, sa, engine.driver.newMessageId(sa), now);
        this.policy = entry;
        this.local = pair.local();
        this.remote = pair.remote();
        this.replacing = replacing;
        this.initiatorNonce = engine.nonce();
        this.inboundSpi = engine.children.allocateSpi();
        this.lifetimeSeconds = entry.lifetimeSeconds() > 0 ? entry.lifetimeSeconds()
                : Phase2.DEFAULT_LIFETIME_SECONDS;
        this.lifetimeKilobytes = Phase2.ourKilobytes(entry);
    }

    static void start(IkeEngine engine, IkeSa sa, ChildPolicy entry, ChildPolicy.SelectorPair pair,
            ChildSa replacing, long now) {
        QuickModeInitiator qm = new QuickModeInitiator(engine, sa, entry, pair, replacing, now);
        engine.counters.phase2Started++;
        sa.quickModes.put(qm.messageId(), qm);
        qm.sendMessage1(now);
    }

    private void sendMessage1(long now) {
        List<Payload> afterHash = new ArrayList<>();
        afterHash.add(Phase2.offer(policy.proposals(), inboundSpi, lifetimeSeconds, lifetimeKilobytes,
                policy.pfsGroup(), Phase2.encapsulationMode(sa, true), Phase2.encapsulationMode(sa, false)));
        afterHash.add(new NoncePayload(initiatorNonce));
        if (policy.pfsGroup() != 0) {
            DhGroup group = DhGroup.byId(policy.pfsGroup()).orElseThrow();
            pfsKey = group.generateKeyPair(engine.random);
            afterHash.add(new KePayload(pfsKey.publicValue()));
        }
        afterHash.add(local.toId());
        afterHash.add(remote.toId());
        byte[] msg = engine.driver.protectedMessage(sa, ExchangeType.QUICK_MODE, messageId(), 0,
                ExchangeDriver.HashKind.QM1, null, afterHash);
        enter(State.QM_I1_SENT);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": beginning Quick Mode exchange, M-ID of "
                + Integer.toUnsignedString(messageId()));
        engine.debug(DebugCategory.IPSEC, "IPSEC(sa_request): , (key eng. msg.) OUTBOUND local= "
                + Ipv4.format(sa.localAddress) + ", remote= " + Ipv4.format(sa.peerAddress) + ", local_proxy= "
                + local.ios() + ", remote_proxy= " + remote.ios());
        engine.driver.sendRequest(sa, retransmission(), engine.driver.datagramTo(sa, msg), now);
    }

    @Override
    void onMessage(Datagram d, IsakmpHeader header, long now) throws IsakmpDecodeException {
        if (state() != State.QM_I1_SENT) {
            engine.counters.duplicates++;
            return;
        }
        onMessage2(d, header, now);
    }

    private void onMessage2(Datagram d, IsakmpHeader header, long now) throws IsakmpDecodeException {
        int mid = messageId();
        PayloadChain chain = engine.driver.openProtected(sa, d, header, MessageRule.QUICK_MODE_2, "QM2",
                c -> sa.keys.quickModeHash2(mid, initiatorNonce, c.rawAfter(0)));
        if (chain == null) {
            return;
        }
        SaPayload accepted = chain.first(SaPayload.class).orElseThrow();
        Proposal p = accepted.proposals().isEmpty() ? null : accepted.proposals().getFirst();
        Phase2.Offered chosen = p == null || p.protocolId() != ProtocolId.IPSEC_ESP || p.transforms().size() != 1
                || p.spiSize() != 4 ? null : Phase2.parse(p.transforms().getFirst());
        EspProposal suite = null;
        if (chosen != null) {
            for (EspProposal ours : policy.proposals()) {
                if (chosen.matches(ours)) {
                    suite = ours;
                    break;
                }
            }
        }
        if (suite == null) {
            fail(NegotiationFailure.NO_PROPOSAL_CHOSEN, "phase 2: responder chose a transform we did not offer", now);
            return;
        }
        String badSpi = Phase2.unusableSpi(engine, sa, p.spiAsInt());
        if (badSpi != null) {
            fail(NegotiationFailure.OTHER, badSpi, now);
            return;
        }
        int outboundSpi = p.spiAsInt();
        responderNonce = chain.first(NoncePayload.class).orElseThrow().data();
        List<IdPayload> ids = chain.all(IdPayload.class);
        if (ids.size() == 2) {
            TrafficSelector l = TrafficSelector.fromId(ids.get(0));
            TrafficSelector r = TrafficSelector.fromId(ids.get(1));
            if (l == null || r == null || !l.equals(local) || !r.equals(remote)) {
                fail(NegotiationFailure.POLICY, "phase 2: responder changed the proxy identities", now);
                return;
            }
        }
        byte[] pfsSecret = null;
        if (pfsKey != null) {
            KePayload ke = chain.first(KePayload.class).orElse(null);
            if (ke == null) {
                fail(NegotiationFailure.MALFORMED, "phase 2: responder answered PFS without a KE payload", now);
                return;
            }
            try {
                pfsSecret = pfsKey.sharedSecret(ke.data());
            } catch (CryptoException e) {
                fail(NegotiationFailure.MALFORMED, "phase 2: invalid PFS public value: " + e.getMessage(), now);
                return;
            }
        }
        lifetimeSeconds = engine.peerLifetimes.agree(sa, PeerLifetimes.Kind.IPSEC_SECONDS, chosen.seconds(),
                lifetimeSeconds);
        lifetimeKilobytes = engine.peerLifetimes.agree(sa, PeerLifetimes.Kind.IPSEC_KILOBYTES,
                chosen.kilobytes(), lifetimeKilobytes);
        for (NotifyPayload n : chain.all(NotifyPayload.class)) {
            if (n.notifyType() == NotifyType.RESPONDER_LIFETIME) {
                long[] life = Phase2.parseResponderLifetime(n.data());
                engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": processing RESPONDER_LIFETIME notify: "
                        + life[0] + " s, " + life[1] + " kB (-1: none)");
                lifetimeSeconds = engine.peerLifetimes.agree(sa, PeerLifetimes.Kind.IPSEC_SECONDS, life[0],
                        lifetimeSeconds);
                lifetimeKilobytes = engine.peerLifetimes.agree(sa, PeerLifetimes.Kind.IPSEC_KILOBYTES, life[1],
                        lifetimeKilobytes);
            }
        }
        retransmission().answered();

        byte[] hash3 = sa.keys.quickModeHash3(mid, initiatorNonce, responderNonce);
        byte[] body = IsakmpCodec.encodePayloads(List.of(new HashPayload(hash3)));
        byte[] ciphertext = engine.driver.seal(sa, mid, body);
        IsakmpHeader h = IsakmpHeader.of(sa.initiatorCookie, sa.responderCookie, ExchangeType.QUICK_MODE, 0, mid);
        Datagram qm3 = engine.driver.datagramTo(sa, IsakmpCodec.encodeEncrypted(h,
                dev.vpnrouter.ike.wire.PayloadType.HASH, ciphertext));
        engine.driver.sendReply(replies(), d, qm3);
        enter(State.DONE);
        engine.children.install(sa, childSa(suite, outboundSpi, pfsSecret, lifetimeSeconds, lifetimeKilobytes, now));
        if (replacing != null) {
            SaTimers.retireLater(engine, sa, replacing, now);
        }
        ModeConfigClient.quickModeEnded(engine, sa, this, now);
    }

    @Override
    void fail(NegotiationFailure why, String reason, long now) {
        enter(State.DONE);
        retransmission().answered();
        engine.children.releaseSpi(inboundSpi);
        engine.effectsRefusal(sa, why, reason);
        ModeConfigClient.quickModeEnded(engine, sa, this, now);
    }

    /** The child SA this exchange replaces (a rekey), or null. */
    ChildSa replacing() {
        return replacing;
    }

    @Override
    boolean initiator() {
        return true;
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
