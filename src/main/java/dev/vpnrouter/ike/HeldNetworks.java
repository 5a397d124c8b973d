package dev.vpnrouter.ike;

import dev.vpnrouter.ike.cfg.TrafficSelector;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Networks (prefixes) held by peers, for the claim rules' one question: does a peer other than this one hold
 * something overlapping this network? Two prefixes overlap when one contains the other, so the answer is at most
 * 33 exact lookups (the prefixes that contain the network) and one range scan (the prefixes inside it), whatever
 * the number of tunnels; the scans over every SA it replaces made setting up N tunnels cost N squared.
 */
final class HeldNetworks {
    /** Per prefix (mask and network), how many entries each holder has there. */
    private final Map<Long, Map<Integer, Integer>> holders = new HashMap<>();
    /** The prefixes by network address (unsigned), each address's masks and their counts. */
    private final NavigableMap<Long, Map<Integer, Integer>> byAddress = new TreeMap<>();

    void add(TrafficSelector net, int holder) {
        holders.computeIfAbsent(key(net.address(), net.mask()), k -> new HashMap<>()).merge(holder, 1, Integer::sum);
        byAddress.computeIfAbsent(unsigned(net.address() & net.mask()), k -> new HashMap<>())
                .merge(net.mask(), 1, Integer::sum);
    }

    void remove(TrafficSelector net, int holder) {
        long k = key(net.address(), net.mask());
        Map<Integer, Integer> h = holders.get(k);
        if (h == null || h.computeIfPresent(holder, (x, n) -> n == 1 ? null : n - 1) == null && h.isEmpty()) {
            holders.remove(k);
        }
        long a = unsigned(net.address() & net.mask());
        Map<Integer, Integer> masks = byAddress.get(a);
        if (masks != null && masks.computeIfPresent(net.mask(), (x, n) -> n == 1 ? null : n - 1) == null
                && masks.isEmpty()) {
            byAddress.remove(a);
        }
    }

    /** A holder other than {@code peer} of a prefix overlapping {@code net}, or 0. */
    int otherHolder(TrafficSelector net, int peer) {
        int length = Integer.bitCount(net.mask());
        for (int l = 0; l <= length; l++) {
            int mask = l == 0 ? 0 : -1 << (32 - l);
            int other = otherThan(holders.get(key(net.address(), mask)), peer);
            if (other != 0) {
                return other;
            }
        }
        long first = unsigned(net.address() & net.mask());
        long last = unsigned((net.address() & net.mask()) | ~net.mask());
        for (Map.Entry<Long, Map<Integer, Integer>> e : byAddress.subMap(first, true, last, true).entrySet()) {
            for (int mask : e.getValue().keySet()) {
                if (Integer.bitCount(mask) > length) { // inside net (the equal and wider ones were looked up above)
                    int other = otherThan(holders.get(key(e.getKey().intValue(), mask)), peer);
                    if (other != 0) {
                        return other;
                    }
                }
            }
        }
        return 0;
    }

    private static int otherThan(Map<Integer, Integer> h, int peer) {
        if (h != null) {
            for (int holder : h.keySet()) {
                if (holder != peer) {
                    return holder;
                }
            }
        }
        return 0;
    }

    private static long key(int address, int mask) {
        return (long) mask << 32 | unsigned(address & mask);
    }

    private static long unsigned(int address) {
        return address & 0xffffffffL;
    }
}
