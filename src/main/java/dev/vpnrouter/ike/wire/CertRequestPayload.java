package dev.vpnrouter.ike.wire;

import java.util.Arrays;

/** Certificate Request payload (RFC 2408 3.10): certificate type and an optional certificate authority. */
public record CertRequestPayload(int certType, byte[] authority) implements Payload {

    public CertRequestPayload {
        Bytes.checkRange(certType, 0xff, "cert type");
        authority = Bytes.copy(authority, "authority");
    }

    @Override
    public int type() {
        return PayloadType.CR;
    }

    @Override
    public byte[] authority() {
        return authority.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertRequestPayload p && p.certType == certType && Arrays.equals(p.authority, authority);
    }

    @Override
    public int hashCode() {
        return certType * 31 + Arrays.hashCode(authority);
    }

    @Override
    public String toString() {
        return "CertRequestPayload[" + CertEncoding.name(certType) + ", " + Bytes.hex(authority) + "]";
    }
}
