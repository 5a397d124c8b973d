package dev.vpnrouter.ike.wire;

import dev.vpnrouter.common.Ipv4;
import java.util.Arrays;

/**
 * NAT original address payload (RFC 3947 5.2): ID type ({@link IdType#IPV4_ADDR} or {@link IdType#IPV6_ADDR}) and
 * the address. {@code draft} selects the draft payload number 131 instead of 21.
 */
public record NatOaPayload(int idType, byte[] address, boolean draft) implements Payload {

    public NatOaPayload {
        Bytes.checkRange(idType, 0xff, "id type");
        address = Bytes.copy(address, "address");
        if ((idType == IdType.IPV4_ADDR && address.length != 4) || (idType == IdType.IPV6_ADDR
                && address.length != 16)) {
            throw new IllegalArgumentException("address of " + address.length + " bytes for " + IdType.name(idType));
        }
    }

    public static NatOaPayload ipv4(int address, boolean draft) {
        return new NatOaPayload(IdType.IPV4_ADDR, Ipv4.toBytes(address), draft);
    }

    @Override
    public int type() {
        return draft ? PayloadType.NAT_OA_DRAFT : PayloadType.NAT_OA;
    }

    @Override
    public byte[] address() {
        return address.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NatOaPayload p && p.idType == idType && p.draft == draft
                && Arrays.equals(p.address, address);
    }

    @Override
    public int hashCode() {
        return (idType * 31 + Arrays.hashCode(address)) * 2 + (draft ? 1 : 0);
    }

    @Override
    public String toString() {
        String a = idType == IdType.IPV4_ADDR ? Ipv4.format(Ipv4.fromBytes(address, 0)) : Bytes.hex(address);
        return "NatOaPayload[" + (draft ? "draft, " : "") + IdType.name(idType) + " " + a + "]";
    }
}
