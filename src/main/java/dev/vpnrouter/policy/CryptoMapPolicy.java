package dev.vpnrouter.policy;

import dev.vpnrouter.config.model.MapPeer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A compiled crypto map: its entries in IOS order (sequence, then dynamic template), indexed so that neither the
 * responder's nor the outbound lookup walks the entries: static entries by peer address, and by the remote
 * networks of their ACLs' permit lines.
 */
public final class CryptoMapPolicy {
    private final String name;
    private final List<MapEntryPolicy> entries;
    private final PrefixTable.IntMap<int[]> staticByPeer = new PrefixTable.IntMap<>();
    private final int[] dynamic;
    private final PrefixTable<int[]> byRemote = new PrefixTable<>();

    CryptoMapPolicy(String name, List<MapEntryPolicy> entries) {
        this.name = name;
        this.entries = List.copyOf(entries);
        List<Integer> dyn = new ArrayList<>();
        for (int i = 0; i < this.entries.size(); i++) {
            MapEntryPolicy e = this.entries.get(i);
            if (e.isDynamic()) {
                dyn.add(i);
                continue;
            }
            for (MapPeer p : e.peers()) {
                if (p instanceof MapPeer.Address(int a)) {
                    staticByPeer.put(a, append(staticByPeer.get(a), i));
                }
            }
            if (e.acl().isPresent()) {
                for (CryptoAcl.Rule r : e.acl().get().rules()) {
                    if (r.permit()) {
                        Subnet remote = r.remote();
                        int[] existing = byRemote.get(remote.address(), remote.prefixLength());
                        if (existing == null || existing[existing.length - 1] != i) {
                            byRemote.put(remote.address(), remote.prefixLength(), append(existing, i));
                        }
                    }
                }
            }
        }
        dynamic = dyn.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] append(int[] a, int v) {
        if (a == null) {
            return new int[] {v};
        }
        int[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }

    public String name() {
        return name;
    }

    /** Every entry, in the order IOS tries them. */
    public List<MapEntryPolicy> entries() {
        return entries;
    }

    /** The static entries naming {@code peer} in {@code set peer}, in order. */
    public List<MapEntryPolicy> staticEntriesFor(int peer) {
        int[] idx = staticByPeer.get(peer);
        if (idx == null) {
            return List.of();
        }
        List<MapEntryPolicy> out = new ArrayList<>(idx.length);
        for (int i : idx) {
            out.add(entries.get(i));
        }
        return out;
    }

    /**
     * The entry a responder uses for a Quick Mode proposal from {@code peer} ({@code proposal} from this router's
     * side) whose IKE SA matched {@code ikeProfile}: the first entry in IOS order that accepts the peer, the profile
     * and the proposal. A dynamic entry numbered before a static one therefore wins, as in IOS.
     */
    public Optional<MapEntryPolicy> responderEntry(int peer, ProxyPair proposal, Optional<ProfilePolicy> ikeProfile) {
        int[] statics = staticByPeer.get(peer);
        int s = 0;
        int d = 0;
        int sn = statics == null ? 0 : statics.length;
        while (s < sn || d < dynamic.length) {
            int i;
            if (d >= dynamic.length || (s < sn && statics[s] < dynamic[d])) {
                i = statics[s++];
            } else {
                i = dynamic[d++];
            }
            MapEntryPolicy e = entries.get(i);
            if (e.acceptsProfile(ikeProfile) && e.acceptsProposal(proposal)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /**
     * The static entry that protects an outbound packet: the first entry in order whose ACL's first matching line
     * is a permit. Candidates come from the destination index, so the cost depends on the prefix lengths in use and
     * the entries sharing a destination, not on the number of entries.
     */
    public Optional<MapEntryPolicy> outbound(int src, int dst, int protocol, int srcPort, int dstPort) {
        int best = Integer.MAX_VALUE;
        for (int length : byRemote.lengths()) {
            int[] candidates = byRemote.get(dst, length);
            if (candidates == null) {
                continue;
            }
            for (int i : candidates) {
                if (i >= best) {
                    break;
                }
                CryptoAcl acl = entries.get(i).acl().orElseThrow();
                if (acl.decide(src, dst, protocol, srcPort, dstPort) == CryptoAcl.Verdict.PROTECT) {
                    best = i;
                    break;
                }
            }
        }
        return best == Integer.MAX_VALUE ? Optional.empty() : Optional.of(entries.get(best));
    }

    @Override
    public String toString() {
        return "crypto map " + name + " (" + entries.size() + " entries)";
    }
}
