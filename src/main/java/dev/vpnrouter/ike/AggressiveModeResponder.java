package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.cfg.IkeProposal;
import dev.vpnrouter.ike.cfg.PeerProfile;
import dev.vpnrouter.ike.cfg.PresharedKey;
import dev.vpnrouter.ike.crypto.CryptoException;
import dev.vpnrouter.ike.crypto.DhGroup;
import dev.vpnrouter.ike.wire.DecodedMessage;
import dev.vpnrouter.ike.wire.EncryptedMessage;
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
import dev.vpnrouter.ike.wire.PlainMessage;
import dev.vpnrouter.ike.wire.SaPayload;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Aggressive Mode, responder side (RFC 2409 5.4 with pre-shared keys): AM1 (SA, KE, Ni, IDii) -> AM2 (SA, KE, Nr,
 * IDir, NAT-D, HASH_R), AM3 (HASH_I, possibly encrypted, NAT-D) completes phase 1. The identity arrives in the
 * clear, so the key is chosen by it: a group name (ID_KEY_ID, what the Cisco client and vpnc send) selects the
 * ISAKMP profile and the group's key; other identities use the keyrings by address, as Main Mode does.
 *
 * <p>An unknown group, or one no profile accepts, must not be told apart from a wrong key (no group enumeration):
 * we answer AM2 with a random key and refuse at AM3 with the same notify a wrong key gets. Then Xauth, if the
 * profile asks for it.
 */
final class AggressiveModeResponder extends Phase1Exchange {
    /** IDii_b: the initiator's ID payload body, for HASH_I. */
    private byte[] peerIdBody;
    /** While the group's policy is asked of AAA servers: the ticket its answer must carry, and AM1 to go on with. */
    private long awaitedTicket;
    private Datagram awaitedAm1;
    private PayloadChain awaitedChain;

    AggressiveModeResponder(IkeEngine engine, IkeSa sa) {
        super(engine, sa);
    }

    @Override
    int exchangeType() {
        return ExchangeType.AGGRESSIVE;
    }

    @Override
    void releaseMaterial() {
        super.releaseMaterial();
        peerIdBody = null;
    }

    /** Resumes after AM2 from a capture: the initiator's ID payload body (tests). */
    void resumeWithPeerId(byte[] idiiBody) {
        this.peerIdBody = idiiBody;
    }

    /** How often AM2 is resent without AM3 (issue 16: bounded reflection toward an unproven source). */
    static final int AM2_RESENDS = 2;

    static void onMessage1(IkeEngine engine, Datagram d, IsakmpHeader header, long now) throws IsakmpDecodeException {
        if (engine.policy.aggressiveModeDisabled()) {
            engine.refuseFirstMessage(d.src(), NegotiationFailure.POLICY, "Aggressive Mode from " + Ipv4.format(d.src())
                    + " refused: crypto isakmp aggressive-mode disable", now);
            return;
        }
        PayloadChain chain = engine.driver.openPlain(d, header, MessageRule.AGGRESSIVE_1);
        if (!engine.aggressiveAdmission.admit(d.src(), now)) {
            // Dropped without an answer: no AM2 (no exponentiation, nothing reflected toward a spoofed source).
            engine.counters.aggressiveModeRateLimited++;
            engine.debug(DebugCategory.ISAKMP, "ISAKMP: Aggressive Mode from " + Ipv4.format(d.src())
                    + " dropped: over the Aggressive Mode rate");
            return;
        }
        String limit = engine.ikeSaLimitReached(d.src());
        if (limit != null) {
            engine.refuseFirstMessage(d.src(), NegotiationFailure.PEER_LIMIT, limit, now);
            return;
        }
        IkeSa sa = engine.newSa(false, header.initiatorCookie(), d.src(), d.srcPort(), now);
        new AggressiveModeResponder(engine, sa).onMessage1(d, chain, now);
    }

    private void onMessage1(Datagram d, PayloadChain chain, long now) {
        sa.localPort = d.dstPort();
        engine.setResponderCookie(sa, engine.responderCookie(sa.initiatorCookie, d.src(), d.srcPort()));
        engine.debug(DebugCategory.ISAKMP, "ISAKMP: local port " + sa.localPort + ", remote port " + sa.peerPort);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP: insert sa successfully sa = " + sa.connId);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": processing SA payload. message ID = 0");

        int idIndex = chain.types().indexOf(PayloadType.ID);
        IdPayload id = (IdPayload) chain.get(idIndex);
        peerIdBody = chain.rawBody(idIndex);
        sa.peerIdentity = Phase1.identityText(id);
        logId(engine, sa, chain, idIndex, id);
        if (!chooseKeyAndProfile(id, now)) {
            return;
        }
        if (awaitedTicket != 0) {
            // The group lives on an authorization server: AM2 waits for its verdict (IOS's IKE_R_AM_AAA_AWAIT).
            awaitedAm1 = d;
            awaitedChain = chain;
            engine.stateChange(sa, IkeSa.State.IKE_R_AM_AAA_AWAIT, "IKE_MSG_FROM_PEER, IKE_AM_EXCH");
            return;
        }
        continueAfterKey(d, chain, now);
    }

