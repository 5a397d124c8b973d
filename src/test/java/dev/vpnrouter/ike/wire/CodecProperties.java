package dev.vpnrouter.ike.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties: no input makes a decoder throw anything but {@link IsakmpDecodeException}; whatever decodes re-encodes
 * to the same bytes; whatever is encoded decodes to the same records.
 */
class CodecProperties {

    /** Decodes in every way the engine can, and checks that success means a byte-exact re-encoding. */
    private static void decodeEveryWay(byte[] bytes) {
        try {
            DecodedMessage m = IsakmpCodec.decode(bytes);
            byte[] message = Arrays.copyOf(bytes, m.header().length());
            switch (m) {
                case PlainMessage p -> assertThat(IsakmpCodec.encode(p.header(), p.payloads().payloads()))
                        .isEqualTo(message);
                case EncryptedMessage e -> assertThat(IsakmpCodec.encodeEncrypted(e.header(),
                        e.header().nextPayload(), e.body())).isEqualTo(message);
            }
        } catch (IsakmpDecodeException expected) {
            assertThat(expected.notifyType()).isBetween(1, 30);
        }
        for (int type : new int[] {0, 1, 2, 4, 5, 8, 11, 12, 13, 14, 20, 21, 99, 130, 131, 132, 255}) {
            try {
                PayloadChain c = IsakmpCodec.decodePayloads(type, bytes);
                assertThat(IsakmpCodec.encodePayloads(c.payloads()))
                        .isEqualTo(Arrays.copyOf(bytes, c.length()));
                for (MessageRule rule : MessageRule.values()) {
                    try {
                        rule.check(IsakmpHeader.of(1, 2, rule.exchangeType(), 1, 0), c);
                    } catch (IsakmpDecodeException expected) {
                        assertThat(expected.notifyType()).isPositive();
                    }
                }
            } catch (IsakmpDecodeException expected) {
                assertThat(expected.notifyType()).isBetween(1, 30);
            }
        }
    }

    @Property(tries = 3000)
    void randomBytesOnlyEverFailWithTheTypedException(@ForAll @Size(max = 300) byte[] bytes) {
        decodeEveryWay(bytes);
    }

    @Property(tries = 3000)
    void randomBodiesBehindAValidHeader(@ForAll @IntRange(max = 255) int firstType,
            @ForAll @IntRange(max = 7) int flags, @ForAll @Size(max = 200) byte[] body) {
        byte[] d = new byte[28 + body.length];
        d[16] = (byte) firstType;
        d[17] = 0x10;
        d[18] = ExchangeType.QUICK_MODE;
        d[19] = (byte) flags;
        d[26] = (byte) (d.length >>> 8);
        d[27] = (byte) d.length;
        System.arraycopy(body, 0, d, 28, body.length);
        decodeEveryWay(d);
    }

