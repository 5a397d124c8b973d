package dev.vpnrouter.ike.wire;

import java.util.Arrays;

/** Key Exchange payload (RFC 2408 3.7): the DH public value, its size fixed by the group (checked by the engine). */
public record KePayload(byte[] data) implements Payload {

    public KePayload {
        data = Bytes.copy(data, "data");
    }

    @Override
    public int type() {
        return PayloadType.KE;
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
        return o instanceof KePayload p && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "KePayload[" + Bytes.hex(data) + "]";
    }
}
