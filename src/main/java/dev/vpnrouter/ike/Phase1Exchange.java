package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.cfg.IkeProposal;
import dev.vpnrouter.ike.cfg.PresharedKey;
import dev.vpnrouter.ike.crypto.CryptoException;
import dev.vpnrouter.ike.crypto.DhGroup;
import dev.vpnrouter.ike.crypto.DhKeyPair;
import dev.vpnrouter.ike.crypto.IkeSaKeys;
import dev.vpnrouter.ike.wire.ExchangeType;
import dev.vpnrouter.ike.wire.IsakmpDecodeException;
import dev.vpnrouter.ike.wire.IsakmpHeader;
import dev.vpnrouter.ike.wire.NotifyType;
import dev.vpnrouter.ike.wire.PayloadChain;
import dev.vpnrouter.ike.wire.SaPayload;

/**
 * The phase-1 exchange of one ISAKMP SA ({@link IkeSa#phase1}): Main or Aggressive Mode, either role. It keeps the
 * request it retransmits and the reply it caches for the peer's retransmissions, and privately what only the
 * negotiation needs: the pre-shared key, our DH pair, both KE values and nonces, and SAi_b, all released once
 * phase 1 is authenticated (a hub holds tens of thousands of SAs, and the DH private value is not kept longer than
 * needed). What the roles share beyond this state is stateless, in {@link Phase1}.
 */
