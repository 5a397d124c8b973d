package dev.vpnrouter.policy;

import dev.vpnrouter.common.Ipv4;

/** An IPv4 network: address (host bits cleared) and contiguous mask. */
public record Subnet(int address, int mask) {
    public static final Subnet ANY = new Subnet(0, 0);

    public Subnet {
        if (!Ipv4.isContiguousMask(mask)) {
            throw new IllegalArgumentException("mask not contiguous: " + Ipv4.format(mask));
        }
        address &= mask;
    }

    public static Subnet host(int address) {
        return new Subnet(address, -1);
    }

    public static Subnet of(int address, int prefixLength) {
        return new Subnet(address, Ipv4.maskOf(prefixLength));
    }

    public int prefixLength() {
        return Integer.bitCount(mask);
    }

    public boolean contains(int candidate) {
        return ((candidate ^ address) & mask) == 0;
    }

    /** True when every address of {@code other} is in this subnet. */
    public boolean contains(Subnet other) {
        return prefixLength() <= other.prefixLength() && contains(other.address);
    }

    @Override
    public String toString() {
        return Ipv4.format(address) + "/" + prefixLength();
    }
}
