package dev.vpnrouter.ike.wire;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Properties: no input makes a decoder throw anything but {@link IsakmpDecodeException}; whatever decodes re-encodes
 * to the same bytes; whatever is encoded decodes to the same records.
 */
class CodecPropertiesTest {
    private static final int SEED = 20261127;


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

    private static byte[] bytes(SplittableRandom r, int max) {
        byte[] b = new byte[r.nextInt(max + 1)];
        r.nextBytes(b);
        return b;
    }

    private static byte[] exactly(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    @Test
    void randomBytesOnlyEverFailWithTheTypedException() {
        SplittableRandom r = new SplittableRandom(SEED);
        for (int i = 0; i < 3000; i++) {
            decodeEveryWay(bytes(r, 300));
        }
    }

    @Test
    void randomBodiesBehindAValidHeader() {
        SplittableRandom r = new SplittableRandom(SEED + 1);
        for (int i = 0; i < 3000; i++) {
            byte[] body = bytes(r, 200);
            byte[] d = new byte[28 + body.length];
            d[16] = (byte) r.nextInt(256);
            d[17] = 0x10;
            d[18] = ExchangeType.QUICK_MODE;
            d[19] = (byte) r.nextInt(8);
            d[26] = (byte) (d.length >>> 8);
            d[27] = (byte) d.length;
            System.arraycopy(body, 0, d, 28, body.length);
            decodeEveryWay(d);
        }
    }

    private static List<byte[]> validMessages() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(IsakmpCodec.encode(IsakmpHeader.of(1, 2, ExchangeType.INFORMATIONAL, 0, 3), Samples.all()));
        for (PcapReader.Datagram d : SeedVectors.datagrams().values()) {
            seeds.add(d.isakmp());
        }
        for (Payload p : Samples.all()) {
            seeds.add(IsakmpCodec.encode(IsakmpHeader.of(1, 2, ExchangeType.IDENTITY_PROTECTION, 0, 0), List.of(p)));
        }
        return seeds;
    }

