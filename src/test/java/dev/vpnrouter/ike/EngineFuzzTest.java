package dev.vpnrouter.ike;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vpnrouter.ike.crypto.IvChain;
import dev.vpnrouter.ike.wire.ExchangeType;
import dev.vpnrouter.ike.wire.IsakmpCodec;
import dev.vpnrouter.ike.wire.IsakmpDecodeException;
import dev.vpnrouter.ike.wire.IsakmpHeader;
import dev.vpnrouter.ike.wire.PayloadType;

import dev.vpnrouter.ike.wire.PayloadChain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static dev.vpnrouter.ike.ExchangeReplay.Peer.CLIENT;
import static dev.vpnrouter.ike.ExchangeReplay.Peer.SPOKE;

/**
 * Jazzer targets for the engine's inbound path at every exchange state. A real exchange ({@link ExchangeReplay}) is
 * driven to the state, then the fuzzed message goes in place of the real next one. The first input byte picks the
 * state (within the target's family) and how the input becomes a message:
 * <ul>
 * <li>{@link Shape#BODY}: the real header (cookies, exchange, flags, message ID) with the input as body: a clear
 * payload chain, or ciphertext where the state is encrypted;</li>
 * <li>{@link Shape#SEALED}: the input is the plaintext payload chain, encrypted with the SA's key and IV as the
 * peer would, behind a correct HASH where the exchange starts with one: this reaches past decryption and
 * authentication into the exchange logic;</li>
 * <li>{@link Shape#HEADER}: the real message with its 28-byte header XORed with the input.</li>
 * </ul>
 * A finding is any bug the engine caught at its edge ({@code internalErrors}, reported with its stack trace), an
 * exception out of the engine, or state that one message grew by more than one entry. The engines are cached per
 * state and rebuilt when an input changed them, so most executions cost one decrypt and one HASH.
 */
class EngineFuzzTest {

    enum Shape { BODY, SEALED, HEADER }

    /** States: which exchange, and how many real messages were delivered before the fuzzed one. */
    enum State {
        MM1(SPOKE, 0), MM2(SPOKE, 1), MM3(SPOKE, 2), MM4(SPOKE, 3), MM5(SPOKE, 4), MM6(SPOKE, 5),
        QM1(SPOKE, 6), QM2(SPOKE, 7), QM3(SPOKE, 8),
        AM1(CLIENT, 0), AM2(CLIENT, 1), AM3(CLIENT, 2),
        XAUTH_REQUEST(CLIENT, 3), XAUTH_REPLY(CLIENT, 4), XAUTH_SET(CLIENT, 5), XAUTH_ACK(CLIENT, 6),
        CFG_REQUEST(CLIENT, 7), CFG_REPLY(CLIENT, 8), CLIENT_QM1(CLIENT, 9),
        /** Informational to the hub and to the spoke, on an established SA. */
        INFO_TO_HUB(SPOKE, 9), INFO_TO_SPOKE(SPOKE, 9), INFO_TO_CLIENT_HUB(CLIENT, 12);

        final ExchangeReplay.Peer peer;
        final int delivered;

        State(ExchangeReplay.Peer peer, int delivered) {
            this.peer = peer;
            this.delivered = delivered;
        }
    }

    @FuzzTest(maxDuration = "10m")
    void mainMode(byte[] input) {
        run(input, State.MM1, State.MM2, State.MM3, State.MM4, State.MM5, State.MM6);
    }

    @FuzzTest(maxDuration = "10m")
    void aggressiveMode(byte[] input) {
        run(input, State.AM1, State.AM2, State.AM3);
    }

    @FuzzTest(maxDuration = "10m")
    void quickMode(byte[] input) {
        run(input, State.QM1, State.QM2, State.QM3, State.CLIENT_QM1);
    }

    @FuzzTest(maxDuration = "10m")
    void transaction(byte[] input) {
        run(input, State.XAUTH_REQUEST, State.XAUTH_REPLY, State.XAUTH_SET, State.XAUTH_ACK, State.CFG_REQUEST,
                State.CFG_REPLY);
    }

    @FuzzTest(maxDuration = "10m")
    void informational(byte[] input) {
        run(input, State.INFO_TO_HUB, State.INFO_TO_SPOKE, State.INFO_TO_CLIENT_HUB);
    }

    // ------------------------------------------------------------------ harness

    /** One prepared state: the engines, the template message and a digest of the target engine's state. */
    static final class Prepared {
        final ExchangeReplay replay;
        final IkeEngine target;
        final Datagram template;
        final long digest;
        int uses;

