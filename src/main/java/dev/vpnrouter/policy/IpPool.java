package dev.vpnrouter.policy;

import dev.vpnrouter.common.Ipv4;

import java.util.List;

/**
 * An {@code ip local pool}: one or more ranges under one name. Immutable; address state lives in a
 * {@link PoolAllocator} made by {@link #newAllocator()}.
 */
public final class IpPool {
    private final String name;
    private final int[] firsts;
    private final int[] lasts;
    /** offsets[i] = number of addresses in ranges before i. */
    private final long[] offsets;
    private final long size;

    /** A range of addresses, inclusive, as unsigned ints. */
    public record Range(int first, int last) {
        public long size() {
            return Integer.toUnsignedLong(last) - Integer.toUnsignedLong(first) + 1;
        }

        @Override
        public String toString() {
            return Ipv4.format(first) + "-" + Ipv4.format(last);
        }
    }

    IpPool(String name, List<Range> ranges) {
        this.name = name;
        List<Range> sorted = ranges.stream().sorted((a, b) -> Integer.compareUnsigned(a.first(), b.first())).toList();
        firsts = new int[sorted.size()];
        lasts = new int[sorted.size()];
        offsets = new long[sorted.size()];
        long total = 0;
        for (int i = 0; i < sorted.size(); i++) {
            firsts[i] = sorted.get(i).first();
            lasts[i] = sorted.get(i).last();
            offsets[i] = total;
            total += sorted.get(i).size();
        }
        size = total;
    }

    public String name() {
        return name;
    }

    public long size() {
        return size;
    }

    public List<Range> ranges() {
        Range[] out = new Range[firsts.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Range(firsts[i], lasts[i]);
        }
        return List.of(out);
    }

    public boolean contains(int address) {
        return indexOf(address) >= 0;
    }

    /** Position of {@code address} among the pool's addresses (0-based), or -1 when outside. */
    long indexOf(int address) {
        int lo = 0;
        int hi = firsts.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Integer.compareUnsigned(address, firsts[mid]) < 0) {
                hi = mid - 1;
            } else if (Integer.compareUnsigned(address, lasts[mid]) > 0) {
                lo = mid + 1;
            } else {
                return offsets[mid] + (Integer.toUnsignedLong(address) - Integer.toUnsignedLong(firsts[mid]));
            }
        }
        return -1;
    }

    /** The address at {@code index} (0 ≤ index < size). */
    int addressAt(long index) {
        int lo = 0;
        int hi = offsets.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (offsets[mid] <= index) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return (int) (Integer.toUnsignedLong(firsts[lo]) + (index - offsets[lo]));
    }

    public PoolAllocator newAllocator() {
        return new PoolAllocator(this);
    }

    @Override
    public String toString() {
        return "ip local pool " + name + " " + ranges();
    }
}
