package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.cfg.IkeProposal;
import dev.vpnrouter.ike.cfg.PeerProfile;
import dev.vpnrouter.ike.cfg.PresharedKey;
import dev.vpnrouter.ike.crypto.CryptoException;
import dev.vpnrouter.ike.crypto.DhGroup;
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
import dev.vpnrouter.ike.wire.SaPayload;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Main Mode, responder side (RFC 2409 5): MM1 -> MM2 (SA), MM3 -> MM4 (KE, nonce, NAT-D), MM5 -> MM6 (identity
 * and HASH, encrypted). The pre-shared key is chosen by the peer's address at MM1, because the identity only
 * arrives, encrypted, in MM5; the ISAKMP profile is chosen then.
 */
final class MainModeResponder extends Phase1Exchange {
    private MainModeResponder(IkeEngine engine, IkeSa sa) {
        super(engine, sa);
    }

    @Override
    int exchangeType() {
        return ExchangeType.IDENTITY_PROTECTION;
    }

    static void onMessage1(IkeEngine engine, Datagram d, IsakmpHeader header, long now) throws IsakmpDecodeException {
        PayloadChain chain = engine.driver.openPlain(d, header, MessageRule.MAIN_MODE_1);
        String limit = engine.ikeSaLimitReached(d.src());
        if (limit != null) {
            engine.refuseFirstMessage(d.src(), NegotiationFailure.PEER_LIMIT, limit, now);
            return;
        }
        if (engine.mainModeCookies.inUse(engine.sas.halfOpenCount(), engine.policy.inNegotiationLimit())) {
            answerStatelessly(engine, d, header, chain, now);
            return;
        }
        IkeSa sa = engine.newSa(false, header.initiatorCookie(), d.src(), d.srcPort(), now);
        new MainModeResponder(engine, sa).onMessage1(d, chain, now);
    }

    /**
     * MM1 under pressure: MM2 from an SA that is never registered, its responder cookie from
     * {@link MainModeCookies}, which keeps MM1. Nothing else stays behind; an offer we cannot take is dropped
     * unanswered (counted, its line rate-limited), and MM2 is never resent (the initiator resends MM1) nor more than
     * three times MM1's size. The SA is made when MM3 echoes the cookie ({@link #onCookieEcho}).
     */
    private static void answerStatelessly(IkeEngine engine, Datagram d, IsakmpHeader header, PayloadChain chain,
            long now) {
        IkeSa probe = new IkeSa(0, false, header.initiatorCookie(), d.dst(), d.dstPort(), d.src(), d.srcPort(), now);
        PresharedKey psk = engine.policy.presharedKeyFor(d.src());
        int saIndex = chain.types().indexOf(PayloadType.SA);
        SaPayload offer = (SaPayload) chain.get(saIndex);
        IkeProposal chosen = psk == null ? null : Phase1.choose(engine, probe, offer);
        if (chosen == null || Phase1.group(chosen) == null || Phase1.cipher(chosen) == null) {
            engine.counters.mainModeCookiesUnanswered++;
            engine.refuseFirstMessage(d.src(), psk == null ? NegotiationFailure.AUTHENTICATION
                    : NegotiationFailure.NO_PROPOSAL_CHOSEN, psk == null ? "no pre-shared key for peer "
                    + Ipv4.format(d.src()) : "phase 1: no proposal of peer (" + Phase1.describeOffer(offer)
                    + ") matches " + Phase1.describePolicies(engine), now);
            return;
        }
        Phase1.processVendorIds(engine, probe, chain);
        List<Payload> reply = new ArrayList<>();
        reply.add(Phase1.accepted(offer, chosen));
        reply.addAll(Phase1.vendorIds(false, probe));
        // Encoded with the cookie still unknown, so an MM1 we will not answer takes no entry from a kept one.
        byte[] mm2 = IsakmpCodec.encode(IsakmpHeader.of(header.initiatorCookie(), 0,
                ExchangeType.IDENTITY_PROTECTION, 0, 0), reply);
        if (mm2.length > 3 * d.data().length) {
            engine.counters.mainModeCookiesUnanswered++; // a reflector's bargain: never answered
            return;
        }
        long cookie = engine.mainModeCookies.issue(d.data(), header.initiatorCookie(), d.src(), d.srcPort(),
                d.dstPort(), now);
        if (cookie == 0) {
            engine.counters.mainModeCookiesUnanswered++;
            return;
        }
        ByteBuffer.wrap(mm2).putLong(IsakmpHeader.RESPONDER_COOKIE_OFFSET, cookie);
        engine.counters.mainModeCookiesSent++;
        engine.debug(DebugCategory.ISAKMP, "ISAKMP: stateless MM2 to " + Ipv4.format(d.src()) + " (cookie "
                + Long.toHexString(cookie) + ")");
        engine.send(new Datagram(d.dst(), d.dstPort(), d.src(), d.srcPort(), mm2));
    }

