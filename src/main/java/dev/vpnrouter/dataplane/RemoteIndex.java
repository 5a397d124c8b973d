package dev.vpnrouter.dataplane;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import dev.vpnrouter.ike.cfg.ChildPolicy;

/**
 * Flows indexed by their remote network, so finding the SA for a destination costs one hash lookup per distinct
 * remote prefix length (longest first) rather than a scan of every SA: a hub with thousands of spokes stays fast.
 */
final class RemoteIndex {
    private final Map<Long, List<Flow>> byNetwork = new HashMap<>();
    private final int[] prefixCount = new int[33];
    private int[] masks = new int[0];

    private static long key(int network, int mask) {
        return ((long) mask << 32) | (network & 0xffffffffL);
    }

    void add(Flow flow) {
        int mask = flow.pair.remote().mask();
        byNetwork.computeIfAbsent(key(flow.pair.remote().address(), mask), k -> new ArrayList<>(1)).add(flow);
        if (prefixCount[Integer.bitCount(mask)]++ == 0) {
            rebuildMasks();
        }
    }

    void remove(Flow flow) {
        int mask = flow.pair.remote().mask();
        long k = key(flow.pair.remote().address(), mask);
        List<Flow> list = byNetwork.get(k);
        if (list != null && list.remove(flow)) {
            if (list.isEmpty()) {
                byNetwork.remove(k);
            }
            if (--prefixCount[Integer.bitCount(mask)] == 0) {
                rebuildMasks();
            }
        }
    }

    private void rebuildMasks() {
        int[] m = new int[33];
        int n = 0;
        for (int prefix = 32; prefix >= 0; prefix--) {
            if (prefixCount[prefix] > 0) {
                m[n++] = prefix == 0 ? 0 : -1 << (32 - prefix);
            }
        }
        masks = Arrays.copyOf(m, n);
    }

    /**
     * The SA for a packet among the flows that match it and belong to {@code staticEntry} (null: to a dynamic entry
     * or none, see {@link Flow#belongsTo}): the flow of the first crypto map entry in order (a flow whose entry left
     * the map in a reconfiguration still carries its traffic, after those that did not), the most specific of
     * that entry's, the one that came up first among equals; its newest usable SA. Null if none. Allocates nothing.
     */
    InstalledSa find(int source, int destination, int protocol, int sourcePort, int destinationPort,
            ChildPolicy staticEntry) {
        InstalledSa best = null;
        int bestOrder = Integer.MAX_VALUE;
        for (int mask : masks) {
            List<Flow> list = byNetwork.get(key(destination & mask, mask));
            if (list == null) {
                continue;
            }
            for (int i = 0; i < list.size(); i++) {
                Flow flow = list.get(i);
                if ((best == null || flow.order < bestOrder) && flow.matches(source, destination, protocol, sourcePort, destinationPort)
                        && flow.belongsTo(staticEntry)) {
                    InstalledSa sa = flow.sealing();
                    if (sa != null) {
                        best = sa;
                        bestOrder = flow.order;
                    }
                }
            }
        }
        return best;
    }
}
