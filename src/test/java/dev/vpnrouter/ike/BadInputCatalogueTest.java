package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.IkeProposal;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.ike.cfg.VpnClientProfile;
import dev.vpnrouter.ike.crypto.HashAlgorithm;
import dev.vpnrouter.ike.crypto.IvChain;
import dev.vpnrouter.ike.crypto.ModpGroup;
import dev.vpnrouter.ike.wire.AttributePayload;
import dev.vpnrouter.ike.wire.ConfigType;
import dev.vpnrouter.ike.wire.DataAttribute;
import dev.vpnrouter.ike.wire.DeletePayload;
import dev.vpnrouter.ike.wire.EncryptedMessage;
import dev.vpnrouter.ike.wire.ExchangeType;
import dev.vpnrouter.ike.wire.HashPayload;
import dev.vpnrouter.ike.wire.IsakmpCodec;
import dev.vpnrouter.ike.wire.IsakmpDecodeException;
import dev.vpnrouter.ike.wire.IsakmpHeader;
import dev.vpnrouter.ike.wire.KePayload;
import dev.vpnrouter.ike.wire.NotifyPayload;
import dev.vpnrouter.ike.wire.NotifyType;
import dev.vpnrouter.ike.wire.Payload;
import dev.vpnrouter.ike.wire.PayloadChain;
import dev.vpnrouter.ike.wire.Phase1Attribute;
import dev.vpnrouter.ike.wire.PlainMessage;
import dev.vpnrouter.ike.wire.Proposal;
import dev.vpnrouter.ike.wire.ProtocolId;
import dev.vpnrouter.ike.wire.SaPayload;
import dev.vpnrouter.ike.wire.Transform;
import dev.vpnrouter.ike.wire.UnknownPayload;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.vpnrouter.ike.ExchangeReplay.HUB;
import static dev.vpnrouter.ike.ExchangeReplay.SPOKE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-input catalogue of issue 8, one test per entry. Each asserts the answer (a notify of a given type, or
 * silence), the log line an operator would see, and that the hub's SA table, address pool and half-open count are
 * back where they were (at once, or once the negotiation timeout has passed when the input legitimately opened a
 * half-open SA).
 */
class BadInputCatalogueTest {
    static final int ATTACKER = Ipv4.parse("192.0.2.66");
    /** Past every negotiation timeout, before any lifetime. */
    static final long LATER = SaTimers.HALF_OPEN_TIMEOUT_MILLIS + 1;

    // ------------------------------------------------------------------ helpers

    /** What the hub holds: ISAKMP SAs, half-open SAs, IPsec SA pairs, pool addresses in use. */
    record Snapshot(int sas, int halfOpen, int children, int poolInUse) {
        static Snapshot of(IkeEngine e) {
            AddressPool pool = e.addressPool("ippool");
            return new Snapshot(e.ikeSaCount(), e.halfOpenCount(), e.childSas().size(),
                    pool == null ? 0 : pool.inUse());
        }
    }

    /** What one input made the engine do: the datagrams it sent and the lines it logged. */
    record Outcome(List<Datagram> sent, List<String> log) {
        boolean logged(String fragment) {
            return log.stream().anyMatch(l -> l.contains(fragment));
        }
    }

    static Outcome feed(IkeEngine e, Datagram d) {
        return feed(e, d, 0);
    }

    static Outcome feed(IkeEngine e, Datagram d, long now) {
        e.setDebug(true);
        e.drain();
        e.receive(d, now);
        return outcome(e.drain());
    }

    static Outcome outcome(List<IkeEffect> effects) {
        List<Datagram> sent = new ArrayList<>();
        List<String> log = new ArrayList<>();
        for (IkeEffect fx : effects) {
            if (fx instanceof IkeEffect.Send s) {
                sent.add(s.datagram());
            } else if (fx instanceof IkeEffect.Debug dbg) {
                log.add(dbg.line());
            } else if (fx instanceof IkeEffect.Log l) {
                log.add(l.message().format());
            }
        }
        return new Outcome(sent, log);
    }

    /** Notify types in clear Informational messages. */
    static List<Integer> clearNotifies(List<Datagram> sent) throws IsakmpDecodeException {
        List<Integer> out = new ArrayList<>();
        for (Datagram d : sent) {
            if (IsakmpCodec.decode(d.data()) instanceof PlainMessage pm
                    && pm.header().exchangeType() == ExchangeType.INFORMATIONAL) {
                pm.payloads().all(NotifyPayload.class).forEach(n -> out.add(n.notifyType()));
            }
        }
        return out;
    }

    /** Notify types in encrypted Informational messages, decrypted with the sender's ISAKMP SA. */
    static List<Integer> protectedNotifies(IkeSa sender, List<Datagram> sent) throws Exception {
        List<Integer> out = new ArrayList<>();
        for (PayloadChain chain : protectedInformationals(sender, sent)) {
            chain.all(NotifyPayload.class).forEach(n -> out.add(n.notifyType()));
        }
        return out;
    }

    static List<PayloadChain> protectedInformationals(IkeSa sender, List<Datagram> sent) throws Exception {
        return protectedMessages(sender, sent, ExchangeType.INFORMATIONAL);
    }

    /** Payloads of encrypted messages of one exchange type that start an exchange (a fresh message ID). */
    static List<PayloadChain> protectedMessages(IkeSa sender, List<Datagram> sent, int exchangeType)
            throws Exception {
        List<PayloadChain> out = new ArrayList<>();
        for (Datagram d : sent) {
            if (IsakmpCodec.decode(d.data()) instanceof EncryptedMessage em
                    && em.header().exchangeType() == exchangeType) {
                IvChain iv = sender.keys.messageIv(sender.ivs.phase1(), em.header().messageId());
                byte[] plain = sender.keys.decrypt(iv, em.body()).plaintext();
                out.add(IsakmpCodec.decodePayloads(em.header().nextPayload(), plain));
            }
        }
        return out;
    }

