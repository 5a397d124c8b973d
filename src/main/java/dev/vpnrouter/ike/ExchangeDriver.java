package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.crypto.CryptoException;
import dev.vpnrouter.ike.crypto.IkeSaKeys;
import dev.vpnrouter.ike.wire.DecodedMessage;
import dev.vpnrouter.ike.wire.EncryptedMessage;
import dev.vpnrouter.ike.wire.ExchangeType;
import dev.vpnrouter.ike.wire.HashPayload;
import dev.vpnrouter.ike.wire.IsakmpCodec;
import dev.vpnrouter.ike.wire.IsakmpDecodeException;
import dev.vpnrouter.ike.wire.IsakmpHeader;
import dev.vpnrouter.ike.wire.MessageRule;
import dev.vpnrouter.ike.wire.NotifyType;
import dev.vpnrouter.ike.wire.Payload;
import dev.vpnrouter.ike.wire.PayloadChain;
import dev.vpnrouter.ike.wire.PlainMessage;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How messages move on an ISAKMP SA, the same for every exchange and done here only: message IDs, requests resent
 * until answered ({@link Retransmission}), replies cached for retransmitted requests ({@link ReplyCache}), phase-1
 * encryption under the phase-1 IV, and the protected (HASH-first) messages of Quick Mode, Informational and
 * Transaction sealed and opened with their exchange's IV chain ({@link MessageIvs}), which moves on only once a
 * message verified. The exchange objects decide what to send and what a message means; this moves the bytes.
 */
final class ExchangeDriver {
    private final IkeEngine engine;

    ExchangeDriver(IkeEngine engine) {
        this.engine = engine;
    }

    static long fingerprint(byte[] data) {
        long h = 0xcbf29ce484222325L;
        for (byte b : data) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h ^ data.length;
    }

    /** A fresh message ID on {@code sa}: not zero, not one an exchange or an IV chain uses. */
    int newMessageId(IkeSa sa) {
        int id;
        do {
            id = engine.random.nextInt();
        } while (id == 0 || sa.quickModes.containsKey(id) || sa.ivs.has(id));
        return id;
    }

    Datagram datagramTo(IkeSa sa, byte[] data) {
        return new Datagram(sa.localAddress, sa.localPort, sa.peerAddress, sa.peerPort, data);
    }

    // ------------------------------------------------------------------ requests, retransmissions, replies

    /** Sends a request that must be answered, retransmitting it until it is. */
    void sendRequest(IkeSa sa, Retransmission r, Datagram d, long now) {
        sendRequest(sa, r, d, now, Retransmission.MAX_RETRANSMITS);
    }

    /** As {@link #sendRequest(IkeSa, Retransmission, Datagram, long)}, resent at most {@code resends} times. */
    void sendRequest(IkeSa sa, Retransmission r, Datagram d, long now, int resends) {
        engine.send(d);
        r.sent(d, now, resends);
        engine.reschedule(sa);
    }

    /** Sends a reply and remembers it for retransmitted requests. */
    void sendReply(ReplyCache cache, Datagram request, Datagram reply) {
        cache.remember(request, reply);
        engine.send(reply);
    }

    /**
     * A timer tick for a request in flight: resends it when due (counted, with {@code line}'s debug line when there
     * is one) and says what happened; {@link Retransmission.Verdict#GIVE_UP} is for the exchange to act on.
     */
    Retransmission.Verdict retransmit(Retransmission r, long now, Supplier<String> line) {
        Retransmission.Verdict v = r.onTimer(now);
        if (v == Retransmission.Verdict.RESEND) {
            engine.counters.retransmits++;
            if (line != null) {
                engine.debug(DebugCategory.ISAKMP, line.get());
            }
            engine.send(r.lastRequest());
        }
        return v;
    }