        Prepared(State state) {
            replay = ExchangeReplay.after(state.peer, state.delivered);
            template = switch (state) {
                case INFO_TO_HUB, INFO_TO_CLIENT_HUB -> informationalTemplate(replay, true);
                case INFO_TO_SPOKE -> informationalTemplate(replay, false);
                default -> replay.next();
            };
            if (template == null) {
                throw new IllegalStateException(state + ": the exchange has no message here");
            }
            target = replay.engineAt(template.dst());
            digest = digest(target);
        }
    }

    static final Map<State, Prepared> CACHE = new EnumMap<>(State.class);

    static void run(byte[] input, State... family) {
        if (input.length < 2) {
            return;
        }
        State state = family[(input[0] & 0xff) % family.length];
        Shape shape = Shape.values()[((input[0] & 0xff) / family.length) % Shape.values().length];
        byte[] rest = Arrays.copyOfRange(input, 1, input.length);
        Prepared p = CACHE.get(state);
        if (p == null || p.uses > 10_000) { // a fresh copy now and then bounds any drift the digest misses
            p = new Prepared(state);
            CACHE.put(state, p);
        }
        p.uses++;
        IkeEngine e = p.target;
        int sasBefore = e.ikeSaCount();
        int halfOpenBefore = e.halfOpenCount();
        int[] sizesBefore = sizes(e);
        byte[] message = build(p, state, shape, rest);
        Datagram d = p.template;
        e.receive(new Datagram(d.src(), d.srcPort(), d.dst(), d.dstPort(), message), 0);
        e.drain();
        try {
            if (e.counters().internalErrors != 0) {
                throw new AssertionError(state + "/" + shape + ": bug caught at the engine's edge",
                        e.counters().lastInternalError);
            }
            check(e.ikeSaCount() <= sasBefore + 1, state, shape, "ISAKMP SAs grew by more than one");
            check(e.halfOpenCount() <= halfOpenBefore + 1, state, shape, "half-open SAs grew by more than one");
            int[] sizesAfter = sizes(e);
            for (int i = 0; i < sizesAfter.length; i++) {
                check(sizesAfter[i] <= sizesBefore[i] + 1, state, shape, "per-SA table " + i + " grew from "
                        + sizesBefore[i] + " to " + sizesAfter[i]);
            }
        } finally {
            if (digest(e) != p.digest) {
                CACHE.remove(state); // the input changed the state: the next one starts from a fresh copy
            }
        }
    }

    private static void check(boolean ok, State state, Shape shape, String what) {
        if (!ok) {
            throw new AssertionError(state + "/" + shape + ": " + what);
        }
    }

    /** Sizes of the per-SA tables a message could grow, summed over the SAs. */
    private static int[] sizes(IkeEngine e) {
        int[] s = new int[4];
        for (IkeSaView v : e.ikeSas()) {
            IkeSa sa = (IkeSa) v;
            s[0] += sa.ivs.size();
            s[1] += sa.quickModes.size();
            s[2] += sa.children.size();
            s[3] += sa.pendingChildren.size();
        }
        return s;
    }

    /** What a message can change in an engine, folded into one number. */
    static long digest(IkeEngine e) {
        long h = 17;
        IkeCounters c = e.counters();
        h = h * 31 + e.ikeSaCount();
        h = h * 31 + e.halfOpenCount();
        h = h * 31 + c.phase1Completed;
        h = h * 31 + c.phase2Completed;
        h = h * 31 + c.negotiationsFailed;
        h = h * 31 + c.authFailures;
        h = h * 31 + c.duplicates;
        h = h * 31 + e.orphanChildSas().size();
        for (IkeSaView v : e.ikeSas()) {
            IkeSa sa = (IkeSa) v;
            h = h * 31 + sa.state.ordinal();
            h = h * 31 + (sa.deleted ? 1 : 0) + (sa.xauthDone() ? 2 : 0) + (sa.modeConfigDone ? 4 : 0)
                    + (sa.natPeer ? 8 : 0) + (sa.natLocal ? 16 : 0);
            h = h * 31 + (sa.phase1 == null ? 0 : sa.phase1.replies().requestHash());
            h = h * 31 + sa.peerPort + 65_537L * sa.localPort;
                        h = h * 31 + sa.ivs.stateHash();
            h = h * 31 + sa.children.size();
            h = h * 31 + sa.dpd.stateHash();
            h = h * 31 + (sa.tx == null ? 0 : 1 + System.identityHashCode(sa.tx.outstanding()));
            for (QuickModeExchange qm : sa.quickModes.values()) {
                h = h * 31 + qm.messageId() + qm.state().ordinal() + qm.replies().requestHash();
            }
        }
        return h;
    }