    static Datagram from(int src, byte[] data) {
        return new Datagram(src, 500, HUB, 500, data);
    }

    static Datagram withData(Datagram d, byte[] data) {
        return new Datagram(d.src(), d.srcPort(), d.dst(), d.dstPort(), data);
    }

    static PlainMessage plain(Datagram d) throws IsakmpDecodeException {
        return (PlainMessage) IsakmpCodec.decode(d.data());
    }

    /** Re-encodes a clear message with other payloads (lengths recomputed). */
    static byte[] reencode(Datagram d, List<? extends Payload> payloads) throws IsakmpDecodeException {
        return IsakmpCodec.encode(plain(d).header(), payloads);
    }

    static void tickPastTimeouts(IkeEngine e) {
        e.tick(LATER);
        e.drain();
    }

    static void assertNoBugs(IkeEngine e) {
        assertThat(e.counters().internalErrors).as("internal errors").isZero();
    }

    // ------------------------------------------------------------------ the wire

    /** Malformed ISAKMP: dropped without an answer (answering unauthenticated junk would make us a reflector). */
    @Nested
    class Wire {
        final Datagram mm1 = ExchangeReplay.start(ExchangeReplay.Peer.SPOKE).next();
        final IkeEngine hub = ExchangeReplay.start(ExchangeReplay.Peer.SPOKE).hub;
        final Snapshot before = Snapshot.of(hub);

        void assertSilentDrop(Outcome o, String reason) {
            assertThat(o.sent()).as("answer").isEmpty();
            assertThat(o.log()).as("log").contains("ISAKMP: dropped malformed packet from 192.0.2.66: " + reason);
            assertThat(hub.counters().malformed).isEqualTo(1);
            assertThat(Snapshot.of(hub)).isEqualTo(before);
            assertNoBugs(hub);
        }

        @Test
        void truncatedHeader() {
            Outcome o = feed(hub, from(ATTACKER, Arrays.copyOf(mm1.data(), 20)));
            assertSilentDrop(o, "datagram of 20 bytes is shorter than the ISAKMP header");
        }

        @Test
        void payloadLengthPastTheDatagram() {
            byte[] m = mm1.data().clone();
            int len = m.length; // runs 28 bytes past the datagram (offsets in the log count from the first payload)
            m[30] = (byte) (len >>> 8);
            m[31] = (byte) len;
            Outcome o = feed(hub, from(ATTACKER, m));
            assertSilentDrop(o, "SA payload length " + len + " past the end of the message at offset 0");
        }

        @Test
        void zeroLengthPayload() {
            byte[] m = mm1.data().clone();
            m[30] = 0;
            m[31] = 0;
            Outcome o = feed(hub, from(ATTACKER, m));
            assertSilentDrop(o, "SA payload length 0 below its minimum 12");
        }

        @Test
        void unknownPayloadTypeWithTheCriticalBitIsMalformed() throws Exception {
            // IKEv1 has no critical bit: what IKEv2 calls it is the reserved byte here, which must be zero.
            List<Payload> payloads = new ArrayList<>(plain(mm1).payloads().payloads());
            payloads.add(new UnknownPayload(200, new byte[] {1, 2, 3, 4}));
            byte[] m = reencode(mm1, payloads);
            int at = m.length - 8; // the unknown payload's generic header
            m[at + 1] = (byte) 0x80;
            Outcome o = feed(hub, from(ATTACKER, m));
            assertSilentDrop(o, "200 payload reserved byte is 128");
        }

        @Test
        void unknownPayloadTypeWithoutTheCriticalBit() throws Exception {
            List<Payload> payloads = new ArrayList<>(plain(mm1).payloads().payloads());
            payloads.add(new UnknownPayload(200, new byte[] {1, 2, 3, 4}));
            Outcome o = feed(hub, from(ATTACKER, reencode(mm1, payloads)));
            assertThat(o.sent()).isEmpty();
            assertThat(o.log()).anyMatch(l -> l.contains("200"));
            assertThat(Snapshot.of(hub)).isEqualTo(before);
            assertNoBugs(hub);
        }

        @Test
        void proposalWithZeroTransforms() throws Exception {
            // The proposal header's transform count (SA header 4, DOI 4, situation 4, then byte 7 of the proposal).
            byte[] m = mm1.data().clone();
            assertThat(m[28 + 12 + 7]).isEqualTo((byte) 1);
            m[28 + 12 + 7] = 0;
            Outcome o = feed(hub, from(ATTACKER, m));
            assertSilentDrop(o, "proposal 1 has 0 transforms");
        }

        @Test
        void proposalWith255Transforms() throws Exception {
            // 254 transforms we do not accept (DES), then the seed's one: the hub finds it and answers with it.
            SaPayload sa = (SaPayload) plain(mm1).payloads().get(0);
            Proposal p = sa.proposals().getFirst();
            Transform good = p.transforms().getFirst();
            List<Transform> many = new ArrayList<>();
            for (int i = 1; i < 255; i++) {
                List<DataAttribute> attrs = new ArrayList<>(good.attributes());
                attrs.replaceAll(a -> a.type() == Phase1Attribute.ENCRYPTION_ALGORITHM
                        ? DataAttribute.tv(Phase1Attribute.ENCRYPTION_ALGORITHM, Phase1Attribute.Encryption.DES_CBC)
                        : a);
                many.add(new Transform(i, good.transformId(), attrs));
            }
            many.add(new Transform(255, good.transformId(), good.attributes()));
            List<Payload> payloads = new ArrayList<>(plain(mm1).payloads().payloads());
            payloads.set(0, new SaPayload(sa.doi(), sa.situation(),
                    List.of(new Proposal(p.number(), p.protocolId(), p.spi(), many))));
            Outcome o = feed(hub, from(ATTACKER, reencode(mm1, payloads)));
            assertThat(o.sent()).hasSize(1);
            SaPayload answer = (SaPayload) plain(o.sent().getFirst()).payloads().get(0);
            assertThat(answer.proposals().getFirst().transforms()).extracting(Transform::number).containsExactly(255);
            assertThat(hub.halfOpenCount()).isEqualTo(1);
            // Nobody continues: the half-open SA times out and the hub is back where it was.
            tickPastTimeouts(hub);
            assertThat(Snapshot.of(hub)).isEqualTo(before);
            assertNoBugs(hub);
        }
    }

