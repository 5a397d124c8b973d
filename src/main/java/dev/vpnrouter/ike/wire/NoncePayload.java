package dev.vpnrouter.ike.wire;

import java.util.Arrays;

/** Nonce payload (RFC 2408 3.13); RFC 2409 wants 8..256 bytes, which the engine checks. */
public record NoncePayload(byte[] data) implements Payload {

    public NoncePayload {
        data = Bytes.copy(data, "data");
    }

    @Override
    public int type() {
        return PayloadType.NONCE;
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
        return o instanceof NoncePayload p && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NoncePayload[" + Bytes.hex(data) + "]";
    }
}
