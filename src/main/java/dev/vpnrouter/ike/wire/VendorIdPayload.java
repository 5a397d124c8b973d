package dev.vpnrouter.ike.wire;

import java.util.Arrays;

/** Vendor ID payload (RFC 2408 3.16): any bytes; {@link KnownVendorId#identify} names the known ones. */
public record VendorIdPayload(byte[] data) implements Payload {

    public VendorIdPayload {
        data = Bytes.copy(data, "data");
    }

    @Override
    public int type() {
        return PayloadType.VENDOR_ID;
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
        return o instanceof VendorIdPayload p && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "VendorIdPayload[" + Bytes.hex(data) + "]";
    }
}