    // ------------------------------------------------------------------ key exchange

    /** MM3 with a bad KE: INVALID-KEY-INFORMATION in clear and the half-open SA is gone at once. */
    @Nested
    class KeyExchange {
        Outcome mm3With(ExchangeReplay r, byte[] ke) throws Exception {
            Datagram mm3 = r.next();
            List<Payload> payloads = new ArrayList<>(plain(mm3).payloads().payloads());
            payloads.replaceAll(p -> p instanceof KePayload ? new KePayload(ke) : p);
            return feed(r.hub, withData(mm3, reencode(mm3, payloads)));
        }

        void assertRefused(ExchangeReplay r, Outcome o) throws Exception {
            assertThat(clearNotifies(o.sent())).containsExactly(NotifyType.INVALID_KEY_INFORMATION);
            assertThat(o.log()).anyMatch(l -> l.startsWith("%CRYPTO-6-IKMP_REFUSED: peer 198.51.100.146: "
                    + "phase 1: invalid DH public value"));
            assertThat(Snapshot.of(r.hub)).isEqualTo(new Snapshot(0, 0, 0, 0));
            assertNoBugs(r.hub);
        }

        ExchangeReplay atMm3() {
            return ExchangeReplay.after(ExchangeReplay.Peer.SPOKE, 2);
        }

        @Test
        void wrongLength() throws Exception {
            ExchangeReplay r = atMm3();
            assertRefused(r, mm3With(r, new byte[64]));
        }

        @Test
        void zero() throws Exception {
            ExchangeReplay r = atMm3();
            assertRefused(r, mm3With(r, new byte[128]));
        }

        @Test
        void one() throws Exception {
            ExchangeReplay r = atMm3();
            byte[] one = new byte[128];
            one[127] = 1;
            assertRefused(r, mm3With(r, one));
        }

        @Test
        void pMinusOne() throws Exception {
            ExchangeReplay r = atMm3();
            assertRefused(r, mm3With(r, unsigned(ModpGroup.MODP_1024.prime().subtract(BigInteger.ONE), 128)));
        }

        @Test
        void ecpPointNotOnTheCurve() throws Exception {
            IkeProposal ecp = new IkeProposal(10, Phase1Attribute.Encryption.AES_CBC, 128, HashAlgorithm.SHA1,
                    Phase1Attribute.AuthMethod.PRE_SHARED_KEY, 19, 86_400);
            TestPolicy hubPolicy = TestPolicy.seedHub();
            hubPolicy.proposals = List.of(ecp);
            TestPolicy spokePolicy = TestPolicy.seedSpoke(HUB, "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0");
            spokePolicy.proposals = List.of(ecp);
            ExchangeReplay r = new ExchangeReplay(ExchangeReplay.Peer.SPOKE, hubPolicy,
                    new IkeEngine(hubPolicy, HUB, dev.vpnrouter.sim.SimRouter.seededRandom(11)), spokePolicy, SPOKE,
                    null).deliver(2);
            byte[] point = new byte[64]; // x = 1, y = 1: inside the field, not on P-256
            point[31] = 1;
            point[63] = 1;
            assertRefused(r, mm3With(r, point));
        }
    }