    @Test
    void mutatedRealMessagesOnlyEverFailWithTheTypedException() throws Exception {
        List<byte[]> valid = validMessages();
        SplittableRandom r = new SplittableRandom(SEED + 2);
        for (int n = 0; n < 5000; n++) {
            byte[] b = valid.get(r.nextInt(valid.size())).clone();
            int mutations = r.nextInt(1, 5);
            int mode = r.nextInt(4);
            for (int i = 0; i < mutations; i++) {
                int at = r.nextInt(100_001) % b.length;
                byte v = (byte) r.nextInt(256);
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
    }

    // ---------------------------------------------------------------- generated payloads

    private static DataAttribute attribute(SplittableRandom r) {
        int type = r.nextInt(0x8000);
        return r.nextBoolean() ? DataAttribute.tv(type, r.nextInt(0x10000)) : DataAttribute.tlv(type, bytes(r, 40));
    }

    private static List<DataAttribute> attributes(SplittableRandom r, int max) {
        List<DataAttribute> a = new ArrayList<>();
        for (int i = r.nextInt(max + 1); i > 0; i--) {
            a.add(attribute(r));
        }
        return a;
    }

    private static Proposal proposal(SplittableRandom r) {
        List<Transform> ts = new ArrayList<>();
        for (int i = r.nextInt(1, 5); i > 0; i--) {
            ts.add(new Transform(r.nextInt(256), r.nextInt(256), attributes(r, 6)));
        }
        int[] spiSizes = {0, 2, 4, 8, 16};
        return new Proposal(r.nextInt(256), r.nextInt(256), exactly(r, spiSizes[r.nextInt(spiSizes.length)]), ts);
    }

    private static Payload payload(SplittableRandom r) {
        return switch (r.nextInt(17)) {
            case 0 -> {
                List<Proposal> ps = new ArrayList<>();
                for (int i = r.nextInt(1, 4); i > 0; i--) {
                    ps.add(proposal(r));
                }
                yield new SaPayload(Doi.IPSEC, r.nextInt(256) & ~6, ps);
            }
            case 1 -> new KePayload(bytes(r, 64));
            case 2 -> {
                int[] types = {1, 2, 3, 4, 7, 11, 5, 9};
                int t = types[r.nextInt(types.length)];
                byte[] d = bytes(r, 20);
                int fixed = IdType.fixedLength(t);
                yield new IdPayload(t, r.nextInt(256), r.nextInt(0x10000), fixed < 0 ? d : Arrays.copyOf(d, fixed));
            }
            case 3 -> new CertPayload(r.nextInt(256), bytes(r, 30));
            case 4 -> new CertRequestPayload(r.nextInt(256), bytes(r, 30));
            case 5 -> new HashPayload(bytes(r, 40));
            case 6 -> new SignaturePayload(bytes(r, 40));
            case 7 -> new NoncePayload(bytes(r, 40));
            case 8 -> {
                int[] spiSizes = {0, 4, 16};
                yield new NotifyPayload(r.nextInt(), r.nextInt(256), r.nextInt(0x10000),
                        exactly(r, spiSizes[r.nextInt(spiSizes.length)]), bytes(r, 20));
            }
            case 9 -> {
                int[] sizes = {0, 2, 4, 16};
                int size = sizes[r.nextInt(sizes.length)];
                List<byte[]> spis = new ArrayList<>();
                for (int i = 0, n = size == 0 ? r.nextInt(2) : r.nextInt(6); i < n; i++) { // at most one empty SPI
                    byte[] spi = new byte[size];
                    Arrays.fill(spi, (byte) i);
                    spis.add(spi);
                }
                yield new DeletePayload(r.nextInt(), r.nextInt(256), size, spis);
            }
            case 10 -> new VendorIdPayload(bytes(r, 20));
            case 11 -> new AttributePayload(r.nextInt(256), r.nextInt(0x10000), attributes(r, 8));
            case 12 -> new NatDPayload(bytes(r, 20), r.nextBoolean());
            case 13 -> NatOaPayload.ipv4(r.nextInt(), r.nextBoolean());
            case 14 -> new FragmentPayload(r.nextInt(0x10000), r.nextInt(256), r.nextInt(256), bytes(r, 30));
            default -> {
                int[] types = {15, 16, 19, 22, 99, 200, 255};
                yield new UnknownPayload(types[r.nextInt(types.length)], bytes(r, 20));
            }
        };
    }

    @Test
    void generatedMessagesRoundTrip() throws Exception {
        SplittableRandom r = new SplittableRandom(SEED + 3);
        for (int n = 0; n < 2000; n++) {
            List<Payload> payloads = new ArrayList<>();
            for (int i = r.nextInt(7); i > 0; i--) {
                payloads.add(payload(r));
            }
            long icookie = r.nextLong();
            long rcookie = r.nextLong();
            int messageId = r.nextInt();
            IsakmpHeader h = IsakmpHeader.of(icookie, rcookie, ExchangeType.QUICK_MODE, r.nextInt(7) & ~1, messageId);
            byte[] wire = IsakmpCodec.encode(h, payloads);
            PlainMessage m = (PlainMessage) IsakmpCodec.decode(wire);
            assertThat(m.payloads().payloads()).as("case %d", n).isEqualTo(payloads);
            assertThat(m.header().initiatorCookie()).isEqualTo(icookie);
            assertThat(m.header().responderCookie()).isEqualTo(rcookie);
            assertThat(m.header().messageId()).isEqualTo(messageId);
            assertThat(m.header().length()).isEqualTo(wire.length);
            byte[] chain = IsakmpCodec.encodePayloads(payloads);
            assertThat(IsakmpCodec.decodePayloads(m.header().nextPayload(), IsakmpCodec.zeroPad(chain, 16))
                    .payloads()).as("case %d", n).isEqualTo(payloads);
        }
    }
}
