package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.cfg.IkeProposal;
import dev.vpnrouter.ike.cfg.PresharedKey;
import dev.vpnrouter.ike.crypto.CryptoException;
import dev.vpnrouter.ike.wire.EncryptedMessage;
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
import dev.vpnrouter.ike.wire.PayloadType;
import dev.vpnrouter.ike.wire.ProtocolId;
import dev.vpnrouter.ike.wire.SaPayload;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Main Mode, initiator side: MM1 (our policies), MM3 (KE, nonce, NAT-D) on MM2, MM5 (identity, HASH_I) on MM4,
 * and phase 1 done on MM6. When NAT-D shows a NAT, MM5 onwards go to port 4500 (RFC 3947).
 */
final class MainModeInitiator extends Phase1Exchange {
    private MainModeInitiator(IkeEngine engine, IkeSa sa) {
        super(engine, sa);
    }

    @Override
    int exchangeType() {
        return ExchangeType.IDENTITY_PROTECTION;
    }

    static IkeSa start(IkeEngine engine, int peer, long now) {
        IkeSa sa = engine.newSa(true, engine.newInitiatorCookie(), peer, Datagram.IKE_PORT, now);
        new MainModeInitiator(engine, sa).sendMessage1(now);
        return sa;
    }

    private void sendMessage1(long now) {
        int peer = sa.peerAddress;
        PresharedKey psk = engine.policy.presharedKeyFor(peer);
        if (psk == null) {
            engine.log(dev.vpnrouter.syslog.IosMessages.queryKeyFailed());
            engine.refuse(sa, NegotiationFailure.AUTHENTICATION, "no pre-shared key configured for peer " + Ipv4.format(peer), now);
            return;
        }
        psk(psk);
        if (engine.policy.ikeProposals().isEmpty()) {
            engine.refuse(sa, NegotiationFailure.NO_PROPOSAL_CHOSEN, "no crypto isakmp policy with pre-shared key authentication to offer", now);
            return;
        }
        SaPayload offer = Phase1.offer(engine.policy.ikeProposals(), 0);
        offered(IsakmpCodec.encodeBody(offer));
        List<Payload> msg = new ArrayList<>();
        msg.add(offer);
        msg.addAll(Phase1.vendorIds(true, sa));
        IsakmpHeader h = IsakmpHeader.of(sa.initiatorCookie, 0, ExchangeType.IDENTITY_PROTECTION, 0, 0);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP: beginning Main Mode exchange");
        engine.sendingPacket(sa, "(I) MM_NO_STATE");
        engine.stateChange(sa, IkeSa.State.IKE_I_MM1, "IKE_MSG_FROM_IPSEC, IKE_SA_REQ_MM");
        engine.driver.sendRequest(sa, retransmission(), engine.driver.datagramTo(sa, IsakmpCodec.encode(h, msg)), now);
    }

