package dev.vpnrouter.ike.wire;

import java.util.Arrays;
import java.util.List;

/**
 * A Proposal payload inside an SA (RFC 2408 3.5): proposal number, protocol ({@link ProtocolId}), SPI of any size
 * (0 for phase 1, 4 for ESP/AH, 2 for IPComp CPIs) and at least one transform. Proposals sharing a number form one
 * AND-ed bundle (e.g. AH + ESP); the codec keeps them as a flat list in wire order.
 */
public record Proposal(int number, int protocolId, byte[] spi, List<Transform> transforms) {

    public Proposal {
        Bytes.checkRange(number, 0xff, "proposal number");
        Bytes.checkRange(protocolId, 0xff, "protocol id");
        spi = Bytes.copy(spi, "spi");
        Bytes.checkRange(spi.length, 0xff, "spi size");
        transforms = List.copyOf(transforms);
        if (transforms.isEmpty() || transforms.size() > 0xff) {
            throw new IllegalArgumentException("a proposal has 1..255 transforms, not " + transforms.size());
        }
    }

    public static Proposal of(int number, int protocolId, byte[] spi, Transform... transforms) {
        return new Proposal(number, protocolId, spi, List.of(transforms));
    }

    @Override
    public byte[] spi() {
        return spi.clone();
    }

    public int spiSize() {
        return spi.length;
    }

    /** A 4-byte SPI (ESP/AH) as an int. */
    public int spiAsInt() {
        if (spi.length != 4) {
            throw new IllegalStateException("SPI is " + spi.length + " bytes, not 4");
        }
        return dev.vpnrouter.common.Ipv4.fromBytes(spi, 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Proposal p && p.number == number && p.protocolId == protocolId
                && Arrays.equals(p.spi, spi) && p.transforms.equals(transforms);
    }

    @Override
    public int hashCode() {
        return ((number * 31 + protocolId) * 31 + Arrays.hashCode(spi)) * 31 + transforms.hashCode();
    }

    @Override
    public String toString() {
        return "Proposal[number=" + number + ", protocol=" + ProtocolId.name(protocolId) + ", spi=" + Bytes.hex(spi)
                + ", transforms=" + transforms + "]";
    }
}