    static byte[] unsigned(BigInteger v, int length) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[length];
        int n = Math.min(b.length, length);
        System.arraycopy(b, b.length - n, out, length - n, n);
        return out;
    }

    // ------------------------------------------------------------------ authentication

    @Nested
    class Authentication {
        @Test
        void wrongPreSharedKey() throws Exception {
            TestPolicy spokePolicy = TestPolicy.seedSpoke(HUB, "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0");
            spokePolicy.keys.set(0, new Object[] {HUB, -1, "not-cisco123", "default"});
            TestPolicy hubPolicy = TestPolicy.seedHub();
            ExchangeReplay r = new ExchangeReplay(ExchangeReplay.Peer.SPOKE, hubPolicy,
                    new IkeEngine(hubPolicy, HUB, dev.vpnrouter.sim.SimRouter.seededRandom(11)), spokePolicy, SPOKE,
                    null).deliver(4);
            Datagram mm5 = r.next();
            // Dropped twice (the peer retransmits; a forgery is not the peer), the third is the key's answer.
            for (int i = 1; i < Phase1Exchange.BAD_AUTHENTICATING_MESSAGES; i++) {
                Outcome dropped = feed(r.hub, mm5);
                assertThat(dropped.sent()).isEmpty();
                assertThat(dropped.log()).contains("%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from 198.51.100.146 "
                        + "failed its sanity check or is malformed");
                assertThat(Snapshot.of(r.hub)).isEqualTo(new Snapshot(1, 1, 0, 0));
            }
            Outcome o = feed(r.hub, mm5);
            // The hub cannot tell a wrong key from a garbled MM5: either way it is a key mismatch.
            assertThat(clearNotifies(o.sent())).singleElement().isIn(NotifyType.PAYLOAD_MALFORMED,
                    NotifyType.INVALID_HASH_INFORMATION);
            assertThat(o.log()).anyMatch(l -> l.startsWith("%CRYPTO-6-IKMP_REFUSED: peer 198.51.100.146: phase 1:")
                    && l.endsWith("pre-shared key mismatch"));
            assertThat(r.hub.counters().authFailures).isEqualTo(3);
            assertThat(r.hub.counters().badMessagesDropped).isEqualTo(2);
            assertThat(Snapshot.of(r.hub)).isEqualTo(new Snapshot(0, 0, 0, 0));
            assertNoBugs(r.hub);
        }

        /** Issue 16: a forged MM5 (someone who saw the cookies) is dropped; the spoke's real MM5 still gets in. */
        @Test
        void aForgedMm5DoesNotEndTheNegotiation() throws Exception {
            ExchangeReplay r = ExchangeReplay.after(ExchangeReplay.Peer.SPOKE, 4);
            Datagram mm5 = r.next();
            byte[] garbage = mm5.data().clone();
            for (int i = 28; i < garbage.length; i++) {
                garbage[i] ^= (byte) 0x5a;
            }
            Outcome forged = feed(r.hub, withData(mm5, garbage));
            assertThat(forged.sent()).isEmpty();
            assertThat(forged.logged("IKMP_BAD_MESSAGE")).isTrue();
            Outcome real = feed(r.hub, mm5);
            assertThat(real.sent()).as("MM6").hasSize(1);
            assertThat(ExchangeReplay.onlySa(r.hub).established()).isTrue();
            assertThat(r.hub.counters().badMessagesDropped).isEqualTo(1);
            assertNoBugs(r.hub);
        }

        @Test
        void wrongHash() throws Exception {
            ExchangeReplay r = ExchangeReplay.after(ExchangeReplay.Peer.SPOKE, 4);
            Datagram mm5 = r.next();
            IkeSa sa = ExchangeReplay.onlySa(r.hub);
            EncryptedMessage em = (EncryptedMessage) IsakmpCodec.decode(mm5.data());
            byte[] plain = sa.keys.decrypt(sa.ivs.phase1(), em.body()).plaintext();
            PayloadChain chain = IsakmpCodec.decodePayloads(em.header().nextPayload(), plain);
            List<Payload> payloads = new ArrayList<>(chain.payloads());
            payloads.replaceAll(p -> {
                if (p instanceof HashPayload h) {
                    byte[] bad = h.data().clone();
                    bad[0] ^= 1;
                    return new HashPayload(bad);
                }
                return p;
            });
            byte[] ct = sa.keys.encrypt(sa.ivs.phase1(), IsakmpCodec.encodePayloads(payloads)).ciphertext();
            Datagram forged = withData(mm5, IsakmpCodec.encodeEncrypted(em.header(), em.header().nextPayload(), ct));
            Outcome first = feed(r.hub, forged);
            assertThat(first.sent()).as("dropped: the real MM5 may still come").isEmpty();
            assertThat(Snapshot.of(r.hub)).isEqualTo(new Snapshot(1, 1, 0, 0));
            feed(r.hub, forged);
            Outcome o = feed(r.hub, forged);
            assertThat(clearNotifies(o.sent())).containsExactly(NotifyType.INVALID_HASH_INFORMATION);
            assertThat(o.log()).contains("%CRYPTO-6-IKMP_REFUSED: peer 198.51.100.146: phase 1: HASH_I from "
                    + "198.51.100.146 does not verify: pre-shared key mismatch");
            assertThat(Snapshot.of(r.hub)).isEqualTo(new Snapshot(0, 0, 0, 0));
            assertNoBugs(r.hub);
        }

        @Test
        void unknownGroupId() throws Exception {
            TestPolicy hubPolicy = TestPolicy.seedHub();
            IkeEngine hub = new IkeEngine(hubPolicy, HUB, dev.vpnrouter.sim.SimRouter.seededRandom(11));
            ExchangeReplay r = new ExchangeReplay(ExchangeReplay.Peer.CLIENT, hubPolicy, hub, TestPolicy.client(),
                    ExchangeReplay.CLIENT, VpnClientProfile.of(HUB, "nosuchgroup",
                            "cisco321".getBytes(StandardCharsets.US_ASCII), "gfullage", "gfullage"));
            // AM1 is answered as for a known group (no probe for group names), and AM2 cannot be verified.
            Outcome am1 = feed(hub, r.next());
            assertThat(am1.sent()).hasSize(1);
            assertThat(plain(am1.sent().getFirst()).header().exchangeType()).isEqualTo(ExchangeType.AGGRESSIVE);
            r.skip();
            r.peer.receive(am1.sent().getFirst(), 0);
            Outcome client = outcome(r.peer.drain());
            assertThat(r.peer.counters().lastFailure).contains("HASH_R");
            assertThat(clearNotifies(client.sent())).containsExactly(NotifyType.INVALID_HASH_INFORMATION);
            Outcome notified = feed(hub, client.sent().getFirst());
            assertThat(notified.sent()).isEmpty();
            tickPastTimeouts(hub);
            assertThat(Snapshot.of(hub)).isEqualTo(new Snapshot(0, 0, 0, 0));
            assertNoBugs(hub);
        }

        @Test
        void xauthWrongThreeTimes() throws Exception {
            TestPolicy hubPolicy = TestPolicy.seedHub();
            IkeEngine hub = new IkeEngine(hubPolicy, HUB, dev.vpnrouter.sim.SimRouter.seededRandom(11));
            hub.setDebug(true);
            ExchangeReplay r = new ExchangeReplay(ExchangeReplay.Peer.CLIENT, hubPolicy, hub, TestPolicy.client(),
                    ExchangeReplay.CLIENT, ExchangeReplay.clientProfile("wrong"));
            r.deliver(3); // AM1, AM2, AM3: Xauth REQUEST queued
            List<PayloadChain> transactionsToClient = new ArrayList<>();
            for (int i = 0; i < 20 && r.next() != null; i++) {
                Datagram d = r.next();
                IkeSa clientSa = ExchangeReplay.onlySa(r.peer);
                if (d.dst() == ExchangeReplay.CLIENT && clientSa != null
                        && !clientSa.ivs.has(IsakmpCodec.decodeHeader(d.data()).messageId())) {
                    // Read with the client's keys before it acts on it (the hub's die with its SA).
                    transactionsToClient.addAll(protectedMessages(clientSa, List.of(d), ExchangeType.TRANSACTION));
                }
                r.deliver(1);
            }
            List<String> log = r.hubLog;
            assertThat(log).filteredOn(l -> l.startsWith("ISAKMP (0:1): Xauth: authentication of user 'gfullage'"))
                    .hasSize(3);
            assertThat(log).contains("%CRYPTO-6-IKMP_REFUSED: peer 198.51.100.200: Xauth: authentication of user "
                    + "'gfullage' from 198.51.100.200 failed (attempt 3 of 3)");
            assertThat(hub.counters().lastFailure).isEqualTo("Xauth: authentication of user 'gfullage' from "
                    + "198.51.100.200 failed (attempt 3 of 3)");
            // The answer to the third wrong password: SET XAUTH_STATUS = FAIL (then the SA goes).
            assertThat(transactionsToClient).anyMatch(c -> c.all(AttributePayload.class).stream().anyMatch(a ->
                    a.cfgType() == ConfigType.ISAKMP_CFG_SET && a.attribute(
                            dev.vpnrouter.ike.wire.ConfigAttribute.XAUTH_STATUS).orElseThrow().unsigned()
                            .getAsLong() == 0));
            assertThat(r.peer.ikeSaCount()).isZero();
            assertThat(Snapshot.of(hub)).isEqualTo(new Snapshot(0, 0, 0, 0));
            assertNoBugs(hub);
        }
    }

    // ------------------------------------------------------------------ phase 2 and Transaction

    /** A HASH-first message from the peer's side of an established SA, as the peer's engine builds it. */
    static Datagram protectedFrom(IkeEngine peer, int exchangeType, List<? extends Payload> payloads) {
        IkeSa sa = ExchangeReplay.onlySa(peer);
        int mid = peer.driver.newMessageId(sa);
        byte[] msg = peer.driver.protectedMessage(sa, exchangeType, mid, 0, ExchangeDriver.HashKind.INFO, null, payloads);
        return peer.driver.datagramTo(sa, msg);
    }

    /** The real QM1 with the ESP proposal's SPI replaced, HASH(1) recomputed, encrypted as the spoke would. */
    static Datagram qm1WithSpi(ExchangeReplay r, Datagram qm1, int spi) throws Exception {
        IkeSa sa = ExchangeReplay.onlySa(r.hub);
        EncryptedMessage em = (EncryptedMessage) IsakmpCodec.decode(qm1.data());
        int mid = em.header().messageId();
        IvChain iv = sa.keys.messageIv(sa.ivs.phase1(), mid);
        PayloadChain chain = IsakmpCodec.decodePayloads(em.header().nextPayload(),
                sa.keys.decrypt(iv, em.body()).plaintext());
        List<Payload> after = new ArrayList<>(chain.payloads().subList(1, chain.size()));
        after.replaceAll(p -> {
            if (p instanceof SaPayload offer) {
                List<Proposal> proposals = new ArrayList<>();
                for (Proposal pr : offer.proposals()) {
                    proposals.add(new Proposal(pr.number(), pr.protocolId(), Phase2.spiBytes(spi), pr.transforms()));
                }
                return new SaPayload(offer.doi(), offer.situation(), proposals);
            }
            return p;
        });
        byte[] afterBytes = IsakmpCodec.encodePayloads(after);
        List<Payload> all = new ArrayList<>();
        all.add(new HashPayload(sa.keys.quickModeHash1(mid, afterBytes)));
        all.addAll(after);
        byte[] ct = sa.keys.encrypt(iv, IsakmpCodec.encodePayloads(all)).ciphertext();
        return withData(qm1, IsakmpCodec.encodeEncrypted(em.header(), em.header().nextPayload(), ct));
    }

    @Nested
    class Phase2AndTransaction {
        @Test
        void quickModeBeforeXauthCompletes() throws Exception {
            TestPolicy hubPolicy = TestPolicy.seedHub();
            IkeEngine hub = new IkeEngine(hubPolicy, HUB, dev.vpnrouter.sim.SimRouter.seededRandom(11));
            ExchangeReplay r = new ExchangeReplay(ExchangeReplay.Peer.CLIENT, hubPolicy, hub, TestPolicy.client(),
                    ExchangeReplay.CLIENT, RemoteAccessTest.noCredentials()).deliver(3);
            Snapshot before = Snapshot.of(hub);
            IkeSa clientSa = ExchangeReplay.onlySa(r.peer);
            ChildPolicy entry = new ChildPolicy("client", 1, false, null, 0, List.of(HUB), List.of(), null,
                    VpnClientProfile.DEFAULT_ESP, 0, 3600, 0, null, false);
            QuickModeInitiator.start(r.peer, clientSa, entry, new ChildPolicy.SelectorPair(
                    TrafficSelector.host(Ipv4.parse("10.5.5.1")), TrafficSelector.ANY), null, 0);
            Datagram qm1 = EngineBadInputTest.sends(r.peer.drain()).getFirst();
            Outcome o = feed(hub, qm1);
            // Silence: the client is still being authenticated, and a notify would only tell it to stop asking.
            assertThat(o.sent()).isEmpty();
            assertThat(o.log()).contains("%CRYPTO-6-IKMP_REFUSED: peer 198.51.100.200: phase 2: Quick Mode before "
                    + "Xauth completed");
            assertThat(Snapshot.of(hub)).isEqualTo(before);
            assertThat(hub.addressPool("ippool").inUse()).isZero();
            assertNoBugs(hub);
        }

        @Test
        void quickModeAfterXauthButBeforeModeConfigIsRefused() throws Exception {
            ExchangeReplay r = ExchangeReplay.start(ExchangeReplay.Peer.CLIENT);
            IkeSa hubSa = null;
            for (int i = 0; i < 20 && r.next() != null; i++) { // up to the last Xauth message, no further
                r.deliver(1);
                hubSa = ExchangeReplay.onlySa(r.hub);
                if (hubSa != null && hubSa.xauthDone()) {
                    break;
                }
            }
            assertThat(hubSa).isNotNull();
            assertThat(hubSa.xauthDone()).isTrue();
            assertThat(hubSa.modeConfigDone).isFalse();
            r.skip(); // the client's Mode Config request never reaches the hub
            IkeSa clientSa = ExchangeReplay.onlySa(r.peer);
            ChildPolicy entry = new ChildPolicy("client", 1, false, null, 0, List.of(HUB), List.of(), null,
                    VpnClientProfile.DEFAULT_ESP, 0, 3600, 0, null, false);
            // Claims a pool address it was never given, before Mode Config could give it one.
            QuickModeInitiator.start(r.peer, clientSa, entry, new ChildPolicy.SelectorPair(
                    TrafficSelector.host(Ipv4.parse("10.5.5.1")), TrafficSelector.ANY), null, 0);
            Outcome o = feed(r.hub, EngineBadInputTest.sends(r.peer.drain()).getFirst());
            assertThat(o.log()).anyMatch(l -> l.contains("asks for Quick Mode before Mode Config assigned it an "
                    + "address"));
            assertThat(r.hub.counters().lastFailure).contains("before Mode Config");
            assertThat(r.hub.childSas()).isEmpty();
            assertThat(r.hub.addressPool("ippool").inUse()).isZero();
            assertNoBugs(r.hub);
        }

        /** Issue 16: a broken message must not reset the IV chain of the exchange whose message ID it carries. */
        @Test
        void aBrokenInformationalWithALiveQuickModesMessageIdLeavesItsIvAlone() throws Exception {
            ExchangeReplay r = ExchangeReplay.start(ExchangeReplay.Peer.SPOKE);
            IkeSa spokeSa = null;
            for (int i = 0; i < 20 && r.next() != null; i++) { // up to the spoke's QM1, not yet delivered
                r.deliver(1);
                spokeSa = ExchangeReplay.onlySa(r.peer);
                if (spokeSa != null && !spokeSa.quickModes.isEmpty()) {
                    break;
                }
            }
            assertThat(spokeSa.quickModes).hasSize(1);
            int mid = spokeSa.quickModes.keySet().iterator().next();
            dev.vpnrouter.ike.crypto.IvChain ivBefore = spokeSa.ivs.of(spokeSa.keys, mid);
            // From the hub's address, with the SA's cookies and the Quick Mode's message ID: garbage inside.
            IsakmpHeader h = IsakmpHeader.of(spokeSa.initiatorCookie, spokeSa.responderCookie,
                    ExchangeType.INFORMATIONAL, IsakmpHeader.FLAG_ENCRYPTION, mid);
            byte[] junk = new byte[32];
            java.util.Arrays.fill(junk, (byte) 0x5a);
            Datagram forged = new Datagram(HUB, 500, ExchangeReplay.SPOKE, 500,
                    IsakmpCodec.encodeEncrypted(h, dev.vpnrouter.ike.wire.PayloadType.HASH, junk));
            feed(r.peer, forged);
            assertThat(spokeSa.ivs.of(spokeSa.keys, mid)).isEqualTo(ivBefore);
            r.finish();
            assertThat(r.peer.childSas()).as("the Quick Mode completes after the forged message").hasSize(1);
            assertThat(r.hub.childSas()).hasSize(1);
        }

        @Test
        void transactionFromALanToLanPeerGetsNothing() throws Exception {
            ExchangeReplay r = ExchangeReplay.start(ExchangeReplay.Peer.SPOKE).finish();
            Snapshot before = Snapshot.of(r.hub);
            Datagram request = protectedFrom(r.peer, ExchangeType.TRANSACTION, List.of(AttributePayload.of(
                    ConfigType.ISAKMP_CFG_REQUEST, 1, DataAttribute.empty(1))));
            Outcome o = feed(r.hub, request);
            assertThat(o.sent()).isEmpty();
            assertThat(o.log()).anyMatch(l -> l.contains("Transaction exchange from 198.51.100.146 dropped: no Xauth"
                    + " or Mode Config on this SA"));
            assertThat(Snapshot.of(r.hub)).isEqualTo(before);
            assertThat(r.hub.addressPool("ippool").inUse()).isZero();
            assertNoBugs(r.hub);
        }

        @Test
        void proxyIdentitiesOutsideTheAcl() throws Exception {
            // The hub's L2L entry now says: only 10.1.0.0/16 <-> 10.3.0.0/16 (match address). The spoke asks for
            // 10.2.0.0/16.
            TestPolicy hubPolicy = TestPolicy.seedHub();
            hubPolicy.map.set(1, new ChildPolicy("mymap", 10, true, "dynmap", 10, List.of(),
                    ChildPolicy.permits(List.of(new ChildPolicy.SelectorPair(
                            TrafficSelector.subnet(Ipv4.parse("10.1.0.0"), Ipv4.parse("255.255.0.0")),
                            TrafficSelector.subnet(Ipv4.parse("10.3.0.0"), Ipv4.parse("255.255.0.0"))))),
                    "101", List.of(TestPolicy.MYSET), 0, 0, 0, "L2L", false));
            IkeEngine hub = new IkeEngine(hubPolicy, HUB, dev.vpnrouter.sim.SimRouter.seededRandom(11));
            ExchangeReplay r = new ExchangeReplay(ExchangeReplay.Peer.SPOKE, hubPolicy, hub,
                    TestPolicy.seedSpoke(HUB, "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0"), SPOKE, null).deliver(6);
            Snapshot before = Snapshot.of(hub);
            Outcome o = feed(hub, r.next());
            assertThat(protectedNotifies(ExchangeReplay.onlySa(hub), o.sent()))
                    .containsExactly(NotifyType.INVALID_ID_INFORMATION);
            assertThat(o.log()).anyMatch(l -> l.startsWith("%CRYPTO-6-IKMP_REFUSED: peer 198.51.100.146: phase 2:")
                    && l.contains("proxy"));
            assertThat(Snapshot.of(hub)).isEqualTo(before);
            assertNoBugs(hub);
        }

        @Test
        void spiOfZero() throws Exception {
            ExchangeReplay r = ExchangeReplay.after(ExchangeReplay.Peer.SPOKE, 6);
            Snapshot before = Snapshot.of(r.hub);
            Outcome o = feed(r.hub, qm1WithSpi(r, r.next(), 0));
            assertThat(protectedNotifies(ExchangeReplay.onlySa(r.hub), o.sent()))
                    .containsExactly(NotifyType.INVALID_SPI);
            assertThat(o.log()).contains("%CRYPTO-6-IKMP_REFUSED: peer 198.51.100.146: phase 2: peer 198.51.100.146"
                    + " chose the reserved SPI 0x0");
            assertThat(Snapshot.of(r.hub)).isEqualTo(before);
            assertNoBugs(r.hub);
        }

        @Test
        void spiAlreadyInUse() throws Exception {
            ExchangeReplay r = ExchangeReplay.start(ExchangeReplay.Peer.SPOKE).finish();
            ChildSa existing = r.hub.childSas().getFirst();
            // The spoke starts a second Quick Mode for the same traffic; its QM1 reuses the live SA's SPI.
            IkeSa spokeSa = ExchangeReplay.onlySa(r.peer);
            ChildPolicy entry = r.peer.policy().cryptoMap().getFirst();
            QuickModeInitiator.start(r.peer, spokeSa, entry, entry.selectors().getFirst(), null, 0);
            Datagram qm1 = EngineBadInputTest.sends(r.peer.drain()).getFirst();
            Snapshot before = Snapshot.of(r.hub);
            Outcome o = feed(r.hub, qm1WithSpi(r, qm1, existing.outboundSpi()));
            assertThat(protectedNotifies(ExchangeReplay.onlySa(r.hub), o.sent()))
                    .containsExactly(NotifyType.INVALID_SPI);
            assertThat(o.log()).contains("%CRYPTO-6-IKMP_REFUSED: peer 198.51.100.146: phase 2: peer 198.51.100.146"
                    + " chose SPI 0x" + Integer.toHexString(existing.outboundSpi()) + ", already in use by SA pair "
                    + existing.id());
            assertThat(Snapshot.of(r.hub)).isEqualTo(before);
            assertNoBugs(r.hub);
        }
    }

    // ------------------------------------------------------------------ other peers' state

    @Nested
    class OtherPeers {
        static final int SPOKE_B = Ipv4.parse("198.51.100.147");

        /** The hub with two spokes up: the seed's and a second one at another address. */
        ExchangeReplay[] twoSpokes() {
            TestPolicy hubPolicy = TestPolicy.seedHub();
            IkeEngine hub = new IkeEngine(hubPolicy, HUB, dev.vpnrouter.sim.SimRouter.seededRandom(11));
            ExchangeReplay a = new ExchangeReplay(ExchangeReplay.Peer.SPOKE, hubPolicy, hub,
                    TestPolicy.seedSpoke(HUB, "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0"), SPOKE, null).finish();
            ExchangeReplay b = new ExchangeReplay(ExchangeReplay.Peer.SPOKE, hubPolicy, hub,
                    TestPolicy.seedSpoke(HUB, "10.3.0.0 255.255.0.0 10.1.0.0 255.255.0.0"), SPOKE_B, null).finish();
            assertThat(hub.childSas()).hasSize(2);
            return new ExchangeReplay[] {a, b};
        }

        @Test
        void deleteForSomeoneElsesSa() throws Exception {
            ExchangeReplay[] spokes = twoSpokes();
            IkeEngine hub = spokes[0].hub;
            ChildSa bChild = spokes[1].peer.childSas().getFirst();
            IkeSa bSa = ExchangeReplay.onlySa(spokes[1].peer);
            Snapshot before = Snapshot.of(hub);
            // Spoke A, authenticated, deletes B's IPsec SA (by B's SPI) and B's ISAKMP SA (by its cookies).
            Outcome o1 = feed(hub, protectedFrom(spokes[0].peer, ExchangeType.INFORMATIONAL, List.of(
                    DeletePayload.ofSpis(ProtocolId.IPSEC_ESP, bChild.inboundSpi()))));
            Outcome o2 = feed(hub, protectedFrom(spokes[0].peer, ExchangeType.INFORMATIONAL, List.of(
                    DeletePayload.ofIsakmp(IsakmpHeader.of(bSa.initiatorCookie, bSa.responderCookie, 0, 0, 0)
                            .cookiePair()))));
            assertThat(o1.sent()).isEmpty();
            assertThat(o2.sent()).isEmpty();
            assertThat(o1.log()).anyMatch(l -> l.endsWith("Delete for unknown SPI 0x"
                    + Integer.toHexString(bChild.inboundSpi()) + ", ignored"));
            assertThat(o2.log()).anyMatch(l -> l.endsWith("Delete for an ISAKMP SA that is not this one, ignored"));
            assertThat(Snapshot.of(hub)).isEqualTo(before);
            assertThat(hub.childSas()).anyMatch(c -> c.peerAddress() == SPOKE_B);
            assertNoBugs(hub);
        }

        @Test
        void initialContactFromADifferentPeer() {
            TestPolicy hubPolicy = TestPolicy.seedHub();
            IkeEngine hub = new IkeEngine(hubPolicy, HUB, dev.vpnrouter.sim.SimRouter.seededRandom(11));
            hub.setDebug(true);
            ExchangeReplay a = new ExchangeReplay(ExchangeReplay.Peer.SPOKE, hubPolicy, hub,
                    TestPolicy.seedSpoke(HUB, "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0"), SPOKE, null).finish();
            Snapshot withA = Snapshot.of(hub);
            ExchangeReplay b = new ExchangeReplay(ExchangeReplay.Peer.SPOKE, hubPolicy, hub,
                    TestPolicy.seedSpoke(HUB, "10.3.0.0 255.255.0.0 10.1.0.0 255.255.0.0"), SPOKE_B, null).finish();
            // B's MM5 carried INITIAL-CONTACT (it had no SA with the hub): it cleared nothing of A's.
            assertThat(b.delivered).isNotEmpty();
            assertThat(a.peer.childSas()).hasSize(1);
            assertThat(Snapshot.of(hub)).isEqualTo(new Snapshot(withA.sas() + 1, 0, withA.children() + 1, 0));
            assertThat(b.hubLog).noneMatch(l -> l.contains("INITIAL-CONTACT"));
            assertNoBugs(hub);
        }

        @Test
        void initialContactFromAnotherPeerBehindTheSameNat() {
            // Two spokes behind one NAT share its public address; the second one's INITIAL-CONTACT must not take
            // down the first one's SAs (the peer is the address and the port).
            RemoteAccessTest.Lab lab = new RemoteAccessTest.Lab(40);
            dev.vpnrouter.sim.SimNat nat = new dev.vpnrouter.sim.SimNat(lab.net, RemoteAccessTest.NAT_PUBLIC);
            LabRouter a = new LabRouter("spoke-a", lab.net, Ipv4.parse("192.168.1.10"),
                    TestPolicy.seedSpoke(HUB, "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0"), 41);
            LabRouter b = new LabRouter("spoke-b", lab.net, Ipv4.parse("192.168.1.11"),
                    TestPolicy.seedSpoke(HUB, "10.3.0.0 255.255.0.0 10.1.0.0 255.255.0.0"), 42);
            nat.attachInside(Ipv4.parse("192.168.1.10"), a);
            nat.attachInside(Ipv4.parse("192.168.1.11"), b);
            a.run(e -> e.connectAll(lab.clock.now()));
            lab.runFor(5_000);
            assertThat(a.children()).hasSize(1);
            Snapshot withA = Snapshot.of(lab.hub.engine());
            b.run(e -> e.connectAll(lab.clock.now()));
            lab.runFor(5_000);
            assertThat(b.children()).hasSize(1);
            assertThat(lab.hub.engine().ikeSaCount()).isEqualTo(withA.sas() + 1);
            assertThat(lab.hub.children()).hasSize(2);
            assertThat(lab.hub.log).noneMatch(l -> l.contains("INITIAL-CONTACT"));
            assertNoBugs(lab.hub.engine());
        }
    }

    // ------------------------------------------------------------------ ESP

    /** Bad ESP at the hub's data plane: dropped and counted on the SA (the IOS counter), the SA unchanged. */
    @Nested
    class Esp {
        final dev.vpnrouter.dataplane.DataPlane hub = new dev.vpnrouter.dataplane.DataPlane(
                List.of(ExchangeReplay.start(ExchangeReplay.Peer.SPOKE).hub.policy().cryptoMap().get(1)),
                dev.vpnrouter.dataplane.DataPlaneConfig.defaults(Ipv4.parse("10.1.1.1")));
        final ExchangeReplay tunnel = ExchangeReplay.start(ExchangeReplay.Peer.SPOKE).finish();
        final ChildSa hubSide = tunnel.hub.childSas().getFirst();
        final ChildSa spokeSide = tunnel.peer.childSas().getFirst();
        final dev.vpnrouter.esp.EspOutboundSa spoke = dev.vpnrouter.esp.EspOutboundSa.builder(
                spokeSide.outboundSpi(), dev.vpnrouter.dataplane.EspTransforms.of(spokeSide.transform()),
                spokeSide.outboundKeys()).build();

        Esp() {
            hub.install(hubSide, 0);
        }

        byte[] seal(int src, int dst) {
            byte[] ping = dev.vpnrouter.common.Ipv4Packet.icmpEcho(src, dst, true, 1, 1, new byte[16]);
            return ((dev.vpnrouter.esp.EspSealResult.Sealed) spoke.seal(ping)).packet();
        }

        byte[] good() {
            return seal(Ipv4.parse("10.2.2.10"), Ipv4.parse("10.1.1.10"));
        }

        void assertDropped(byte[] esp, dev.vpnrouter.esp.EspDropReason reason, String iosCounter) {
            var r = hub.inbound(esp, SPOKE, 0, 0);
            assertThat(r).isEqualTo(new dev.vpnrouter.dataplane.InboundResult.Drop(reason, hubSide.id()));
            assertThat(reason.iosCounter()).isEqualTo(iosCounter);
            assertThat(hub.sa(hubSide.id()).counters().recvErrors()).isEqualTo(1);
            assertThat(hub.saCount()).isEqualTo(1);
            // The SA still opens the next good packet.
            assertThat(hub.inbound(good(), SPOKE, 0, 0)).isInstanceOf(
                    dev.vpnrouter.dataplane.InboundResult.Deliver.class);
        }

        @Test
        void replayed() {
            byte[] esp = good();
            assertThat(hub.inbound(esp, SPOKE, 0, 0)).isInstanceOf(dev.vpnrouter.dataplane.InboundResult.Deliver.class);
            assertDropped(esp, dev.vpnrouter.esp.EspDropReason.REPLAY, "#pkts replay failed (rcv)");
        }

        @Test
        void truncated() {
            byte[] esp = good();
            assertDropped(Arrays.copyOf(esp, 20), dev.vpnrouter.esp.EspDropReason.TRUNCATED, "#pkts invalid len (rcv)");
        }

        @Test
        void tampered() {
            byte[] esp = good();
            esp[esp.length / 2] ^= 1;
            assertDropped(esp, dev.vpnrouter.esp.EspDropReason.AUTH_FAILED, "#pkts verify failed");
        }

        @Test
        void innerSourceOutsideTheSasProxyIdentity() {
            byte[] spoofed = seal(Ipv4.parse("10.9.9.9"), Ipv4.parse("10.1.1.10"));
            assertDropped(spoofed, dev.vpnrouter.esp.EspDropReason.INVALID_IDENTITY,
                    "#pkts invalid identity (recv)");
            assertThat(hub.sa(hubSide.id()).counters().invalidIdentity()).isEqualTo(1);
        }
    }
}
