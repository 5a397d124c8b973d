package dev.vpnrouter.ike.wire;

import java.util.Arrays;

/** Certificate payload (RFC 2408 3.9): encoding ({@link CertEncoding}) and certificate data. */
public record CertPayload(int encoding, byte[] data) implements Payload {

    public CertPayload {
        Bytes.checkRange(encoding, 0xff, "cert encoding");
        data = Bytes.copy(data, "data");
    }

    @Override
    public int type() {
        return PayloadType.CERT;
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertPayload p && p.encoding == encoding && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return encoding * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "CertPayload[" + CertEncoding.name(encoding) + ", " + Bytes.hex(data) + "]";
    }
}
