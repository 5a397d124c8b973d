package dev.vpnrouter.ike.wire;

import java.util.Arrays;
import java.util.List;

/**
 * Delete payload (RFC 2408 3.15): DOI, protocol, SPI size and the SPIs (16-byte cookie pairs for ISAKMP, 4 bytes for
 * ESP/AH). The SPI size is explicit because a delete may list no SPI.
 */
public record DeletePayload(int doi, int protocolId, int spiSize, List<byte[]> spis) implements Payload {

    public DeletePayload {
        Bytes.checkRange(protocolId, 0xff, "protocol id");
        Bytes.checkRange(spiSize, 0xff, "spi size");
        spis = List.copyOf(Bytes.copyAll(spis, "spi"));
        Bytes.checkRange(spis.size(), 0xffff, "number of SPIs");
        if (spiSize == 0 && spis.size() > 1) {
            throw new IllegalArgumentException(spis.size() + " SPIs of 0 bytes name nothing (the decoder refuses them)");
        }
        for (byte[] s : spis) {
            if (s.length != spiSize) {
                throw new IllegalArgumentException("SPI of " + s.length + " bytes in a delete of size " + spiSize);
            }
        }
    }

    /** An IPsec-DOI delete of ESP/AH SPIs (4 bytes each) given as ints. */
    public static DeletePayload ofSpis(int protocolId, int... spis) {
        List<byte[]> list = new java.util.ArrayList<>();
        for (int s : spis) {
            list.add(dev.vpnrouter.common.Ipv4.toBytes(s));
        }
        return new DeletePayload(Doi.IPSEC, protocolId, 4, list);
    }

    /** An IPsec-DOI delete of an ISAKMP SA, identified by its cookie pair. */
    public static DeletePayload ofIsakmp(byte[] cookiePair) {
        return new DeletePayload(Doi.IPSEC, ProtocolId.ISAKMP, 16, List.of(cookiePair));
    }

    @Override
    public int type() {
        return PayloadType.DELETE;
    }

    /** Copies of the SPIs. */
    @Override
    public List<byte[]> spis() {
        return List.copyOf(Bytes.copyAll(spis, "spi"));
    }

    public int spiCount() {
        return spis.size();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeletePayload p) || p.doi != doi || p.protocolId != protocolId || p.spiSize != spiSize
                || p.spis.size() != spis.size()) {
            return false;
        }
        for (int i = 0; i < spis.size(); i++) {
            if (!Arrays.equals(p.spis.get(i), spis.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = ((doi * 31 + protocolId) * 31 + spiSize);
        for (byte[] s : spis) {
            h = h * 31 + Arrays.hashCode(s);
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("DeletePayload[doi=").append(doi).append(", protocol=")
                .append(ProtocolId.name(protocolId)).append(", spis=");
        for (byte[] s : spis) {
            sb.append(Bytes.hex(s)).append(' ');
        }
        return sb.append(']').toString();
    }
}
