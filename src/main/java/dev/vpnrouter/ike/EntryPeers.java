package dev.vpnrouter.ike;

import dev.vpnrouter.ike.cfg.ChildPolicy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of a static crypto map entry's {@code set peer}s the router negotiates with now: the one home of that
 * decision. As IOS does, the first peer in configuration order until it fails (DPD finds it dead, or phase 1 with
 * it fails), then the next, wrapping round after the last. The entry stays on the peer that works: when the first
 * peer comes back nothing moves until the one in use fails in turn (IOS's {@code set peer A default}, which goes
 * back to A at once, is not implemented). Entries are known across a reconfiguration by map name and sequence; an
 * entry whose peer in use is no longer configured starts again at its first.
 */
final class EntryPeers {
    private record Entry(String map, int sequence) {
    }

    private final Map<Entry, Integer> inUse = new HashMap<>();

    /** The peer {@code entry} negotiates with now (a static entry with at least one peer). */
    int current(ChildPolicy entry) {
        Integer peer = inUse.get(key(entry));
        return peer != null && entry.peers().contains(peer) ? peer : entry.peers().getFirst();
    }

    private List<ChildPolicy> scannedMap;
    /** The static entries of {@code scannedMap} with more than one peer (most maps have none). */
    private List<ChildPolicy> withChoices = List.of();

    /** The static entries of {@code map} that negotiate with {@code peer} now and have another peer to move to. */
    List<ChildPolicy> using(List<ChildPolicy> map, int peer) {
        if (map != scannedMap) { // a hub losing thousands of peers at once scans its map once, not per peer
            withChoices = map.stream().filter(e -> !e.dynamic() && e.peers().size() > 1).toList();
            scannedMap = map;
        }
        List<ChildPolicy> out = new ArrayList<>();
        for (ChildPolicy entry : withChoices) {
            if (current(entry) == peer) {
                out.add(entry);
            }
        }
        return out;
    }

    /** Negotiating with its peer in use failed: {@code entry} moves to its next peer. Returns that peer. */
    int moveOn(ChildPolicy entry) {
        List<Integer> peers = entry.peers();
        int next = peers.get((peers.indexOf(current(entry)) + 1) % peers.size());
        inUse.put(key(entry), next);
        return next;
    }

    private static Entry key(ChildPolicy entry) {
        return new Entry(entry.mapName(), entry.sequence());
    }
}
