package dev.vpnrouter.ike.cfg;

import java.util.List;

/**
 * {@code ip local pool NAME FIRST [LAST]} lines of one pool (IOS adds ranges to a pool when the name repeats).
 * Addresses are {@link dev.vpnrouter.common.Ipv4} ints; a range is inclusive.
 */
public record AddressPoolConfig(String name, List<Range> ranges) {
    public record Range(int first, int last) {
        public Range {
            if (Integer.compareUnsigned(first, last) > 0) {
                throw new IllegalArgumentException("pool range ends before it starts");
            }
        }

        public long size() {
            return Integer.toUnsignedLong(last) - Integer.toUnsignedLong(first) + 1;
        }
    }

    public AddressPoolConfig {
        ranges = List.copyOf(ranges);
    }

    public static AddressPoolConfig of(String name, int first, int last) {
        return new AddressPoolConfig(name, List.of(new Range(first, last)));
    }
}
