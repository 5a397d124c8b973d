package dev.vpnrouter.ike.wire;

import java.util.Arrays;

/** Signature payload (RFC 2408 3.12). */
public record SignaturePayload(byte[] data) implements Payload {

    public SignaturePayload {
        data = Bytes.copy(data, "data");
    }

    @Override
    public int type() {
        return PayloadType.SIG;
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public int length() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignaturePayload p && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "SignaturePayload[" + Bytes.hex(data) + "]";
    }
}
