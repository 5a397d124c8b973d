package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.cfg.IkeProposal;
import dev.vpnrouter.ike.cfg.PresharedKey;
import dev.vpnrouter.ike.cfg.VpnClientProfile;
import dev.vpnrouter.ike.crypto.CryptoException;
import dev.vpnrouter.ike.crypto.DhGroup;
import dev.vpnrouter.ike.wire.ExchangeType;
import dev.vpnrouter.ike.wire.HashPayload;
import dev.vpnrouter.ike.wire.IdPayload;
import dev.vpnrouter.ike.wire.IdType;
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
import dev.vpnrouter.ike.wire.Phase1Attribute;
import dev.vpnrouter.ike.wire.ProtocolId;
import dev.vpnrouter.ike.wire.SaPayload;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Aggressive Mode, initiator side: AM1 (SA, KE, Ni, IDii, vendor IDs), then on AM2 (HASH_R verified) AM3 (HASH_I,
 * INITIAL-CONTACT, NAT-D), encrypted as the Cisco client and vpnc send it, on port 4500 when NAT-D shows a NAT.
 * Our VPN client role starts here ({@link #startClient}): the group name goes as ID_KEY_ID (UDP/500, like vpnc)
 * and the group key authenticates; Xauth and Mode Config follow.
 */
final class AggressiveModeInitiator extends Phase1Exchange {
    /** IDii_b: our ID payload's body, for HASH_I. */
    private byte[] localIdBody;

    AggressiveModeInitiator(IkeEngine engine, IkeSa sa) {
        super(engine, sa);
    }

    @Override
    int exchangeType() {
        return ExchangeType.AGGRESSIVE;
    }

    @Override
    void releaseMaterial() {
        super.releaseMaterial();
        localIdBody = null;
    }

    static IkeSa startClient(IkeEngine engine, VpnClientProfile profile, long now) {
        return startClient(engine, profile, Retransmission.MAX_RETRANSMITS, now);
    }

    /** As {@link #startClient(IkeEngine, VpnClientProfile, long)}, the first message resent at most {@code resends} times. */
    static IkeSa startClient(IkeEngine engine, VpnClientProfile profile, int resends, long now) {
        byte[] group = profile.group().getBytes(StandardCharsets.UTF_8);
        IdPayload id = new IdPayload(IdType.KEY_ID, 17, Datagram.IKE_PORT, group);
        int auth = profile.username() == null ? Phase1Attribute.AuthMethod.PRE_SHARED_KEY
                : Phase1Attribute.AuthMethod.XAUTH_INIT_PRESHARED;
        IkeSa sa = start(engine, profile.hub(), id, new PresharedKey(profile.groupKey(), "group " + profile.group(),
                false), profile.ikeProposals(), auth, resends, now);
        sa.vpnClient = new VpnClientSession(profile);
        return sa;
    }

    static IkeSa start(IkeEngine engine, int peer, IdPayload localId, PresharedKey psk, List<IkeProposal> proposals,
            int authMethod, int resends, long now) {
        IkeSa sa = engine.newSa(true, engine.newInitiatorCookie(), peer, Datagram.IKE_PORT, now);
        new AggressiveModeInitiator(engine, sa).sendMessage1(localId, psk, proposals, authMethod, resends, now);
        return sa;
    }

    private void sendMessage1(IdPayload localId, PresharedKey psk, List<IkeProposal> proposals, int authMethod,
            int resends, long now) {
        int peer = sa.peerAddress;
        psk(psk);
        DhGroup group = DhGroup.byId(proposals.getFirst().dhGroup()).orElse(null);
        if (group == null) {
            engine.refuse(sa, NegotiationFailure.NO_PROPOSAL_CHOSEN, "phase 1: DH group " + proposals.getFirst().dhGroup() + " is not supported", now);
            return;
        }
        SaPayload offer = Phase1.offer(proposals, authMethod);
        offered(IsakmpCodec.encodeBody(offer));
        startKeyExchange(group);
        localIdBody = Phase1.idBody(localId);
        List<Payload> msg = new ArrayList<>();
        msg.add(offer);
        msg.add(new KePayload(initiatorKe()));
        msg.add(new NoncePayload(initiatorNonce()));
        msg.add(localId);
        msg.addAll(Phase1.vendorIds(true, sa));
        IsakmpHeader h = IsakmpHeader.of(sa.initiatorCookie, 0, ExchangeType.AGGRESSIVE, 0, 0);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP: beginning Aggressive Mode exchange");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": sending packet to " + Ipv4.format(peer)
                + " my_port " + sa.localPort + " peer_port " + sa.peerPort + " (I) AG_INIT_EXCH");
        engine.stateChange(sa, IkeSa.State.IKE_I_AM1, "IKE_MSG_FROM_IPSEC, IKE_SA_REQ_AM");
        engine.driver.sendRequest(sa, retransmission(), engine.driver.datagramTo(sa, IsakmpCodec.encode(h, msg)), now,
                resends);
    }

    @Override
    void onExchangeMessage(Datagram d, IsakmpHeader header, long now) throws IsakmpDecodeException {
        if (sa.state != IkeSa.State.IKE_I_AM1) {
            engine.counters.duplicates++;
            return;
        }
        PayloadChain chain = engine.driver.openPlain(d, header, MessageRule.AGGRESSIVE_2);
        IkeProposal chosen = acceptedProposal(chain.first(SaPayload.class).orElseThrow());
        if (chosen == null) {
            engine.refuse(sa, NegotiationFailure.NO_PROPOSAL_CHOSEN, "phase 1: responder chose a transform we did not offer", now);
            return;
        }
        byte[] peerKe = chain.first(KePayload.class).orElseThrow().data();
        byte[] nr = chain.first(NoncePayload.class).orElseThrow().data();
        if (nr.length < 8 || nr.length > 256) {
            engine.refuse(sa, NegotiationFailure.MALFORMED, "phase 1: responder nonce of " + nr.length + " bytes", now);
            return;
        }
        byte[] gxy;
        try {
            gxy = sharedSecret(peerKe);
        } catch (CryptoException e) {
            engine.refuse(sa, NegotiationFailure.MALFORMED, "phase 1: invalid DH public value from responder: " + e.getMessage(), now);
            return;
        }
        engine.setResponderCookie(sa, header.responderCookie());
        sa.proposal = chosen;
        sa.lifetimeSeconds = chosen.lifetimeSeconds();
        completeKeyExchange(peerKe, nr, gxy);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": SKEYID state generated");
        int idIndex = chain.types().indexOf(PayloadType.ID);
        byte[] expected = hashR(chain.rawBody(idIndex));
        byte[] received = chain.first(HashPayload.class).map(HashPayload::data).orElse(new byte[0]);
        if (!MessageDigest.isEqual(expected, received)) {
            engine.counters.authFailures++;
            // Tell the hub, as vpnc does; its AM2 may be a decoy for an unknown group, it cannot tell.
            Informational.sendClearNotify(engine, sa, NotifyType.INVALID_HASH_INFORMATION);
            engine.refuse(sa, NegotiationFailure.AUTHENTICATION, "phase 1: HASH_R from " + Ipv4.format(sa.peerAddress)
                    + " does not verify: wrong group key (or unknown group)", now);
            return;
        }
        retransmission().answered();
        sa.peerIdentity = Phase1.identityText((IdPayload) chain.get(idIndex));
        Phase1.processVendorIds(engine, sa, chain);
        // AM3's NAT-D covers the addresses and ports of AM1/AM2, as vpnc computes it, even when AM3 floats.
        List<Payload> natd = sa.peerNatT ? Phase1.natD(sa, chosen.hash()) : List.of();
        if (sa.peerNatT) {
            Phase1.checkNatD(engine, sa, chain, chosen.hash());
            if (sa.natDetected()) {
                // RFC 3947: AM3 and everything after it go to port 4500.
                sa.localPort = Datagram.NAT_T_PORT;
                sa.peerPort = Datagram.NAT_T_PORT;
            }
        }

        byte[] hashI = hashI(localIdBody);
        List<Payload> msg = new ArrayList<>();
        msg.add(new HashPayload(hashI));
        if (!engine.hasOtherSaWith(sa)) {
            msg.add(NotifyPayload.of(ProtocolId.ISAKMP, NotifyType.INITIAL_CONTACT,
                    IsakmpHeader.of(sa.initiatorCookie, sa.responderCookie, 0, 0, 0).cookiePair(), new byte[0]));
        }
        msg.addAll(natd);
        byte[] sealed = engine.driver.sealPhase1(sa, IsakmpCodec.encodePayloads(msg));
        IsakmpHeader h = IsakmpHeader.of(sa.initiatorCookie, sa.responderCookie, ExchangeType.AGGRESSIVE,
                0, 0);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": sending packet to " + Ipv4.format(sa.peerAddress)
                + " my_port " + sa.localPort + " peer_port " + sa.peerPort + " (I) AG_INIT_EXCH");
        // AM3 ends the exchange: a repeated AM2 means it was lost, and gets it again.
        engine.driver.sendReply(replies(), d, engine.driver.datagramTo(sa, IsakmpCodec.encodeEncrypted(h, PayloadType.HASH,
                sealed)));
        engine.stateChange(sa, IkeSa.State.IKE_P1_COMPLETE, "IKE_MSG_FROM_PEER, IKE_AM_EXCH");
        engine.phase1Complete(sa, now);
        if (sa.vpnClient != null) {
            sa.vpnClient.state = VpnClientSession.State.WAITING_FOR_XAUTH;
            sa.vpnClient.waitDeadlineMillis = now + VpnClientSession.XAUTH_WAIT_MILLIS;
            engine.reschedule(sa);
        } else {
            engine.startPendingChildren(sa, now);
        }
    }

    /** The single transform the responder returned, if it is one we offered. */
    private IkeProposal acceptedProposal(SaPayload accepted) {
        if (accepted.proposals().size() != 1 || accepted.proposals().getFirst().protocolId() != ProtocolId.ISAKMP
                || accepted.proposals().getFirst().transforms().size() != 1) {
            return null;
        }
        Phase1.Offered o = Phase1.parse(accepted.proposals().getFirst().transforms().getFirst());
        if (o == null) {
            return null;
        }
        List<IkeProposal> offered = sa.vpnClient != null ? sa.vpnClient.profile.ikeProposals()
                : engine.policy.ikeProposals();
        for (IkeProposal ours : offered) {
            if (o.encryption() == ours.encryption() && o.keyBits() == ours.keyBits() && o.hash() == ours.hash()
                    && o.group() == ours.dhGroup() && Phase1.isPresharedAuth(o.authMethod())
                    && Phase1.cipher(ours) != null) {
                return new IkeProposal(ours.priority(), o.encryption(), o.keyBits(), o.hash(), o.authMethod(),
                        o.group(), engine.peerLifetimes.agree(sa, PeerLifetimes.Kind.PHASE1_SECONDS,
                        o.lifetimeSeconds(), ours.lifetimeSeconds()));
            }
        }
        return null;
    }
}
