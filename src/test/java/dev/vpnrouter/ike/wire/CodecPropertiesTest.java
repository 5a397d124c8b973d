package dev.vpnrouter.ike.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.vpnrouter.common.Hex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties: no input makes a decoder throw anything but {@link IsakmpDecodeException}; whatever decodes re-encodes
 * to the same bytes; whatever is encoded decodes to the same records. Inputs come from {@link PayloadGenerator}
 * with fixed seeds; a failure names its seed and prints its input.
 */
class CodecPropertiesTest {
    /** Real messages to mutate: every sample payload, alone and together, and each datagram of the seed capture. */
    private static List<byte[]> validMessages;

    @BeforeAll
    static void loadValidMessages() throws Exception {
        List<byte[]> messages = new ArrayList<>();
        messages.add(IsakmpCodec.encode(IsakmpHeader.of(1, 2, ExchangeType.INFORMATIONAL, 0, 3), Samples.all()));
        for (PcapReader.Datagram d : SeedVectors.datagrams().values()) {
            messages.add(d.isakmp());
        }
        for (Payload p : Samples.all()) {
            messages.add(IsakmpCodec.encode(IsakmpHeader.of(1, 2, ExchangeType.IDENTITY_PROTECTION, 0, 0), List.of(p)));
        }
        validMessages = messages;
    }

    static LongStream seeds2000() {
        return LongStream.range(0, 2000);
    }

    static LongStream seeds3000() {
        return LongStream.range(0, 3000);
    }

    static LongStream seeds5000() {
        return LongStream.range(0, 5000);
    }

    /** Decodes {@code bytes} every way and reports any failure or unexpected exception with the input. */
    private static void decodesEveryWay(byte[] bytes, String input) {
        assertThatCode(() -> decodeEveryWay(bytes)).as("%s\n  bytes %s", input, Hex.of(bytes))
                .doesNotThrowAnyException();
    }

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

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds3000")
    void randomBytesOnlyEverFailWithTheTypedException(long seed) {
        byte[] bytes = new PayloadGenerator(seed).bytes(300);
        decodesEveryWay(bytes, "seed " + seed);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds3000")
    void randomBodiesBehindAValidHeader(long seed) {
        PayloadGenerator g = new PayloadGenerator(seed);
        int firstType = g.u8();
        int flags = g.between(0, 7);
        byte[] body = g.bytes(200);
        byte[] d = new byte[28 + body.length];
        d[16] = (byte) firstType;
        d[17] = 0x10;
        d[18] = ExchangeType.QUICK_MODE;
        d[19] = (byte) flags;
        d[26] = (byte) (d.length >>> 8);
        d[27] = (byte) d.length;
        System.arraycopy(body, 0, d, 28, body.length);
        decodesEveryWay(d, "seed " + seed);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds5000")
    void mutatedRealMessagesOnlyEverFailWithTheTypedException(long seed) {
        PayloadGenerator g = new PayloadGenerator(seed);
        int which = g.between(0, validMessages.size() - 1);
        int mode = g.between(0, 3);
        int[] positions = new int[g.between(1, 4)];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = g.between(0, 100_000);
        }
        byte[] values = g.exactly(g.between(1, 4));

        byte[] b = validMessages.get(which).clone();
        for (int i = 0; i < positions.length; i++) {
            int at = positions[i] % b.length;
            byte v = values[i % values.length];
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
        decodesEveryWay(b, "seed %d: mode %d at %s with %s on valid message %d %s".formatted(seed, mode,
                Arrays.toString(positions), Hex.of(values), which, Hex.of(validMessages.get(which))));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds2000")
    void generatedMessagesRoundTrip(long seed) {
        PayloadGenerator g = new PayloadGenerator(seed);
        List<Payload> payloads = g.payloads(6);
        long icookie = g.anyLong();
        long rcookie = g.anyLong();
        int messageId = g.anyInt();
        int flags = g.between(0, 6) & ~1;
        assertThatCode(() -> {
            IsakmpHeader h = IsakmpHeader.of(icookie, rcookie, ExchangeType.QUICK_MODE, flags, messageId);
            byte[] wire = IsakmpCodec.encode(h, payloads);
            PlainMessage m = (PlainMessage) IsakmpCodec.decode(wire);
            assertThat(m.payloads().payloads()).isEqualTo(payloads);
            assertThat(m.header().initiatorCookie()).isEqualTo(icookie);
            assertThat(m.header().responderCookie()).isEqualTo(rcookie);
            assertThat(m.header().messageId()).isEqualTo(messageId);
            assertThat(m.header().length()).isEqualTo(wire.length);
            byte[] chain = IsakmpCodec.encodePayloads(payloads);
            assertThat(IsakmpCodec.decodePayloads(m.header().nextPayload(), IsakmpCodec.zeroPad(chain, 16))
                    .payloads()).isEqualTo(payloads);
        }).as("seed %d: cookies %016x %016x, message id %d, flags %d, payloads %s", seed, icookie, rcookie, messageId,
                flags, payloads).doesNotThrowAnyException();
    }
}
