package dev.vpnrouter.ike.wire;

import java.util.Arrays;

/**
 * A payload of a type this codec does not interpret, kept as its raw body (without the generic header) so it can be
 * logged, rejected by {@link MessageRule} with INVALID-PAYLOAD-TYPE, or re-encoded unchanged.
 */
public record UnknownPayload(int type, byte[] body) implements Payload {

    public UnknownPayload {
        Bytes.checkRange(type, 0xff, "payload type");
        if (PayloadCodec.isInterpreted(type) || type == PayloadType.PROPOSAL || type == PayloadType.TRANSFORM
                || type == PayloadType.NONE) {
            // keeps decode(encode(x)) == x: these types always decode to their own records
            throw new IllegalArgumentException("payload type " + type + " cannot be carried as unknown");
        }
        body = Bytes.copy(body, "body");
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnknownPayload p && p.type == type && Arrays.equals(p.body, body);
    }

    @Override
    public int hashCode() {
        return type * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "UnknownPayload[type=" + type + ", " + Bytes.hex(body) + "]";
    }
}