    /** An encrypted Informational on the established SA, from its peer, with a message ID the input chooses. */
    private static Datagram informationalTemplate(ExchangeReplay r, boolean toHub) {
        IkeEngine to = toHub ? r.hub : r.peer;
        IkeSa sa = ExchangeReplay.onlySa(to);
        IsakmpHeader h = IsakmpHeader.of(sa.initiatorCookie, sa.responderCookie, ExchangeType.INFORMATIONAL,
                IsakmpHeader.FLAG_ENCRYPTION, 0x5eed0001);
        byte[] data = IsakmpCodec.encodeEncrypted(h, PayloadType.HASH, new byte[8]);
        return new Datagram(sa.peerAddress, sa.peerPort, sa.localAddress, sa.localPort, data);
    }

    static byte[] build(Prepared p, State state, Shape shape, byte[] input) {
        byte[] real = p.template.data();
        return switch (shape) {
            case BODY -> withBody(real, real[16] & 0xff, input);
            case HEADER -> {
                byte[] m = real.clone();
                for (int i = 0; i < Math.min(IsakmpHeader.SIZE, input.length); i++) {
                    m[i] ^= input[i];
                }
                yield m;
            }
            case SEALED -> sealed(p, state, input);
        };
    }

    /** The real header with another body; length fixed, the first payload as given. */
    private static byte[] withBody(byte[] real, int firstPayload, byte[] body) {
        byte[] m = Arrays.copyOf(real, IsakmpHeader.SIZE + body.length);
        System.arraycopy(body, 0, m, IsakmpHeader.SIZE, body.length);
        m[16] = (byte) firstPayload;
        int len = m.length;
        m[24] = (byte) (len >>> 24);
        m[25] = (byte) (len >>> 16);
        m[26] = (byte) (len >>> 8);
        m[27] = (byte) len;
        return m;
    }

    /** The input as plaintext payloads (its first byte the first payload's type), encrypted as the peer would. */
    private static byte[] sealed(Prepared p, State state, byte[] input) {
        byte[] real = p.template.data();
        IsakmpHeader header;
        try {
            header = IsakmpCodec.decodeHeader(real);
        } catch (IsakmpDecodeException ex) {
            throw new AssertionError(ex);
        }
        int first = input[0] & 0xff;
        byte[] payloads = Arrays.copyOfRange(input, 1, input.length);
        IkeSa sa = ExchangeReplay.onlySa(p.target);
        if (!header.isEncrypted() || sa == null || sa.keys == null) {
            return withBody(real, first, payloads); // a clear state: the input is the payload chain
        }
        int mid = header.messageId();
        if (state == State.MM5 || state == State.MM6 || header.exchangeType() == ExchangeType.AGGRESSIVE) {
            byte[] ct = sa.keys.encrypt(sa.ivs.phase1(), payloads).ciphertext();
            return withBody(real, first, ct);
        }
        // HASH-first exchanges: HASH over the payloads as the peer computes it, then the payloads.
        QuickModeExchange qm = sa.quickModes.get(mid);
        byte[] hash = switch (state) {
            case QM2 -> sa.keys.quickModeHash2(mid, qm == null ? new byte[0] : qm.initiatorNonce(), payloads);
            case QM3 -> qm == null ? sa.keys.quickModeHash1(mid, payloads)
                    : sa.keys.quickModeHash3(mid, qm.initiatorNonce(), qm.responderNonce());
            default -> sa.keys.quickModeHash1(mid, payloads);
        };
        byte[] body = new byte[4 + hash.length + payloads.length];
        body[0] = (byte) first;
        body[2] = (byte) ((4 + hash.length) >>> 8);
        body[3] = (byte) (4 + hash.length);
        System.arraycopy(hash, 0, body, 4, hash.length);
        System.arraycopy(payloads, 0, body, 4 + hash.length, payloads.length);
        IvChain iv = sa.ivs.get(mid);
        if (iv == null) {
            iv = sa.keys.messageIv(sa.ivs.phase1(), mid);
        }
        byte[] ct = sa.keys.encrypt(iv, body).ciphertext();
        return withBody(real, PayloadType.HASH, ct);
    }

    // ------------------------------------------------------------------ seed corpus