    /**
     * A phase-1 message again (Main or Aggressive Mode): the request we last answered gets the same answer again,
     * and nothing is processed; a copy of a request we answered with nothing is dropped.
     */
    boolean phase1Repeat(IkeSa sa, ReplyCache cache, Datagram d) {
        if (!cache.isRepeat(d)) {
            return false;
        }
        engine.counters.duplicates++;
        if (cache.reply() != null) {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": retransmission from " + Ipv4.format(d.src())
                    + ", resending last reply");
            engine.send(cache.reply());
        }
        return true;
    }

    /** A request an exchange answered, again: the same answer goes back. False when there is none to repeat. */
    boolean resendReply(ReplyCache cache, Datagram d) {
        if (cache.reply() == null || !cache.isRepeat(d)) {
            return false;
        }
        engine.counters.duplicates++;
        engine.send(cache.reply());
        return true;
    }

    /**
     * A Transaction request we answered, again (the last few answers are kept: Xauth and Mode Config each have
     * their message IDs): the same answer goes back. False when {@code d} is no such repeat.
     */
    boolean resendAnswer(IkeSa sa, TransactionState tx, Datagram d, int mid) {
        Datagram cached = tx.answerTo(fingerprint(d.data()));
        if (cached == null) {
            return false;
        }
        engine.counters.duplicates++;
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": retransmitted transaction "
                + Integer.toUnsignedString(mid) + ", resending our answer");
        engine.send(cached);
        return true;
    }

    // ------------------------------------------------------------------ phase 1

    /** Decodes a clear message and checks its rule. */
    PayloadChain openPlain(Datagram d, IsakmpHeader header, MessageRule rule) throws IsakmpDecodeException {
        DecodedMessage m = IsakmpCodec.decode(d.data());
        if (!(m instanceof PlainMessage pm)) {
            throw new IsakmpDecodeException(NotifyType.INVALID_FLAGS,
                    ExchangeType.name(header.exchangeType()) + " message must not be encrypted here");
        }
        rule.check(header, pm.payloads());
        return pm.payloads();
    }

    /**
     * A phase-1 message encrypted under the phase-1 IV (MM5, MM6, AM3): decrypted, decoded and checked against
     * its rule. The IV moves on only with {@link #commitPhase1Iv} once the message's HASH verified.
     */
    PayloadChain openPhase1(IkeSa sa, IsakmpHeader header, byte[] body, MessageRule rule)
            throws CryptoException, IsakmpDecodeException {
        byte[] plain = sa.keys.decrypt(sa.ivs.phase1(), body).plaintext();
        PayloadChain chain = IsakmpCodec.decodePayloads(header.nextPayload(), plain);
        rule.check(header, chain);
        return chain;
    }

    /** The encrypted phase-1 message {@code body} verified: its last cipher block is the next phase-1 IV. */
    void commitPhase1Iv(IkeSa sa, byte[] body) {
        sa.ivs.phase1(sa.ivs.phase1().after(body));
    }

    /** Encrypts our phase-1 message (MM5, MM6, AM3) and moves the phase-1 IV on past it. */
    byte[] sealPhase1(IkeSa sa, byte[] body) {
        IkeSaKeys.Encrypted e = sa.keys.encrypt(sa.ivs.phase1(), body);
        sa.ivs.phase1(e.next());
        return e.ciphertext();
    }

    // ------------------------------------------------------------------ protected exchanges

    enum HashKind { QM1, QM2, INFO }

    /** Encodes and encrypts a HASH-first message (Quick Mode, Informational, Transaction). */
    byte[] protectedMessage(IkeSa sa, int exchangeType, int messageId, int flags, HashKind kind, byte[] nonceI,
            List<? extends Payload> afterHash) {
        byte[] after = IsakmpCodec.encodePayloads(afterHash);
        byte[] hash = switch (kind) {
            case QM1, INFO -> sa.keys.quickModeHash1(messageId, after);
            case QM2 -> sa.keys.quickModeHash2(messageId, nonceI, after);
        };
        List<Payload> all = new ArrayList<>(afterHash.size() + 1);
        all.add(new HashPayload(hash));
        all.addAll(afterHash);
        byte[] ciphertext = seal(sa, messageId, IsakmpCodec.encodePayloads(all));
        IsakmpHeader h = IsakmpHeader.of(sa.initiatorCookie, sa.responderCookie, exchangeType, flags, messageId);
        return IsakmpCodec.encodeEncrypted(h, all.getFirst().type(), ciphertext);
    }

    /** Encrypts {@code body} in exchange {@code messageId}, whose IV moves on past it. */
    byte[] seal(IkeSa sa, int messageId, byte[] body) {
        IkeSaKeys.Encrypted e = sa.keys.encrypt(sa.ivs.of(sa.keys, messageId), body);
        sa.ivs.put(messageId, e.next());
        return e.ciphertext();
    }

    /**
     * The one way a protected message (Quick Mode, Informational, Transaction) is opened: decrypted with its
     * exchange's IV chain, its payloads checked against {@code rule}, its HASH compared with {@code expectedHash},
     * and only then the exchange's IV moved on. A message that fails is counted (malformed, or a failed HASH) and
     * dropped with one debug line naming {@code what}, and an IV it started is forgotten unless an exchange owns
     * its message ID. Returns the payloads, or null when the message was dropped.
     */
    PayloadChain openProtected(IkeSa sa, Datagram d, IsakmpHeader header, MessageRule rule, String what,
            Function<PayloadChain, byte[]> expectedHash) {
        int mid = header.messageId();
        PayloadChain chain;
        IkeSaKeys.Decrypted decrypted;
        try {
            if (!(IsakmpCodec.decode(d.data()) instanceof EncryptedMessage em)) {
                throw new IsakmpDecodeException(NotifyType.INVALID_FLAGS, what + " is not encrypted");
            }
            decrypted = sa.keys.decrypt(sa.ivs.of(sa.keys, mid), em.body());
            chain = IsakmpCodec.decodePayloads(header.nextPayload(), decrypted.plaintext());
            rule.check(header, chain);
        } catch (CryptoException | IsakmpDecodeException e) {
            forgetIv(sa, mid);
            engine.counters.malformed++;
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": " + what + " from "
                    + Ipv4.format(sa.peerAddress) + " malformed (" + e.getMessage() + "), dropped");
            return null;
        }
        if (chain.size() == 0 || !(chain.get(0) instanceof HashPayload hash)
                || !MessageDigest.isEqual(expectedHash.apply(chain), hash.data())) {
            forgetIv(sa, mid);
            engine.counters.authFailures++;
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": hash in " + what
                    + " does not verify, dropped");
            return null;
        }
        sa.ivs.put(mid, decrypted.next()); // the last cipher block of an accepted message chains on
        return chain;
    }

    /**
     * A message that failed its checks, or a finished one-message exchange: its IV goes, unless one of our
     * exchanges owns the message ID. A forged or broken message carrying a live Quick Mode's or Transaction's
     * message ID must not reset that exchange's IV chain.
     */
    void forgetIv(IkeSa sa, int messageId) {
        if (sa.quickModes.containsKey(messageId) || sa.tx != null && sa.tx.waitingFor(messageId)) {
            return;
        }
        sa.ivs.remove(messageId);
    }

    /**
     * An exchange of ours on {@code messageId} is over (a Transaction answered, a Quick Mode done lingering, a
     * one-message Informational sent): its IV chain goes. The one place an owned exchange's IV ends.
     */
    void exchangeEnded(IkeSa sa, int messageId) {
        sa.ivs.remove(messageId);
    }
}
