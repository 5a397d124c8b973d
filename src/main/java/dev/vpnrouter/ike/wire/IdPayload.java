package dev.vpnrouter.ike.wire;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.common.Printable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Identification payload of the IPsec DOI (RFC 2407 4.6.2): ID type, protocol and port (0/0, or 17/500 in phase 1;
 * the proxy identity's protocol and port in Quick Mode) and the identification data. Address types must have their
 * fixed data length (4, 8, 16 or 32 bytes); other types carry any bytes.
 */
public record IdPayload(int idType, int protocolId, int port, byte[] data) implements Payload {

    public IdPayload {
        Bytes.checkRange(idType, 0xff, "id type");
        Bytes.checkRange(protocolId, 0xff, "protocol id");
        Bytes.checkRange(port, 0xffff, "port");
        data = Bytes.copy(data, "data");
        int fixed = IdType.fixedLength(idType);
        if (fixed >= 0 && data.length != fixed) {
            throw new IllegalArgumentException(IdType.name(idType) + " data is " + fixed + " bytes, not " + data.length);
        }
    }

    public static IdPayload ipv4(int address) {
        return new IdPayload(IdType.IPV4_ADDR, 0, 0, Ipv4.toBytes(address));
    }

    public static IdPayload ipv4(int address, int protocolId, int port) {
        return new IdPayload(IdType.IPV4_ADDR, protocolId, port, Ipv4.toBytes(address));
    }

    public static IdPayload ipv4Subnet(int address, int mask, int protocolId, int port) {
        return new IdPayload(IdType.IPV4_ADDR_SUBNET, protocolId, port, two(address, mask));
    }

    public static IdPayload ipv4Range(int first, int last, int protocolId, int port) {
        return new IdPayload(IdType.IPV4_ADDR_RANGE, protocolId, port, two(first, last));
    }

    public static IdPayload fqdn(String name) {
        return new IdPayload(IdType.FQDN, 0, 0, name.getBytes(StandardCharsets.US_ASCII));
    }

    public static IdPayload userFqdn(String name) {
        return new IdPayload(IdType.USER_FQDN, 0, 0, name.getBytes(StandardCharsets.US_ASCII));
    }

    /** KEY_ID, e.g. the Cisco group name "testgroup" that vpnc and the Cisco client send in Aggressive Mode. */
    public static IdPayload keyId(String keyId) {
        return new IdPayload(IdType.KEY_ID, 0, 0, keyId.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] two(int a, int b) {
        byte[] d = new byte[8];
        System.arraycopy(Ipv4.toBytes(a), 0, d, 0, 4);
        System.arraycopy(Ipv4.toBytes(b), 0, d, 4, 4);
        return d;
    }

    @Override
    public int type() {
        return PayloadType.ID;
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public boolean isIpv4() {
        return idType == IdType.IPV4_ADDR || idType == IdType.IPV4_ADDR_SUBNET || idType == IdType.IPV4_ADDR_RANGE;
    }

    /** The address of IPV4_ADDR, the network of IPV4_ADDR_SUBNET, the first address of IPV4_ADDR_RANGE. */
    public int ipv4Address() {
        if (!isIpv4()) {
            throw new IllegalStateException("not an IPv4 identity: " + IdType.name(idType));
        }
        return Ipv4.fromBytes(data, 0);
    }

    /** The mask of IPV4_ADDR_SUBNET, the last address of IPV4_ADDR_RANGE, 255.255.255.255 for IPV4_ADDR. */
    public int ipv4Second() {
        return switch (idType) {
            case IdType.IPV4_ADDR_SUBNET, IdType.IPV4_ADDR_RANGE -> Ipv4.fromBytes(data, 4);
            case IdType.IPV4_ADDR -> -1;
            default -> throw new IllegalStateException("not an IPv4 identity: " + IdType.name(idType));
        };
    }

    /** The data as text (FQDN, USER_FQDN, KEY_ID), for matching; {@link #describe()} is for showing it. */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /**
     * A short human form: 10.1.0.0/255.255.0.0, 10.0.0.1-10.0.0.9, testgroup, ... The peer chose the text of a name:
     * it is escaped ({@link Printable}).
     */
    public String describe() {
        return switch (idType) {
            case IdType.IPV4_ADDR -> Ipv4.format(ipv4Address());
            case IdType.IPV4_ADDR_SUBNET -> Ipv4.format(ipv4Address()) + "/" + Ipv4.format(ipv4Second());
            case IdType.IPV4_ADDR_RANGE -> Ipv4.format(ipv4Address()) + "-" + Ipv4.format(ipv4Second());
            case IdType.FQDN, IdType.USER_FQDN, IdType.KEY_ID -> Printable.of(data);
            default -> Bytes.hex(data);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdPayload p && p.idType == idType && p.protocolId == protocolId && p.port == port
                && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return ((idType * 31 + protocolId) * 31 + port) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "IdPayload[" + IdType.name(idType) + " " + describe() + ", protocol=" + protocolId + ", port=" + port
                + "]";
    }
}