    @Override
    void onExchangeMessage(Datagram d, IsakmpHeader header, long now) throws IsakmpDecodeException {
        switch (sa.state) {
            case IKE_I_MM1 -> onMessage2(d, header, now);
            case IKE_I_MM3 -> onMessage4(d, header, now);
            case IKE_I_MM5 -> onMessage6(d, header, now);
            default -> engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": unexpected Main Mode message in "
                    + sa.state + ", dropped");
        }
    }

    private void onMessage2(Datagram d, IsakmpHeader header, long now)
            throws IsakmpDecodeException {
        PayloadChain chain = engine.driver.openPlain(d, header, MessageRule.MAIN_MODE_2);
        SaPayload accepted = chain.first(SaPayload.class).orElseThrow();
        IkeProposal chosen = acceptedProposal(accepted);
        if (chosen == null) {
            engine.refuse(sa, NegotiationFailure.NO_PROPOSAL_CHOSEN, "phase 1: responder chose a transform we did not offer", now);
            return;
        }
        engine.setResponderCookie(sa, header.responderCookie());
        retransmission().answered();
        engine.stateChange(sa, IkeSa.State.IKE_I_MM2, "IKE_MSG_FROM_PEER, IKE_MM_EXCH");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": processing SA payload. message ID = 0");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": atts are acceptable. Next payload is 0");
        sa.proposal = chosen;
        sa.lifetimeSeconds = chosen.lifetimeSeconds();
        Phase1.processVendorIds(engine, sa, chain);
        startKeyExchange(Phase1.group(chosen));

        List<Payload> msg = new ArrayList<>();
        msg.add(new KePayload(initiatorKe()));
        msg.add(new NoncePayload(initiatorNonce()));
        if (sa.peerNatT) {
            msg.addAll(Phase1.natD(sa, chosen.hash()));
        }
        IsakmpHeader h = IsakmpHeader.of(sa.initiatorCookie, sa.responderCookie, ExchangeType.IDENTITY_PROTECTION,
                0, 0);
        engine.sendingPacket(sa, "(I) MM_SA_SETUP");
        engine.stateChange(sa, IkeSa.State.IKE_I_MM3, "IKE_MSG_INTERNAL, IKE_PROCESS_COMPLETE");
        engine.driver.sendRequest(sa, retransmission(), engine.driver.datagramTo(sa, IsakmpCodec.encode(h, msg)), now);
    }

    /** The single transform the responder returned, if it is one of our policies. */
    private IkeProposal acceptedProposal(SaPayload accepted) {
        if (accepted.proposals().size() != 1 || accepted.proposals().getFirst().protocolId() != ProtocolId.ISAKMP
                || accepted.proposals().getFirst().transforms().size() != 1) {
            return null;
        }
        Phase1.Offered o = Phase1.parse(accepted.proposals().getFirst().transforms().getFirst());
        if (o == null) {
            return null;
        }
        for (IkeProposal ours : engine.policy.ikeProposals()) {
            if (o.encryption() == ours.encryption() && o.keyBits() == ours.keyBits() && o.hash() == ours.hash()
                    && o.group() == ours.dhGroup() && Phase1.isPresharedAuth(o.authMethod())
                    && Phase1.group(ours) != null && Phase1.cipher(ours) != null) {
                return new IkeProposal(ours.priority(), o.encryption(), o.keyBits(), o.hash(), o.authMethod(),
                        o.group(), engine.peerLifetimes.agree(sa, PeerLifetimes.Kind.PHASE1_SECONDS,
                        o.lifetimeSeconds(), ours.lifetimeSeconds()));
            }
        }
        return null;
    }

    private void onMessage4(Datagram d, IsakmpHeader header, long now)
            throws IsakmpDecodeException {
        PayloadChain chain = engine.driver.openPlain(d, header, MessageRule.MAIN_MODE_4);
        byte[] peerKe = chain.first(KePayload.class).orElseThrow().data();
        byte[] nr = chain.first(NoncePayload.class).orElseThrow().data();
        byte[] gxy;
        try {
            gxy = sharedSecret(peerKe);
        } catch (CryptoException e) {
            engine.refuse(sa, NegotiationFailure.MALFORMED, "phase 1: invalid DH public value from responder: " + e.getMessage(), now);
            return;
        }
        if (nr.length < 8 || nr.length > 256) {
            engine.refuse(sa, NegotiationFailure.MALFORMED, "phase 1: responder nonce of " + nr.length + " bytes", now);
            return;
        }
        retransmission().answered();
        engine.stateChange(sa, IkeSa.State.IKE_I_MM4, "IKE_MSG_FROM_PEER, IKE_MM_EXCH");
        completeKeyExchange(peerKe, nr, gxy);
        engine.keysDerived(sa);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": SKEYID state generated");
        Phase1.processVendorIds(engine, sa, chain);
        if (sa.peerNatT) {
            Phase1.checkNatD(engine, sa, chain, sa.proposal.hash());
            if (sa.natDetected()) {
                // RFC 3947: once a NAT is found, the rest of the negotiation floats to port 4500.
                sa.localPort = Datagram.NAT_T_PORT;
                sa.peerPort = Datagram.NAT_T_PORT;
            }
        }

        IdPayload ours = Phase1.localIdentity(sa);
        byte[] hashI = hashI(Phase1.idBody(ours));
        List<Payload> msg = new ArrayList<>();
        msg.add(ours);
        msg.add(new HashPayload(hashI));
        if (!engine.hasOtherSaWith(sa)) {
            // No SA with this peer: tell it to forget whatever it still holds from an earlier life of ours.
            msg.add(NotifyPayload.of(ProtocolId.ISAKMP, NotifyType.INITIAL_CONTACT,
                    IsakmpHeader.of(sa.initiatorCookie, sa.responderCookie, 0, 0, 0).cookiePair(), new byte[0]));
        }
        byte[] sealed = engine.driver.sealPhase1(sa, IsakmpCodec.encodePayloads(msg));
        IsakmpHeader h = IsakmpHeader.of(sa.initiatorCookie, sa.responderCookie, ExchangeType.IDENTITY_PROTECTION,
                0, 0);
        engine.sendingPacket(sa, "(I) MM_KEY_EXCH");
        engine.stateChange(sa, IkeSa.State.IKE_I_MM5, "IKE_MSG_INTERNAL, IKE_PROCESS_COMPLETE");
        engine.driver.sendRequest(sa, retransmission(),
                engine.driver.datagramTo(sa, IsakmpCodec.encodeEncrypted(h, PayloadType.ID, sealed)), now);
    }

    private void onMessage6(Datagram d, IsakmpHeader header, long now)
            throws IsakmpDecodeException {
        if (!(IsakmpCodec.decode(d.data()) instanceof EncryptedMessage em)) {
            throw new IsakmpDecodeException(NotifyType.INVALID_FLAGS, "MM6 is not encrypted");
        }
        PayloadChain chain;
        try {
            chain = engine.driver.openPhase1(sa, header, em.body(), MessageRule.MAIN_MODE_6);
        } catch (CryptoException | IsakmpDecodeException e) {
            engine.counters.authFailures++;
            engine.refuse(sa, NegotiationFailure.AUTHENTICATION, "phase 1: MM6 from " + Ipv4.format(sa.peerAddress)
                    + " does not decrypt: pre-shared key mismatch", now);
            return;
        }
        int idIndex = chain.types().indexOf(PayloadType.ID);
        IdPayload id = (IdPayload) chain.get(idIndex);
        byte[] expected = hashR(chain.rawBody(idIndex));
        byte[] received = chain.first(HashPayload.class).map(HashPayload::data).orElse(new byte[0]);
        if (!MessageDigest.isEqual(expected, received)) {
            engine.counters.authFailures++;
            engine.refuse(sa, NegotiationFailure.AUTHENTICATION, "phase 1: HASH_R from " + Ipv4.format(sa.peerAddress)
                    + " does not verify: pre-shared key mismatch", now);
            return;
        }
        retransmission().answered();
        engine.driver.commitPhase1Iv(sa, em.body());
        sa.peerIdentity = Phase1.identityText(id);
        engine.stateChange(sa, IkeSa.State.IKE_I_MM6, "IKE_MSG_FROM_PEER, IKE_MM_EXCH");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": SA has been authenticated with "
                + Ipv4.format(sa.peerAddress));
        engine.stateChange(sa, IkeSa.State.IKE_P1_COMPLETE, "IKE_MSG_INTERNAL, IKE_PROCESS_COMPLETE");
        engine.phase1Complete(sa, now);
        engine.startPendingChildren(sa, now);
    }
}