    @Provide
    Arbitrary<byte[]> validMessages() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(IsakmpCodec.encode(IsakmpHeader.of(1, 2, ExchangeType.INFORMATIONAL, 0, 3), Samples.all()));
        for (PcapReader.Datagram d : SeedVectors.datagrams().values()) {
            seeds.add(d.isakmp());
        }
        for (Payload p : Samples.all()) {
            seeds.add(IsakmpCodec.encode(IsakmpHeader.of(1, 2, ExchangeType.IDENTITY_PROTECTION, 0, 0), List.of(p)));
        }
        return Arbitraries.of(seeds);
    }

    @Property(tries = 5000)
    void mutatedRealMessagesOnlyEverFailWithTheTypedException(@ForAll("validMessages") byte[] valid,
            @ForAll @Size(min = 1, max = 4) List<@IntRange(max = 100_000) Integer> positions,
            @ForAll @Size(min = 1, max = 4) List<Byte> values, @ForAll @IntRange(max = 3) int mode) {
        byte[] b = valid.clone();
        for (int i = 0; i < positions.size(); i++) {
            int at = positions.get(i) % b.length;
            byte v = values.get(i % values.size());
            switch (mode) {
                case 0 -> b[at] = v;                               // overwrite
                case 1 -> b[at] ^= (byte) (1 << (v & 7));          // flip a bit
                case 2 -> b = Arrays.copyOf(b, Math.max(0, at));   // truncate
                default -> {                                       // insert a byte
                    byte[] grown = new byte[b.length + 1];
                    System.arraycopy(b, 0, grown, 0, at);
                    grown[at] = v;
                    System.arraycopy(b, at, grown, at + 1, b.length - at);
                    b = grown;
                }
            }
            if (b.length == 0) {
                break;
            }
        }
        decodeEveryWay(b);
    }

    // ---------------------------------------------------------------- generated payloads

    private static Arbitrary<byte[]> bytes(int max) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(max);
    }

    private static Arbitrary<DataAttribute> attributes() {
        Arbitrary<DataAttribute> tv = Combinators.combine(Arbitraries.integers().between(0, 0x7fff),
                Arbitraries.integers().between(0, 0xffff)).as(DataAttribute::tv);
        Arbitrary<DataAttribute> tlv = Combinators.combine(Arbitraries.integers().between(0, 0x7fff), bytes(40))
                .as(DataAttribute::tlv);
        return Arbitraries.oneOf(tv, tlv);
    }

    private static Arbitrary<Transform> transforms() {
        return Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 255),
                attributes().list().ofMaxSize(6)).as(Transform::new);
    }

    private static Arbitrary<Proposal> proposals() {
        return Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 255),
                Arbitraries.of(0, 2, 4, 8, 16).flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n)),
                transforms().list().ofMinSize(1).ofMaxSize(4)).as(Proposal::new);
    }

    @Provide
    Arbitrary<Payload> payloads() {
        Arbitrary<Integer> u8 = Arbitraries.integers().between(0, 255);
        Arbitrary<Integer> u16 = Arbitraries.integers().between(0, 0xffff);
        Arbitrary<Integer> u32 = Arbitraries.integers();
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.integers().between(0, 0xff).map(s -> s & ~6),
                        proposals().list().ofMinSize(1).ofMaxSize(3))
                        .as((sit, ps) -> (Payload) new SaPayload(Doi.IPSEC, sit, ps)),
                bytes(64).map(KePayload::new),
                Combinators.combine(Arbitraries.of(1, 2, 3, 4, 7, 11, 5, 9), u8, u16, bytes(20))
                        .as((t, pr, port, d) -> {
                            int fixed = IdType.fixedLength(t);
                            return (Payload) new IdPayload(t, pr, port, fixed < 0 ? d : Arrays.copyOf(d, fixed));
                        }),
                Combinators.combine(u8, bytes(30)).as(CertPayload::new),
                Combinators.combine(u8, bytes(30)).as(CertRequestPayload::new),
                bytes(40).map(HashPayload::new),
                bytes(40).map(SignaturePayload::new),
                bytes(40).map(NoncePayload::new),
                Combinators.combine(u32, u8, u16, Arbitraries.of(0, 4, 16)
                        .flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n)), bytes(20))
                        .as(NotifyPayload::new),
                Combinators.combine(u32, u8, Arbitraries.of(0, 2, 4, 16), Arbitraries.integers().between(0, 5))
                        .as((doi, pr, size, n) -> {
                            List<byte[]> spis = new ArrayList<>();
                            for (int i = 0; i < n; i++) {
                                byte[] s = new byte[size];
                                Arrays.fill(s, (byte) i);
                                spis.add(s);
                            }
                            return (Payload) new DeletePayload(doi, pr, size, spis);
                        }),
                bytes(20).map(VendorIdPayload::new),
                Combinators.combine(u8, u16, attributes().list().ofMaxSize(8)).as(AttributePayload::new),
                Combinators.combine(bytes(20), Arbitraries.of(true, false)).as(NatDPayload::new),
                Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers())
                        .as((draft, a) -> (Payload) NatOaPayload.ipv4(a, draft)),
                Combinators.combine(u16, u8, u8, bytes(30)).as(FragmentPayload::new),
                Combinators.combine(Arbitraries.of(15, 16, 19, 22, 99, 200, 255), bytes(20)).as(UnknownPayload::new));
    }

    @Provide
    Arbitrary<List<Payload>> payloadLists() {
        return payloads().list().ofMaxSize(6);
    }

    @Property(tries = 2000)
    void generatedMessagesRoundTrip(@ForAll("payloadLists") List<Payload> payloads,
            @ForAll long icookie, @ForAll long rcookie, @ForAll int messageId,
            @ForAll @IntRange(max = 6) int flags) throws Exception {
        IsakmpHeader h = IsakmpHeader.of(icookie, rcookie, ExchangeType.QUICK_MODE, flags & ~1, messageId);
        byte[] wire = IsakmpCodec.encode(h, payloads);
        PlainMessage m = (PlainMessage) IsakmpCodec.decode(wire);
        assertThat(m.payloads().payloads()).isEqualTo(payloads);
        assertThat(m.header().initiatorCookie()).isEqualTo(icookie);
        assertThat(m.header().responderCookie()).isEqualTo(rcookie);
        assertThat(m.header().messageId()).isEqualTo(messageId);
        assertThat(m.header().length()).isEqualTo(wire.length);
        byte[] chain = IsakmpCodec.encodePayloads(payloads);
        assertThat(IsakmpCodec.decodePayloads(m.header().nextPayload(), IsakmpCodec.zeroPad(chain, 16)).payloads())
                .isEqualTo(payloads);
    }
}