    /**
     * A Main Mode message with a responder cookie no SA has: the MM3 that redeems a stateless MM2's cookie, from
     * the address MM2 went to, makes the SA (proven: the peer received at its address), which then takes MM1 as
     * kept and MM3 as usual. False when the cookie does not verify (the caller drops it as a message with no SA).
     */
    static boolean onCookieEcho(IkeEngine engine, Datagram d, IsakmpHeader header, long now)
            throws IsakmpDecodeException {
        int entry = engine.mainModeCookies.redeem(header.initiatorCookie(), header.responderCookie(), d.src(), now);
        if (entry < 0) {
            engine.counters.mainModeCookiesRejected++;
            return false;
        }
        engine.counters.mainModeCookiesRedeemed++;
        byte[] message1 = engine.mainModeCookies.message1(entry);
        Datagram mm1 = new Datagram(d.src(), engine.mainModeCookies.peerPort(entry), d.dst(),
                engine.mainModeCookies.localPort(entry), message1);
        PayloadChain chain1 = engine.driver.openPlain(mm1, IsakmpCodec.decodeHeader(message1), MessageRule.MAIN_MODE_1);
        String limit = engine.ikeSaLimitReached(d.src());
        if (limit != null) {
            engine.refuseFirstMessage(d.src(), NegotiationFailure.PEER_LIMIT, limit, now);
            return true;
        }
        IkeSa sa = engine.newSa(false, header.initiatorCookie(), d.src(), mm1.srcPort(), now);
        sa.localPort = mm1.dstPort();
        engine.setResponderCookie(sa, header.responderCookie());
        engine.sas.prove(sa, engine.policy.inNegotiationLimit());
        engine.debug(DebugCategory.ISAKMP, "ISAKMP: cookie of a stateless MM2 redeemed by "
                + Ipv4.format(d.src()) + ", insert sa successfully sa = " + sa.connId);
        MainModeResponder responder = new MainModeResponder(engine, sa);
        engine.stateChange(sa, IkeSa.State.IKE_R_MM1, "IKE_MSG_FROM_PEER, IKE_MM_EXCH");
        if (responder.takeMessage1(chain1, now) == null) {
            return true;
        }
        engine.stateChange(sa, IkeSa.State.IKE_R_MM2, "IKE_MSG_INTERNAL, IKE_PROCESS_COMPLETE");
        responder.onMessage3(d, header, now);
        if (!sa.deleted) {
            engine.reschedule(sa);
        }
        return true;
    }

    private void onMessage1(Datagram d, PayloadChain chain, long now) {
        sa.localPort = d.dstPort();
        engine.setResponderCookie(sa, engine.responderCookie(sa.initiatorCookie, d.src(), d.srcPort()));
        engine.debug(DebugCategory.ISAKMP, "ISAKMP: local port " + sa.localPort + ", remote port " + sa.peerPort);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP: insert sa successfully sa = " + sa.connId);
        engine.stateChange(sa, IkeSa.State.IKE_R_MM1, "IKE_MSG_FROM_PEER, IKE_MM_EXCH");
        SaPayload offer = takeMessage1(chain, now);
        if (offer == null) {
            return;
        }
        List<Payload> reply = new ArrayList<>();
        reply.add(Phase1.accepted(offer, sa.proposal));
        reply.addAll(Phase1.vendorIds(false, sa));
        IsakmpHeader h = IsakmpHeader.of(sa.initiatorCookie, sa.responderCookie, ExchangeType.IDENTITY_PROTECTION,
                0, 0);
        engine.sendingPacket(sa, "(R) MM_SA_SETUP");
        engine.driver.sendReply(replies(), d, engine.driver.datagramTo(sa, IsakmpCodec.encode(h, reply)));
        engine.stateChange(sa, IkeSa.State.IKE_R_MM2, "IKE_MSG_INTERNAL, IKE_PROCESS_COMPLETE");
        engine.reschedule(sa);
    }

