package dev.vpnrouter.ike.wire;

import java.util.Arrays;

/**
 * Notification payload (RFC 2408 3.14): DOI, protocol, SPI (none, 4 bytes for ESP/AH, or the 16-byte cookie pair for
 * ISAKMP), notify message type ({@link NotifyType}, any value) and notification data (e.g. the DPD sequence number
 * or the RESPONDER-LIFETIME attributes).
 */
public record NotifyPayload(int doi, int protocolId, int notifyType, byte[] spi, byte[] data) implements Payload {

    public NotifyPayload {
        Bytes.checkRange(protocolId, 0xff, "protocol id");
        Bytes.checkRange(notifyType, 0xffff, "notify type");
        spi = Bytes.copy(spi, "spi");
        Bytes.checkRange(spi.length, 0xff, "spi size");
        data = Bytes.copy(data, "data");
    }

    /** An IPsec-DOI notify. */
    public static NotifyPayload of(int protocolId, int notifyType, byte[] spi, byte[] data) {
        return new NotifyPayload(Doi.IPSEC, protocolId, notifyType, spi, data);
    }

    @Override
    public int type() {
        return PayloadType.NOTIFY;
    }

    @Override
    public byte[] spi() {
        return spi.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public boolean isError() {
        return NotifyType.isError(notifyType);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NotifyPayload p && p.doi == doi && p.protocolId == protocolId
                && p.notifyType == notifyType && Arrays.equals(p.spi, spi) && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return (((doi * 31 + protocolId) * 31 + notifyType) * 31 + Arrays.hashCode(spi)) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NotifyPayload[" + NotifyType.name(notifyType) + ", doi=" + doi + ", protocol="
                + ProtocolId.name(protocolId) + ", spi=" + Bytes.hex(spi) + ", data=" + Bytes.hex(data) + "]";
    }
}