    /** The families as the fuzz test methods name them. */
    static final Map<String, List<State>> FAMILIES = Map.of(
            "mainMode", List.of(State.MM1, State.MM2, State.MM3, State.MM4, State.MM5, State.MM6),
            "aggressiveMode", List.of(State.AM1, State.AM2, State.AM3),
            "quickMode", List.of(State.QM1, State.QM2, State.QM3, State.CLIENT_QM1),
            "transaction", List.of(State.XAUTH_REQUEST, State.XAUTH_REPLY, State.XAUTH_SET, State.XAUTH_ACK,
                    State.CFG_REQUEST, State.CFG_REPLY),
            "informational", List.of(State.INFO_TO_HUB, State.INFO_TO_SPOKE, State.INFO_TO_CLIENT_HUB));

    /**
     * Writes the seed corpus from the real messages of our own exchanges: for every state, the real message in each
     * shape (its body, its decrypted payloads, its header unchanged). Also writes every datagram of both exchanges as
     * seeds of the decoder target. Run from the repository root: {@code java -cp ... EngineFuzzTest}.
     */
    public static void main(String[] args) throws IOException {
        Path res = Path.of("src/test/resources/dev/vpnrouter/ike");
        for (Map.Entry<String, List<State>> family : FAMILIES.entrySet()) {
            Path dir = res.resolve("EngineFuzzTestInputs").resolve(family.getKey());
            Files.createDirectories(dir);
            List<State> states = family.getValue();
            for (int i = 0; i < states.size(); i++) {
                State state = states.get(i);
                Prepared p = new Prepared(state);
                byte[] real = p.template.data();
                for (Shape shape : Shape.values()) {
                    byte[] rest = switch (shape) {
                        case BODY -> Arrays.copyOfRange(real, IsakmpHeader.SIZE, real.length);
                        case HEADER -> real.clone(); // XOR with itself: a zero header; the fuzzer starts from there
                        case SEALED -> plaintext(p, state);
                    };
                    if (shape == Shape.HEADER) {
                        rest = new byte[IsakmpHeader.SIZE];
                    }
                    byte[] seed = new byte[1 + rest.length];
                    seed[0] = (byte) (i + states.size() * shape.ordinal());
                    System.arraycopy(rest, 0, seed, 1, rest.length);
                    Files.write(dir.resolve(state.name().toLowerCase() + "-" + shape.name().toLowerCase()), seed);
                }
            }
        }
        Path decoder = res.resolve("wire/IsakmpDecoderFuzzTestInputs/decode");
        Files.createDirectories(decoder);
        for (ExchangeReplay.Peer kind : ExchangeReplay.Peer.values()) {
            ExchangeReplay r = ExchangeReplay.start(kind).finish();
            for (int i = 0; i < r.delivered.size(); i++) {
                Files.write(decoder.resolve(kind.name().toLowerCase() + "-" + i), r.delivered.get(i).data());
            }
        }
    }

    /** The first payload type and the payloads of the real message as its receiver decrypts them. */
    private static byte[] plaintext(Prepared p, State state) {
        byte[] real = p.template.data();
        try {
            IsakmpHeader h = IsakmpCodec.decodeHeader(real);
            byte[] body = Arrays.copyOfRange(real, IsakmpHeader.SIZE, real.length);
            IkeSa sa = ExchangeReplay.onlySa(p.target);
            if (!h.isEncrypted() || state.name().startsWith("INFO")) {
                byte[] out = new byte[1 + body.length];
                out[0] = (byte) h.nextPayload();
                System.arraycopy(body, 0, out, 1, body.length);
                return out;
            }
            if (state == State.MM5 || state == State.MM6 || h.exchangeType() == ExchangeType.AGGRESSIVE) {
                byte[] plain = sa.keys.decrypt(sa.ivs.phase1(), body).plaintext();
                PayloadChain chain = IsakmpCodec.decodePayloads(h.nextPayload(), plain);
                byte[] payloads = Arrays.copyOf(plain, chain.length());
                byte[] out = new byte[1 + payloads.length];
                out[0] = (byte) h.nextPayload();
                System.arraycopy(payloads, 0, out, 1, payloads.length);
                return out;
            }
            IvChain iv = sa.ivs.get(h.messageId());
            if (iv == null) {
                iv = sa.keys.messageIv(sa.ivs.phase1(), h.messageId());
            }
            byte[] plain = sa.keys.decrypt(iv, body).plaintext();
            PayloadChain chain = IsakmpCodec.decodePayloads(h.nextPayload(), plain);
            byte[] after = chain.rawAfter(0);
            byte[] out = new byte[1 + after.length];
            out[0] = (byte) (chain.size() > 1 ? chain.get(1).type() : 0);
            System.arraycopy(after, 0, out, 1, after.length);
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(state + ": " + e + " " + HexFormat.of().formatHex(real), e);
        }
    }
}
