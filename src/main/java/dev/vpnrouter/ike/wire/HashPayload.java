package dev.vpnrouter.ike.wire;

import java.util.Arrays;

/** Hash payload (RFC 2408 3.11): HASH_I/HASH_R or the Quick Mode / Informational / Transaction HASH(n). */
public record HashPayload(byte[] data) implements Payload {

    public HashPayload {
        data = Bytes.copy(data, "data");
    }

    @Override
    public int type() {
        return PayloadType.HASH;
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
        return o instanceof HashPayload p && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "HashPayload[" + Bytes.hex(data) + "]";
    }
}
