package dev.vpnrouter.ike.cfg;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.wire.IdPayload;
import dev.vpnrouter.ike.wire.IdType;

/**
 * A proxy identity: a subnet with an optional protocol and port, as IOS prints it in {@code show crypto ipsec sa}
 * ("(10.1.0.0/255.255.0.0/0/0)").
 */
public record TrafficSelector(int address, int mask, int protocol, int port) {
    public static final TrafficSelector ANY = new TrafficSelector(0, 0, 0, 0);

    public TrafficSelector {
        address &= mask;
    }

    public static TrafficSelector host(int address) {
        return new TrafficSelector(address, -1, 0, 0);
    }

    public static TrafficSelector subnet(int address, int mask) {
        return new TrafficSelector(address, mask, 0, 0);
    }

    /**
     * The selector a Quick Mode ID payload describes; null for types we do not accept as proxies. A range is
     * accepted only when it is exactly a subnet.
     */
    public static TrafficSelector fromId(IdPayload id) {
        return switch (id.idType()) {
            case IdType.IPV4_ADDR -> new TrafficSelector(id.ipv4Address(), -1, id.protocolId(), id.port());
            case IdType.IPV4_ADDR_SUBNET -> Ipv4.isContiguousMask(id.ipv4Second())
                    ? new TrafficSelector(id.ipv4Address(), id.ipv4Second(), id.protocolId(), id.port()) : null;
            case IdType.IPV4_ADDR_RANGE -> {
                int first = id.ipv4Address();
                int size = id.ipv4Second() - first + 1;
                int mask = -size;
                yield size != 0 && Integer.bitCount(size) == 1 && (first & ~mask) == 0
                        ? new TrafficSelector(first, mask, id.protocolId(), id.port()) : null;
            }
            default -> null;
        };
    }

    /** The fewest subnets that together hold exactly the addresses {@code first..last} (unsigned order). */
    public static java.util.List<TrafficSelector> covering(int first, int last) {
        java.util.List<TrafficSelector> out = new java.util.ArrayList<>();
        long a = first & 0xffffffffL;
        long end = last & 0xffffffffL;
        while (a <= end) {
            int size = a == 0 ? 32 : Long.numberOfTrailingZeros(a);
            while (size > 0 && a + (1L << size) - 1 > end) {
                size--;
            }
            out.add(subnet((int) a, size == 32 ? 0 : -1 << size));
            a += 1L << size;
        }
        return out;
    }

    public IdPayload toId() {
        return mask == -1 ? IdPayload.ipv4(address, protocol, port)
                : IdPayload.ipv4Subnet(address, mask, protocol, port);
    }

    public boolean contains(int ip) {
        return (ip & mask) == address;
    }

    /** True when every packet this selector allows is allowed by {@code outer}. */
    public boolean within(TrafficSelector outer) {
        return (mask & outer.mask) == outer.mask && (address & outer.mask) == outer.address
                && (outer.protocol == 0 || outer.protocol == protocol) && (outer.port == 0 || outer.port == port);
    }

    public boolean matchesPacket(int ip, int proto, int portNumber) {
        return contains(ip) && (protocol == 0 || protocol == proto) && (port == 0 || port == portNumber);
    }

    /** IOS form: 10.1.0.0/255.255.0.0/0/0. */
    public String ios() {
        return Ipv4.format(address) + "/" + Ipv4.format(mask) + "/" + protocol + "/" + port;
    }

    @Override
    public String toString() {
        return ios();
    }
}
