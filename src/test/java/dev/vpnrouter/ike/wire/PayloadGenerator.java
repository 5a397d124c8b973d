package dev.vpnrouter.ike.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Random payloads of every type within the codec's field limits, and random byte strings, for property tests.
 * Deterministic for a given seed. Lengths and numbers hit their bounds often, because that is where codecs break.
 */
final class PayloadGenerator {
    private static final int[] EDGE_INTS = {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE};
    private static final long[] EDGE_LONGS = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE};

    private final SplittableRandom r;

    PayloadGenerator(long seed) {
        this.r = new SplittableRandom(seed);
    }

    // ---------------------------------------------------------------- numbers and bytes

    /** {@code lo} to {@code hi} inclusive; one time in eight exactly {@code lo} or {@code hi}. */
    int between(int lo, int hi) {
        if (r.nextInt(8) == 0) {
            return r.nextBoolean() ? lo : hi;
        }
        return r.nextInt(lo, hi + 1);
    }

    int u8() {
        return between(0, 0xff);
    }

    int u16() {
        return between(0, 0xffff);
    }

    /** Any int; one time in eight 0, 1, -1 or an extreme. */
    int anyInt() {
        return r.nextInt(8) == 0 ? EDGE_INTS[r.nextInt(EDGE_INTS.length)] : r.nextInt();
    }

    /** Any long; one time in eight 0, 1, -1 or an extreme. */
    long anyLong() {
        return r.nextInt(8) == 0 ? EDGE_LONGS[r.nextInt(EDGE_LONGS.length)] : r.nextLong();
    }

    boolean bool() {
        return r.nextBoolean();
    }

    int oneOf(int... choices) {
        return choices[r.nextInt(choices.length)];
    }

    <T> T oneOf(List<T> choices) {
        return choices.get(r.nextInt(choices.size()));
    }

    /** Up to {@code max} random bytes; one time in eight none or exactly {@code max}. */
    byte[] bytes(int max) {
        return exactly(between(0, max));
    }

    byte[] exactly(int length) {
        byte[] b = new byte[length];
        r.nextBytes(b);
        return b;
    }

    // ---------------------------------------------------------------- payloads

    DataAttribute attribute() {
        int type = between(0, 0x7fff);
        return bool() ? DataAttribute.tv(type, u16()) : DataAttribute.tlv(type, bytes(40));
    }

    List<DataAttribute> attributes(int max) {
        return list(0, max, this::attribute);
    }

    Transform transform() {
        return new Transform(u8(), u8(), attributes(6));
    }

    Proposal proposal() {
        return new Proposal(u8(), u8(), exactly(oneOf(0, 2, 4, 8, 16)), list(1, 4, this::transform));
    }

    /** One payload of a random type, every type equally likely. */
    Payload payload() {
        return switch (r.nextInt(16)) {
            case 0 -> new SaPayload(Doi.IPSEC, u8() & ~6, list(1, 3, this::proposal));
            case 1 -> new KePayload(bytes(64));
            case 2 -> id();
            case 3 -> new CertPayload(u8(), bytes(30));
            case 4 -> new CertRequestPayload(u8(), bytes(30));
            case 5 -> new HashPayload(bytes(40));
            case 6 -> new SignaturePayload(bytes(40));
            case 7 -> new NoncePayload(bytes(40));
            case 8 -> new NotifyPayload(anyInt(), u8(), u16(), exactly(oneOf(0, 4, 16)), bytes(20));
            case 9 -> delete();
            case 10 -> new VendorIdPayload(bytes(20));
            case 11 -> new AttributePayload(u8(), u16(), attributes(8));
            case 12 -> new NatDPayload(bytes(20), bool());
            case 13 -> NatOaPayload.ipv4(anyInt(), bool());
            case 14 -> new FragmentPayload(u16(), u8(), u8(), bytes(30));
            case 15 -> new UnknownPayload(oneOf(15, 16, 19, 22, 99, 200, 255), bytes(20));
            default -> throw new AssertionError("unreachable");
        };
    }

    /** Up to {@code max} payloads. */
    List<Payload> payloads(int max) {
        return list(0, max, this::payload);
    }

    private IdPayload id() {
        int type = oneOf(1, 2, 3, 4, 7, 11, 5, 9);
        int protocol = u8();
        int port = u16();
        byte[] data = bytes(20);
        int fixed = IdType.fixedLength(type);
        return new IdPayload(type, protocol, port, fixed < 0 ? data : Arrays.copyOf(data, fixed));
    }

    private DeletePayload delete() {
        int doi = anyInt();
        int protocol = u8();
        int spiSize = oneOf(0, 2, 4, 16);
        List<byte[]> spis = new ArrayList<>();
        int count = between(0, 5);
        for (int i = 0; i < count; i++) {
            byte[] spi = new byte[spiSize];
            Arrays.fill(spi, (byte) i);
            spis.add(spi);
        }
        return new DeletePayload(doi, protocol, spiSize, spis);
    }

    private <T> List<T> list(int min, int max, Supplier<T> element) {
        List<T> list = new ArrayList<>();
        for (int n = between(min, max); n > 0; n--) {
            list.add(element.get());
        }
        return list;
    }
}