    /**
     * The host's answer to our {@link IkeEffect.AuthorizeGroup}: the group's policy, or null when no server
     * grants it (then a decoy key, so a group unknown to the servers looks like a wrong key at AM3). A stale ticket
     * changes nothing.
     */
    void groupAnswered(long ticket, dev.vpnrouter.ike.cfg.ClientGroup group, long now) {
        if (ticket == 0 || ticket != awaitedTicket || awaitedAm1 == null) {
            return;
        }
        awaitedTicket = 0;
        Datagram d = awaitedAm1;
        PayloadChain chain = awaitedChain;
        awaitedAm1 = null;
        awaitedChain = null;
        RemoteAccessSession ra = sa.ra;
        byte[] key = group == null ? null : group.key();
        if (key == null) {
            String shown = ra.group;
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": AAA grants no group " + shown);
            ra.decoyReason = "no group " + shown + " on the authorization servers";
            key = new byte[32];
            engine.random.nextBytes(key);
            sa.profile = null;
            sa.xauthRequired = false;
        } else {
            ra.serverGroup = group;
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": found group " + ra.group
                    + " pre-shared key from AAA");
        }
        psk(new PresharedKey(key, "group " + ra.group, false));
        try {
            continueAfterKey(d, chain, now);
        } catch (RuntimeException e) {
            engine.refuse(sa, NegotiationFailure.POLICY, "phase 1: AM1 from " + Ipv4.format(sa.peerAddress)
                    + " could not go on: " + e, now);
        }
    }

    private void continueAfterKey(Datagram d, PayloadChain chain, long now) {
        int saIndex = chain.types().indexOf(PayloadType.SA);
        SaPayload offer = (SaPayload) chain.get(saIndex);
        Phase1.processVendorIds(engine, sa, chain);
        if (firstAuthMethod(offer) == dev.vpnrouter.ike.wire.Phase1Attribute.AuthMethod.XAUTH_INIT_PRESHARED) {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + " Authentication by xauth preshared");
        }
        IkeProposal chosen = acceptOrRefuse(chain, saIndex, now);
        if (chosen == null) {
            return;
        }
        DhGroup group = Phase1.group(chosen);

        byte[] peerKe = chain.first(KePayload.class).orElseThrow().data();
        byte[] ni = chain.first(NoncePayload.class).orElseThrow().data();
        // The group's key is in hand at once (no AAA server holds it): the AAA wait ends with the callback.
        if (!respondToKeyExchange(group, peerKe, ni, now, () -> {
            engine.stateChange(sa, IkeSa.State.IKE_R_AM_AAA_AWAIT, "IKE_MSG_FROM_PEER, IKE_AM_EXCH");
            engine.debug(DebugCategory.ISAKMP, "ISAKMP: got callback 1");
        })) {
            return;
        }

        IdPayload ours = Phase1.localIdentity(sa);
        if (sa.peerNatT) {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": constructed NAT-T vendor-"
                    + (sa.peerNatTDraft ? "02" : "rfc3947") + " ID");
        }
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": SA is doing pre-shared key authentication"
                + (sa.xauthRequired ? " plus XAUTH" : "") + " using id type ID_IPV4_ADDR");
        byte[] hashR = hashR(Phase1.idBody(ours));
        List<Payload> reply = new ArrayList<>();
        reply.add(Phase1.accepted(offer, chosen));
        reply.add(new KePayload(responderKe()));
        reply.add(new NoncePayload(responderNonce()));
        reply.add(ours);
        reply.addAll(Phase1.vendorIds(false, sa));
        if (sa.peerNatT) {
            reply.addAll(Phase1.natD(sa, chosen.hash()));
        }
        reply.add(new HashPayload(hashR));
        Phase1.ourIdDebug(engine, sa, reply.get(reply.indexOf(ours) + 1).type(), ours);
        engine.debug(DebugCategory.ENGINE, "CryptoEngine0: generate hmac context for conn id " + sa.connId);
        IsakmpHeader h = IsakmpHeader.of(sa.initiatorCookie, sa.responderCookie, ExchangeType.AGGRESSIVE, 0, 0);
        engine.sendingPacket(sa, "(R) AG_INIT_EXCH");
        Datagram am2 = engine.driver.datagramTo(sa, IsakmpCodec.encode(h, reply));
        // AM2 is answered by AM3 only: resend it until AM3 comes, and answer a repeated AM1 with it. At most
        // twice: AM1's source is not proven (anyone can name a victim's address), so one AM1 must not buy more
        // than three AM2s toward it; a real client's own AM1 retransmissions get the cached AM2 anyway.
        replies().remember(d, am2);
        engine.driver.sendRequest(sa, retransmission(), am2, now, AM2_RESENDS);
        engine.stateChange(sa, IkeSa.State.IKE_R_AM2, "IKE_MSG_FROM_AAA, PRESHARED_KEY_REPLY");
    }

    /**
     * The key and profile for this identity. For a group the profile must accept it and the group must exist;
     * otherwise a decoy key is used and the refusal waits for AM3. False when the SA was refused outright.
     */
    private boolean chooseKeyAndProfile(IdPayload id, long now) {
        PeerProfile profile = engine.policy.profileFor(id, sa.peerAddress);
        if (id.idType() == IdType.KEY_ID) {
            String group = id.text();
            String shown = id.describe();
            RemoteAccessSession ra = RemoteAccess.session(sa);
            ra.group = group;
            byte[] key = engine.policy.groupKey(group);
            String authorization = profile == null ? null : profile.authorizationList();
            if (key == null && profile != null && engine.policy.clientGroup(group) == null && authorization != null
                    && engine.policy.networkAsksServers(authorization)) {
                // No local group: the profile's isakmp authorization list asks the servers for it.
                sa.profile = profile;
                ra.authenticationList = profile.authenticationList();
                sa.xauthRequired = profile.xauthRequired();
                awaitedTicket = engine.nextAuthenticationTicket();
                engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": peer matches " + profile.name()
                        + " profile; group " + shown + " asked of AAA list " + authorization);
                engine.effect(new IkeEffect.AuthorizeGroup(sa.connId, awaitedTicket, authorization, group,
                        sa.peerAddress));
                return true;
            }
            if (profile == null && engine.policy.profilesConfigured()) {
                engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": peer matches *none* of the profiles");
                ra.decoyReason = "group " + shown + " matches no ISAKMP profile";
            } else if (key == null) {
                engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": no client configuration group " + shown);
                ra.decoyReason = "no client configuration group " + shown;
            }
            if (ra.decoyReason != null) {
                key = new byte[32];
                engine.random.nextBytes(key);
                profile = null;
            } else {
                if (profile != null) {
                    engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": peer matches " + profile.name()
                            + " profile");
                }
                // IOS searches the address keys first (the group's key wins for a group identity).
                MainModeResponder.searchKey(engine, sa);
                engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": (Re)Setting client xauth list and state");
            }
            psk(new PresharedKey(key, "group " + shown, false));
            sa.profile = profile;
            if (profile != null) {
                ra.authenticationList = profile.authenticationList();
            }
            sa.xauthRequired = profile != null && profile.xauthRequired();
            return true;
        }
        // Any other identity: the keyrings by address, the profile by identity, as Main Mode decides after MM5.
        PresharedKey psk = MainModeResponder.lookupKey(engine, sa);
        if (psk == null) {
            engine.log(dev.vpnrouter.syslog.IosMessages.queryKeyFailed());
            engine.refuse(sa, NegotiationFailure.AUTHENTICATION, "no pre-shared key for peer " + Ipv4.format(sa.peerAddress), now);
            return false;
        }
        if (profile == null && engine.policy.profilesConfigured()) {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": peer matches *none* of the profiles");
            engine.refuse(sa, NegotiationFailure.POLICY, "phase 1: identity " + sa.peerIdentity + " matches no ISAKMP profile", now);
            return false;
        }
        if (profile != null) {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": peer matches " + profile.name() + " profile");
            if (profile.keyring() != null && !profile.keyring().equals(psk.keyring())) {
                engine.refuse(sa, NegotiationFailure.POLICY, "phase 1: key for " + Ipv4.format(sa.peerAddress) + " came from " + psk.keyring()
                        + ", profile " + profile.name() + " requires keyring " + profile.keyring(), now);
                return false;
            }
        }
        psk(psk);
        sa.profile = profile;
        sa.xauthRequired = profile != null && profile.xauthRequired() && !psk.noXauth();
        if (profile != null && (profile.clientGroup() != null || sa.xauthRequired)) {
            RemoteAccess.session(sa);
        }
        return true;
    }

    private static int firstAuthMethod(SaPayload offer) {
        if (offer.proposals().isEmpty() || offer.proposals().getFirst().transforms().isEmpty()) {
            return 0;
        }
        Phase1.Offered o = Phase1.parse(offer.proposals().getFirst().transforms().getFirst());
        return o == null ? 0 : o.authMethod();
    }

    private static void logId(IkeEngine engine, IkeSa sa, PayloadChain chain, int idIndex, IdPayload id) {
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": processing ID payload. message ID = 0");
        Phase1.idPayloadDebug(engine, sa, idIndex + 1 < chain.size() ? chain.get(idIndex + 1).type() : 0, id);
    }

    @Override
    void onExchangeMessage(Datagram d, IsakmpHeader header, long now) throws IsakmpDecodeException {
        if (sa.state != IkeSa.State.IKE_R_AM2 || header.responderCookie() == 0) {
            engine.counters.duplicates++;
            return; // a late AM1 copy, or AM3 again after phase 1 completed
        }
        DecodedMessage message = IsakmpCodec.decode(d.data());
        PayloadChain chain;
        byte[] ciphertext = null;
        try {
            if (message instanceof EncryptedMessage em) {
                ciphertext = em.body();
                chain = engine.driver.openPhase1(sa, header, ciphertext, MessageRule.AGGRESSIVE_3);
            } else {
                chain = ((PlainMessage) message).payloads();
                MessageRule.AGGRESSIVE_3.check(header, chain);
            }
        } catch (CryptoException | IsakmpDecodeException e) {
            hashFailed("AM3 does not decrypt", now);
            return;
        }
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": processing HASH payload. message ID = 0");
        engine.debug(DebugCategory.ENGINE, "CryptoEngine0: generate hmac context for conn id " + sa.connId);
        byte[] expected = hashI(peerIdBody);
        byte[] received = chain.first(HashPayload.class).map(HashPayload::data).orElse(new byte[0]);
        if (!MessageDigest.isEqual(expected, received)) {
            hashFailed("HASH_I does not verify", now);
            return;
        }
        retransmission().answered();
        if (ciphertext != null) {
            engine.driver.commitPhase1Iv(sa, ciphertext);
        }
        replies().remember(d, null);
        Phase1.processVendorIds(engine, sa, chain);
        if (sa.peerNatT) {
            // AM3's NAT-D hashes the addresses and ports AM1 and AM2 used, before the float (vpnc in the seed
            // capture hashes the hub's port 500 although it sends AM3 to 4500).
            Phase1.checkNatD(engine, sa, chain, sa.proposal.hash());
        }
        // With a NAT the client moved to port 4500 for AM3: follow it.
        sa.peerPort = d.srcPort();
        sa.localPort = d.dstPort();
        boolean initialContact = false;
        for (NotifyPayload n : chain.all(NotifyPayload.class)) {
            if (n.notifyType() == NotifyType.INITIAL_CONTACT) {
                initialContact = true;
                engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag()
                        + ": processing NOTIFY INITIAL_CONTACT protocol 1");
                engine.debug(DebugCategory.ISAKMP, "spi 0, message ID = 0, sa = " + sa.connId);
            }
        }
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": SA authentication status: authenticated");
        if (initialContact) {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Process initial contact,");
            engine.debug(DebugCategory.ISAKMP, "bring down existing phase 1 and 2 SA's with local "
                    + Ipv4.format(sa.localAddress) + " remote " + Ipv4.format(sa.peerAddress) + " remote port "
                    + sa.peerPort);
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": SA authentication status: authenticated");
        }
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": SA has been authenticated with "
                + Ipv4.format(sa.peerAddress));
        engine.debug(DebugCategory.ENGINE, "CryptoEngine0: clear dh number for conn id " + sa.connId);
        if (sa.offeredLifetimeSeconds > sa.lifetimeSeconds) {
            Informational.sendResponderLifetime(engine, sa);
        }
        engine.stateChange(sa, IkeSa.State.IKE_P1_COMPLETE, "IKE_MSG_FROM_PEER, IKE_AM_EXCH");
        if (initialContact) {
            if (sa.ra != null) {
                // A client: "the same peer" is decided by its user, known after Xauth (or now, without Xauth).
                sa.ra.initialContact = true;
            } else {
                engine.initialContact(sa, now);
            }
        }
        engine.phase1Complete(sa, now);
        engine.remoteAccess.track(sa);
        if (sa.xauthRequired) {
            XauthServer.start(engine, sa, now);
        } else if (sa.ra != null) {
            engine.remoteAccess.applyInitialContact(sa, now);
            if (sa.profile != null && sa.profile.modeConfigInitiate()) {
                ModeConfigServer.initiate(engine, sa, now);
            }
        }
    }

    /** A wrong group key, an unknown group and a group no profile takes all end here, alike on the wire. */
    private void hashFailed(String what, long now) {
        String decoy = sa.ra == null ? null : sa.ra.decoyReason;
        badAuthenticatingMessage(NotifyType.INVALID_HASH_INFORMATION, "phase 1: " + what + " from "
                + Ipv4.format(sa.peerAddress) + ": " + (decoy == null ? "pre-shared key mismatch"
                : "pre-shared key mismatch (" + decoy + ")"), now);
    }
}