    /**
     * What MM1 decides, whether it came now or was kept by {@link MainModeCookies}: the key by the peer's address,
     * the proposal (with SAi_b), the peer's vendor IDs. Returns the offer, or null when the SA was refused.
     */
    private SaPayload takeMessage1(PayloadChain chain, long now) {
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": processing SA payload. message ID = 0");
        PresharedKey psk = lookupKey(engine, sa);
        if (psk == null) {
            engine.log(dev.vpnrouter.syslog.IosMessages.queryKeyFailed());
            engine.refuse(sa, NegotiationFailure.AUTHENTICATION, "no pre-shared key for peer " + Ipv4.format(sa.peerAddress), now);
            return null;
        }
        psk(psk);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + " local preshared key found");
        scanProfilesForXauth(engine, sa, psk);

        int saIndex = chain.types().indexOf(PayloadType.SA);
        SaPayload offer = (SaPayload) chain.get(saIndex);
        if (acceptOrRefuse(chain, saIndex, now) == null) {
            return null;
        }
        Phase1.processVendorIds(engine, sa, chain);
        engine.stateChange(sa, IkeSa.State.IKE_R_MM1, "IKE_MSG_INTERNAL, IKE_PROCESS_MAIN_MODE");
        return offer;
    }

    /** The pre-shared key for the peer's address, with IOS's lines for the search (global keys first, then keyrings). */
    static PresharedKey lookupKey(IkeEngine engine, IkeSa sa) {
        PresharedKey psk = searchKey(engine, sa);
        if (psk != null) {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": found peer pre-shared key matching "
                    + Ipv4.format(sa.peerAddress));
        } else {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": No pre-shared key with "
                    + Ipv4.format(sa.peerAddress) + "!");
        }
        return psk;
    }

    /** The key search alone: "Looking for a matching key for A in default", then the keyring that has it. */
    static PresharedKey searchKey(IkeEngine engine, IkeSa sa) {
        PresharedKey psk = engine.policy.presharedKeyFor(sa.peerAddress);
        String looking = "ISAKMP: Looking for a matching key for " + Ipv4.format(sa.peerAddress) + " in ";
        if (psk != null && psk.keyring().equals("default")) {
            engine.debug(DebugCategory.ISAKMP, looking + "default : success");
            return psk;
        }
        engine.debug(DebugCategory.ISAKMP, looking + "default");
        if (psk != null) {
            engine.debug(DebugCategory.ISAKMP, looking + psk.keyring() + " : success");
        }
        return psk;
    }

    /**
     * IOS's Xauth scan at MM1: the profiles by name, and whether any of them asks for Xauth (then the key is
     * "xauth preshared" whatever the peer turns out to be; the profile chosen at MM5 decides).
     */
    static void scanProfilesForXauth(IkeEngine engine, IkeSa sa, PresharedKey psk) {
        if (!engine.debug()) {
            return; // lines only: every MM1 comes here, a flood's too
        }
        List<PeerProfile> profiles = engine.policy.profiles();
        if (profiles.isEmpty()) {
            return;
        }
        engine.debug(DebugCategory.ISAKMP, "ISAKMP : Scanning profiles for xauth ... " + String.join(" ",
                profiles.stream().map(PeerProfile::name).toList()));
        if (!psk.noXauth() && profiles.stream().anyMatch(PeerProfile::xauthRequired)) {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + " Authentication by xauth preshared");
        }
    }

    @Override
    void onExchangeMessage(Datagram d, IsakmpHeader header, long now) throws IsakmpDecodeException {
        if (header.responderCookie() == 0) {
            return; // a late copy of MM1 after we moved on: our own retransmission covers it
        }
        switch (sa.state) {
            case IKE_R_MM2 -> onMessage3(d, header, now);
            case IKE_R_MM4 -> onMessage5(d, header, now);
            default -> engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": unexpected Main Mode message in "
                    + sa.state + ", dropped");
        }
    }

    private void onMessage3(Datagram d, IsakmpHeader header, long now)
            throws IsakmpDecodeException {
        PayloadChain chain = engine.driver.openPlain(d, header, MessageRule.MAIN_MODE_3);
        if (d.src() == sa.peerAddress) {
            // It echoed the cookie MM2 carried to this address: a flood from elsewhere may no longer drop it.
            engine.sas.prove(sa, engine.policy.inNegotiationLimit());
        }
        engine.stateChange(sa, IkeSa.State.IKE_R_MM3, "IKE_MSG_FROM_PEER, IKE_MM_EXCH");
        DhGroup group = Phase1.group(sa.proposal);
        byte[] peerKe = chain.first(KePayload.class).orElseThrow().data();
        byte[] ni = chain.first(NoncePayload.class).orElseThrow().data();
        // IOS looks the key up again for SKEYID and says so; the key kept from MM1 is the one used.
        Runnable keyLines = () -> {
            if (engine.debug()) {
                lookupKey(engine, sa);
            }
        };
        if (!respondToKeyExchange(group, peerKe, ni, now, keyLines)) {
            return;
        }
        Phase1.processVendorIds(engine, sa, chain);
        if (sa.peerNatT) {
            Phase1.checkNatD(engine, sa, chain, sa.proposal.hash());
        }
        engine.stateChange(sa, IkeSa.State.IKE_R_MM3, "IKE_MSG_INTERNAL, IKE_PROCESS_MAIN_MODE");

        List<Payload> reply = new ArrayList<>();
        reply.add(new KePayload(responderKe()));
        reply.add(new NoncePayload(responderNonce()));
        if (sa.peerNatT) {
            reply.addAll(Phase1.natD(sa, sa.proposal.hash()));
        }
        IsakmpHeader h = IsakmpHeader.of(sa.initiatorCookie, sa.responderCookie, ExchangeType.IDENTITY_PROTECTION,
                0, 0);
        engine.sendingPacket(sa, "(R) MM_KEY_EXCH");
        engine.driver.sendReply(replies(), d, engine.driver.datagramTo(sa, IsakmpCodec.encode(h, reply)));
        engine.stateChange(sa, IkeSa.State.IKE_R_MM4, "IKE_MSG_INTERNAL, IKE_PROCESS_COMPLETE");
    }

    private void onMessage5(Datagram d, IsakmpHeader header, long now)
            throws IsakmpDecodeException {
        if (!(IsakmpCodec.decode(d.data()) instanceof EncryptedMessage em)) {
            throw new IsakmpDecodeException(NotifyType.INVALID_FLAGS, "MM5 is not encrypted");
        }
        PayloadChain chain;
        try {
            chain = engine.driver.openPhase1(sa, header, em.body(), MessageRule.MAIN_MODE_5);
        } catch (CryptoException | IsakmpDecodeException e) {
            badAuthenticatingMessage(NotifyType.PAYLOAD_MALFORMED, "phase 1: MM5 from " + Ipv4.format(sa.peerAddress)
                    + " does not decrypt: pre-shared key mismatch", now);
            return;
        }
        engine.stateChange(sa, IkeSa.State.IKE_R_MM5, "IKE_MSG_FROM_PEER, IKE_MM_EXCH");
        IdPayload id = chain.first(IdPayload.class).orElseThrow();
        int idIndex = chain.types().indexOf(PayloadType.ID);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": processing ID payload. message ID = 0");
        Phase1.idPayloadDebug(engine, sa, idIndex + 1 < chain.size() ? chain.get(idIndex + 1).type() : 0, id);
        // The profile is looked up before the HASH is checked (IOS's order of lines), but acted on only after:
        // nothing is refused or answered to a peer that has not proven the key.
        PeerProfile profile = engine.policy.profileFor(id, sa.peerAddress);
        if (profile != null) {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": peer matches " + profile.name() + " profile");
            if (profile.keyring() != null && engine.debug()) { // the search again for its lines only
                PresharedKey again = searchKey(engine, sa);
                if (again != null && profile.keyring().equals(again.keyring())) {
                    engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Found ADDRESS key in keyring "
                            + profile.keyring());
                }
            }
        }
        byte[] expected = hashI(chain.rawBody(idIndex));
        byte[] received = chain.first(HashPayload.class).map(HashPayload::data).orElse(new byte[0]);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": processing HASH payload. message ID = 0");
        engine.debug(DebugCategory.ENGINE, "CryptoEngine0: generate hmac context for conn id " + sa.connId);
        if (!MessageDigest.isEqual(expected, received)) {
            sa.state = IkeSa.State.IKE_R_MM4; // a dropped MM5 did not happen: the real one may still come
            badAuthenticatingMessage(NotifyType.INVALID_HASH_INFORMATION, "phase 1: HASH_I from "
                    + Ipv4.format(sa.peerAddress) + " does not verify: pre-shared key mismatch", now);
            return;
        }
        engine.driver.commitPhase1Iv(sa, em.body());
        // The peer may have moved to port 4500 (NAT-T) or its NAT may have a new port: follow it.
        sa.peerPort = d.srcPort();
        sa.localPort = d.dstPort();
        sa.peerIdentity = Phase1.identityText(id);

        if (profile == null && engine.policy.profilesConfigured()) {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": peer matches *none* of the profiles");
            Informational.sendProtectedNotify(engine, sa, NotifyType.INVALID_ID_INFORMATION, now);
            engine.refuse(sa, NegotiationFailure.POLICY, "phase 1: identity " + sa.peerIdentity + " matches no ISAKMP profile", now);
            return;
        }
        if (profile != null && profile.keyring() != null && !profile.keyring().equals(psk().keyring())) {
            Informational.sendProtectedNotify(engine, sa, NotifyType.AUTHENTICATION_FAILED, now);
            engine.refuse(sa, NegotiationFailure.POLICY, "phase 1: key for " + Ipv4.format(sa.peerAddress) + " came from "
                    + psk().keyring() + ", profile " + profile.name() + " requires keyring " + profile.keyring(),
                    now);
            return;
        }
        sa.profile = profile;
        sa.xauthRequired = profile != null && profile.xauthRequired() && !psk().noXauth();
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": SA authentication status: authenticated");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": SA has been authenticated with "
                + Ipv4.format(sa.peerAddress));
        engine.stateChange(sa, IkeSa.State.IKE_R_MM5, "IKE_MSG_INTERNAL, IKE_PROCESS_MAIN_MODE");
        boolean initialContact = false;
        for (NotifyPayload n : chain.all(NotifyPayload.class)) {
            initialContact |= n.notifyType() == NotifyType.INITIAL_CONTACT;
        }

        IdPayload ours = Phase1.localIdentity(sa);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag()
                + ": SA is doing pre-shared key authentication using id type ID_IPV4_ADDR");
        Phase1.ourIdDebug(engine, sa, PayloadType.HASH, ours);
        byte[] hashR = hashR(Phase1.idBody(ours));
        engine.debug(DebugCategory.ENGINE, "CryptoEngine0: generate hmac context for conn id " + sa.connId);
        engine.debug(DebugCategory.ENGINE, "CryptoEngine0: clear dh number for conn id " + sa.connId);
        byte[] body = IsakmpCodec.encodePayloads(List.of(ours, new HashPayload(hashR)));
        byte[] sealed = engine.driver.sealPhase1(sa, body);
        IsakmpHeader h = IsakmpHeader.of(sa.initiatorCookie, sa.responderCookie, ExchangeType.IDENTITY_PROTECTION,
                0, 0);
        engine.sendingPacket(sa, "(R) MM_KEY_EXCH");
        engine.driver.sendReply(replies(), d, engine.driver.datagramTo(sa, IsakmpCodec.encodeEncrypted(h, PayloadType.ID,
                sealed)));
        engine.stateChange(sa, IkeSa.State.IKE_P1_COMPLETE, "IKE_MSG_INTERNAL, IKE_PROCESS_COMPLETE");
        if (initialContact) {
            engine.initialContact(sa, now);
        }
        engine.phase1Complete(sa, now);
        if (sa.xauthRequired) {
            XauthServer.start(engine, sa, now);
        }
    }
}
