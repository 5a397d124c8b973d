package dev.vpnrouter.ike.wire;

import java.util.Arrays;

/**
 * NAT discovery payload: the hash of cookies, address and port (RFC 3947 3.2). {@code draft} selects the payload
 * number of draft-ietf-ipsec-nat-t-ike-02/03 (130) instead of RFC 3947's (20); the body is the same.
 */
public record NatDPayload(byte[] hash, boolean draft) implements Payload {

    public NatDPayload {
        hash = Bytes.copy(hash, "hash");
    }

    @Override
    public int type() {
        return draft ? PayloadType.NAT_D_DRAFT : PayloadType.NAT_D;
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NatDPayload p && p.draft == draft && Arrays.equals(p.hash, hash);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hash) * 2 + (draft ? 1 : 0);
    }

    @Override
    public String toString() {
        return "NatDPayload[" + (draft ? "draft, " : "") + Bytes.hex(hash) + "]";
    }
}