abstract sealed class Phase1Exchange
        permits MainModeInitiator, MainModeResponder, AggressiveModeInitiator, AggressiveModeResponder {
    final IkeEngine engine;
    final IkeSa sa;
    private final Retransmission retransmission = new Retransmission();
    /** The last request we answered and our answer (MM2, MM4, MM6, AM2; AM3 at the initiator). */
    private final ReplyCache replies = new ReplyCache();
    private PresharedKey psk;
    private DhKeyPair dh;
    private byte[] initiatorKe;
    private byte[] responderKe;
    private byte[] initiatorNonce;
    private byte[] responderNonce;
    /** SAi_b: the initiator's SA payload body as sent, for HASH_I/HASH_R. */
    private byte[] saInitiatorBody;
    /** Authenticating messages (MM5, AM3) that did not decrypt or verify, dropped so far. */
    private int badAuthenticating;

    /**
     * A peer with the wrong key sends its MM5 or AM3 again; someone who only saw the cookies can forge one. The
     * first ones are dropped (counted, the SA waits for the real message); this many are the key's answer.
     */
    static final int BAD_AUTHENTICATING_MESSAGES = 3;

    Phase1Exchange(IkeEngine engine, IkeSa sa) {
        this.engine = engine;
        this.sa = sa;
        sa.phase1 = this;
    }

    /**
     * An MM5 or AM3 that did not decrypt or whose HASH did not verify: dropped and counted, the negotiation goes on
     * (the peer retransmits, a forgery is not the peer); the {@link #BAD_AUTHENTICATING_MESSAGES}th ends it with
     * {@code notify} and {@code reason}. True when it ended.
     */
    final boolean badAuthenticatingMessage(int notify, String reason, long now) {
        engine.counters.authFailures++;
        if (++badAuthenticating < BAD_AUTHENTICATING_MESSAGES) {
            engine.counters.badMessagesDropped++;
            // IOS's words; the reason (which key, which message) goes in %CRYPTO-6-IKMP_REFUSED when it ends.
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": incrementing error counter on sa, attempt "
                    + badAuthenticating + " of " + BAD_AUTHENTICATING_MESSAGES + ": "
                    + dev.vpnrouter.ike.wire.NotifyType.name(notify));
            engine.log(dev.vpnrouter.syslog.IosMessages.badMessage(Ipv4.format(sa.peerAddress)));
            return false;
        }
        Informational.sendClearNotify(engine, sa, notify);
        engine.refuse(sa, NegotiationFailure.AUTHENTICATION, reason, now);
        return true;
    }

    /** {@link ExchangeType#IDENTITY_PROTECTION} or {@link ExchangeType#AGGRESSIVE}. */
    abstract int exchangeType();

    /** The peer's next message of this exchange; a repeat of one we answered never gets here. */
    abstract void onExchangeMessage(Datagram d, IsakmpHeader header, long now) throws IsakmpDecodeException;

    /** A Main or Aggressive Mode message on this SA. */
    final void onMessage(Datagram d, IsakmpHeader header, long now) throws IsakmpDecodeException {
        if (header.exchangeType() == exchangeType()) {
            onExchangeMessage(d, header, now);
        } else if (header.exchangeType() == ExchangeType.AGGRESSIVE) {
            engine.counters.duplicates++; // Aggressive Mode on a Main Mode SA: never in the state it expects
        } else if (sa.initiator || header.responderCookie() != 0) {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": unexpected Main Mode message in "
                    + sa.state + ", dropped");
        }
    }

    final Retransmission retransmission() {
        return retransmission;
    }

    final ReplyCache replies() {
        return replies;
    }

    final PresharedKey psk() {
        return psk;
    }

    final void psk(PresharedKey key) {
        this.psk = key;
    }

    final byte[] initiatorKe() {
        return initiatorKe;
    }

    final byte[] responderKe() {
        return responderKe;
    }

    final byte[] initiatorNonce() {
        return initiatorNonce;
    }

    final byte[] responderNonce() {
        return responderNonce;
    }

    /** The initiator's SA payload as it went on the wire (SAi_b). */
    final void offered(byte[] saBody) {
        this.saInitiatorBody = saBody;
    }

    final byte[] hashI(byte[] idiBody) {
        return sa.keys.hashI(initiatorKe, responderKe, saInitiatorBody, idiBody);
    }

    final byte[] hashR(byte[] idrBody) {
        return sa.keys.hashR(initiatorKe, responderKe, saInitiatorBody, idrBody);
    }

    /**
     * The responder's phase-1 choice from the initiator's SA payload at {@code saIndex}: a proposal whose group and
     * cipher we can run becomes the SA's (with its lifetime and SAi_b for the hashes); none refuses the SA with
     * NO-PROPOSAL-CHOSEN. Returns the proposal, or null when the SA is gone.
     */
    final IkeProposal acceptOrRefuse(PayloadChain chain, int saIndex, long now) {
        SaPayload offer = (SaPayload) chain.get(saIndex);
        IkeProposal chosen = Phase1.choose(engine, sa, offer);
        if (chosen == null || Phase1.group(chosen) == null || Phase1.cipher(chosen) == null) {
            Informational.sendClearNotify(engine, sa, NotifyType.NO_PROPOSAL_CHOSEN);
            engine.refuse(sa, NegotiationFailure.NO_PROPOSAL_CHOSEN, "phase 1: no proposal of peer ("
                    + Phase1.describeOffer(offer) + ") matches " + Phase1.describePolicies(engine), now);
            return null;
        }
        sa.proposal = chosen;
        sa.lifetimeSeconds = chosen.lifetimeSeconds();
        saInitiatorBody = chain.rawBody(saIndex);
        return chosen;
    }

    /** The initiator's half of the key exchange: our DH pair, KE and nonce. */
    final void startKeyExchange(DhGroup group) {
        dh = group.generateKeyPair(engine.random);
        initiatorKe = dh.publicValue();
        initiatorNonce = engine.nonce();
    }

    /** g^xy with the peer's public value. */
    final byte[] sharedSecret(byte[] peerKe) throws CryptoException {
        return dh.sharedSecret(peerKe);
    }

    /** The initiator has the responder's KE and nonce: SKEYID and the phase-1 keys and IV. */
    final void completeKeyExchange(byte[] peerKe, byte[] nr, byte[] gxy) {
        responderKe = peerKe;
        responderNonce = nr;
        deriveKeys(gxy);
    }

    /**
     * The responder's half of the key exchange, shared by Main Mode (MM3) and Aggressive Mode (AM1): checks the
     * initiator's nonce, makes our DH pair and nonce, derives the keys. False when the SA was refused.
     * {@code beforeKeys} runs between the payloads' processing and the key derivation (Aggressive Mode's state
     * change to IKE_R_AM_AAA_AWAIT, where IOS prints it).
     */
    final boolean respondToKeyExchange(DhGroup group, byte[] peerKe, byte[] ni, long now, Runnable beforeKeys) {
        if (ni.length < 8 || ni.length > 256) {
            Informational.sendClearNotify(engine, sa, NotifyType.PAYLOAD_MALFORMED);
            engine.refuse(sa, NegotiationFailure.MALFORMED, "phase 1: nonce of " + ni.length + " bytes", now);
            return false;
        }
        // Our DH pair is made here, once the peer's KE is in hand (MM3: its address proven by the cookie), not at
        // MM1 as IOS does: the engine lines IOS prints at MM1 come here.
        dh = group.generateKeyPair(engine.random);
        engine.debug(DebugCategory.ENGINE, "CryptoEngine0: generate alg parameter");
        engine.debug(DebugCategory.ENGINE, "CRYPTO_ENGINE: Dh phase 1 status: 0");
        engine.debug(DebugCategory.ENGINE, "CRYPTO_ENGINE: Dh phase 1 status: 0");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": processing KE payload. message ID = 0");
        byte[] gxy;
        try {
            gxy = dh.sharedSecret(peerKe);
        } catch (CryptoException e) {
            Informational.sendClearNotify(engine, sa, NotifyType.INVALID_KEY_INFORMATION);
            engine.refuse(sa, NegotiationFailure.MALFORMED, "phase 1: invalid DH public value: " + e.getMessage(), now);
            return false;
        }
        engine.debug(DebugCategory.ENGINE, "CryptoEngine0: generate alg parameter");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": processing NONCE payload. message ID = 0");
        initiatorKe = peerKe;
        responderKe = dh.publicValue();
        initiatorNonce = ni;
        responderNonce = engine.nonce();
        beforeKeys.run();
        deriveKeys(gxy);
        engine.keysDerived(sa);
        engine.debug(DebugCategory.ENGINE, "CryptoEngine0: create ISAKMP SKEYID for conn id " + sa.connId);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": SKEYID state generated");
        return true;
    }

    private void deriveKeys(byte[] gxy) {
        sa.keys = IkeSaKeys.fromPreSharedKey(sa.proposal.hash().prf(), sa.proposal.hash(), Phase1.cipher(sa.proposal),
                psk.key(), initiatorNonce, responderNonce, gxy, sa.initiatorCookieBytes(), sa.responderCookieBytes());
        sa.ivs.phase1(sa.keys.phase1Iv(initiatorKe, responderKe));
    }

    /**
     * Phase 1 is authenticated, or the SA is gone: what only the key derivation and HASH_I/HASH_R needed goes.
     * The retransmission and the cached reply stay: the peer may still repeat its last message.
     */
    void releaseMaterial() {
        psk = null;
        dh = null;
        initiatorKe = null;
        responderKe = null;
        initiatorNonce = null;
        responderNonce = null;
        saInitiatorBody = null;
    }

    /** Resumes an exchange in the middle from a capture's values (tests replaying a real peer's messages). */
    final void resume(PresharedKey key, byte[] saBody, byte[] gxi, byte[] gxr, byte[] ni, byte[] nr) {
        psk = key;
        saInitiatorBody = saBody;
        initiatorKe = gxi;
        responderKe = gxr;
        initiatorNonce = ni;
        responderNonce = nr;
    }
}
