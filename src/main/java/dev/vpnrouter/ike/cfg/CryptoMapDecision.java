package dev.vpnrouter.ike.cfg;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.wire.NotifyType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that decides which crypto map entry carries which traffic, for every caller: the Quick Mode
 * responder (which entry a peer's proposal falls under, narrowed, or why it is refused), the data plane (which
 * static ACL line protects an outbound packet, whether a dynamic entry's ACL wants it, which entry comes first)
 * and the engine's acquire. It follows IOS:
 * <ul>
 * <li>entries are tried in sequence order (dynamic-map templates in theirs); {@code set peer} binds a static
 *     entry, and a dynamic template that sets one; {@code set isakmp-profile} binds static and dynamic alike;</li>
 * <li>a crypto ACL's first matching line decides: permit protects with this entry, deny leaves the traffic to
 *     later entries and, when none takes it, in clear; an ACL without a permit line protects nothing;</li>
 * <li>a proposal is accepted under an ACL when the first line that covers it whole is a permit;</li>
 * <li>a dynamic template without {@code match address} takes the peer's own side only when it claims none of
 *     what {@link ProtectedNetwork}s name, no default route, no outside address, and nothing another live peer
 *     holds: one spoke can never blackhole the hub or steal another peer's return traffic;</li>
 * <li>a VPN client's own side is always the /32 Mode Config gave it (no Quick Mode before that), ours is
 *     narrowed to its group's split networks.</li>
 * </ul>
 * Immutable; one is built per crypto map (a reconfiguration builds a new one).
 */
public final class CryptoMapDecision {

    /** A network no peer may claim through a dynamic entry without an ACL, and what it is (for the log line). */
    public record ProtectedNetwork(TrafficSelector network, String what) {
    }

    /** Why a Quick Mode proposal was refused; the notify goes to the peer, the text to the log. */
    public enum Cause {
        NO_ENTRY_FOR_PEER,
        /** No transform set or PFS group of the entries that accept the proxies matches the peer's. */
        NO_PROPOSAL,
        PROXY_NOT_PERMITTED,
        DENIED_BY_ACL,
        EMPTY_ACL,
        CLAIMS_DEFAULT_ROUTE,
        CLAIMS_OUTSIDE_ADDRESS,
        CLAIMS_PROTECTED_NETWORK,
        CLAIMS_OTHER_PEERS_NETWORK,
        CLIENT_WITHOUT_ADDRESS,
        CLIENT_NOT_ITS_ADDRESS,
        CLIENT_OUTSIDE_SPLIT
    }

    /** A refusal: the notify to send, the cause, one log line. */
    public record Refusal(int notifyType, Cause cause, String text) {
        static Refusal proxies(Cause cause, String text) {
            return new Refusal(NotifyType.INVALID_ID_INFORMATION, cause, text);
        }
    }

    /**
     * What a peer proposes in Quick Mode, from our side ({@code local} is ours, {@code remote} the peer's).
     *
     * @param localAddress    our outside address on that SA
     * @param profile         the ISAKMP profile its phase 1 matched, or null
     * @param client          a VPN client's Mode Config state, or null for a LAN-to-LAN peer
     */
    public record Claim(int peerAddress, int localAddress, String profile, ClientState client, TrafficSelector local,
                        TrafficSelector remote) {
    }

    /**
     * A VPN client's side of the decision: the address Mode Config assigned (0: none yet) and the split
     * networks of its group (empty: everything).
     */
    public record ClientState(int assignedAddress, String group, List<TrafficSelector> splitNetworks) {
        public ClientState {
            splitNetworks = List.copyOf(splitNetworks);
        }
    }

    /** An entry that may carry the proposal, with the selectors the SA gets (narrowed for a VPN client). */
    public record Candidate(ChildPolicy entry, TrafficSelector local, TrafficSelector remote) {
    }

    /** The entries that accept a proposal in IOS order (transforms decide among them), or why none does. */
    public record Verdict(List<Candidate> candidates, Refusal refusal) {
        public boolean accepted() {
            return refusal == null;
        }
    }

    /** What the engine knows of its live peers, which no other peer may claim. */
    public interface LivePeers {
        /** A peer other than {@code peer} with a live SA whose remote network overlaps {@code net}; 0 if none. */
        int otherPeerHolding(TrafficSelector net, int peer);

        /** A live IKE peer other than {@code peer} whose outside address lies in {@code net}; 0 if none. */
        int otherPeerAddressIn(TrafficSelector net, int peer);

        LivePeers NONE = new LivePeers() {
            @Override
            public int otherPeerHolding(TrafficSelector net, int peer) {
                return 0;
            }

            @Override
            public int otherPeerAddressIn(TrafficSelector net, int peer) {
                return 0;
            }
        };
    }

    /** A permit line of a static entry that has a peer: what the data plane queues and acquires by. */
    public record StaticLine(int index, ChildPolicy entry, ChildPolicy.SelectorPair pair) {
    }

    private final List<ChildPolicy> entries;
    private final List<ProtectedNetwork> protectedNetworks;
    private final List<StaticClaim> staticClaims;
    private final Map<ChildPolicy, Integer> order = new HashMap<>();
    /** Static entries with a peer, in order; each line's permit index into {@link #staticLines}, or -1 (deny). */
    private final ChildPolicy[] staticEntries;
    private final int[][] staticLineIndex;
    private final List<StaticLine> staticLines;
    private final ChildPolicy[] dynamicWithAcl;
    /**
     * Static entries by the remote networks of their ACL lines (key: mask and network), so an outbound packet
     * evaluates only the entries that could match its destination: a hub with thousands of static entries costs
     * one hash lookup per distinct prefix length.
     */
    private final Map<Long, int[]> staticByRemote = new HashMap<>();
    private final int[] remoteMasks;

    public CryptoMapDecision(List<ChildPolicy> entries, List<ProtectedNetwork> protectedNetworks) {
        this.entries = List.copyOf(entries);
        this.protectedNetworks = List.copyOf(protectedNetworks);
        this.staticClaims = staticClaims(this.entries);
        List<ChildPolicy> statics = new ArrayList<>();
        List<ChildPolicy> dynamic = new ArrayList<>();
        List<StaticLine> lines = new ArrayList<>();
        List<int[]> lineIndex = new ArrayList<>();
        for (int i = 0; i < this.entries.size(); i++) {
            ChildPolicy e = this.entries.get(i);
            order.put(e, i);
            if (e.dynamic()) {
                if (e.hasAcl()) {
                    dynamic.add(e);
                }
            } else if (!e.peers().isEmpty()) {
                statics.add(e);
                int[] idx = new int[e.acl().size()];
                for (int r = 0; r < idx.length; r++) {
                    ChildPolicy.AclRule rule = e.acl().get(r);
                    idx[r] = rule.permit() ? lines.size() : -1;
                    if (rule.permit()) {
                        lines.add(new StaticLine(lines.size(), e, rule.pair()));
                    }
                }
                lineIndex.add(idx);
            }
        }
        staticEntries = statics.toArray(ChildPolicy[]::new);
        java.util.TreeSet<Integer> prefixes = new java.util.TreeSet<>(java.util.Comparator.reverseOrder());
        for (int e = 0; e < staticEntries.length; e++) {
            for (ChildPolicy.AclRule rule : staticEntries[e].acl()) {
                TrafficSelector remote = rule.pair().remote();
                int[] list = staticByRemote.get(key(remote.address(), remote.mask()));
                if (list == null || list[list.length - 1] != e) {
                    int[] grown = list == null ? new int[1] : java.util.Arrays.copyOf(list, list.length + 1);
                    grown[grown.length - 1] = e;
                    staticByRemote.put(key(remote.address(), remote.mask()), grown);
                }
                prefixes.add(Integer.bitCount(remote.mask()));
            }
        }
        remoteMasks = prefixes.stream().mapToInt(p -> p == 0 ? 0 : -1 << (32 - p)).toArray();
        staticLineIndex = lineIndex.toArray(int[][]::new);
        staticLines = List.copyOf(lines);
        dynamicWithAcl = dynamic.toArray(ChildPolicy[]::new);
    }

    /** A network the configuration gives to its static peers: no other peer may claim it. */
    private record StaticClaim(TrafficSelector network, List<Integer> peers, String what) {
    }

    /**
     * What static entries give their peers: each {@code set peer} address (the way to that peer) and each remote
     * network of the entry's permit lines. A remote of {@code any} is no claim on a network and gives nothing.
     */
    private static List<StaticClaim> staticClaims(List<ChildPolicy> entries) {
        List<StaticClaim> out = new ArrayList<>();
        for (ChildPolicy e : entries) {
            if (e.dynamic() || e.peers().isEmpty()) {
                continue;
            }
            for (int peer : e.peers()) {
                out.add(new StaticClaim(TrafficSelector.host(peer), e.peers(), "the address of peer "
                        + Ipv4.format(peer) + " of crypto map " + e.describe()));
            }
            for (ChildPolicy.AclRule rule : e.acl()) {
                TrafficSelector remote = rule.pair().remote();
                if (rule.permit() && remote.mask() != 0) {
                    out.add(new StaticClaim(remote, e.peers(), remote.ios() + ", which crypto map " + e.describe()
                            + " gives to its peer"));
                }
            }
        }
        return List.copyOf(out);
    }

    /** A decision over {@code entries} with nothing protected but what every claim rule checks itself. */
    public static CryptoMapDecision of(List<ChildPolicy> entries) {
        return new CryptoMapDecision(entries, List.of());
    }

    public List<ChildPolicy> entries() {
        return entries;
    }

    public List<ProtectedNetwork> protectedNetworks() {
        return protectedNetworks;
    }

    /** The entry's place in IOS order (lower is tried first); entries not of this map come last. */
    public int order(ChildPolicy entry) {
        Integer i = entry == null ? null : order.get(entry);
        return i == null ? Integer.MAX_VALUE : i;
    }

    // ------------------------------------------------------------------ Quick Mode

    /** The entries that may carry {@code claim}, in IOS order, or the refusal of the last one that came closest. */
    public Verdict quickMode(Claim claim, LivePeers live) {
        TrafficSelector local = claim.local();
        TrafficSelector remote = claim.remote();
        ClientState client = claim.client();
        if (client != null) {
            if (client.assignedAddress() == 0) {
                return refused(Refusal.proxies(Cause.CLIENT_WITHOUT_ADDRESS, "phase 2: client "
                        + Ipv4.format(claim.peerAddress()) + " asks for Quick Mode before Mode Config assigned it "
                        + "an address"));
            }
            TrafficSelector assigned = TrafficSelector.host(client.assignedAddress());
            if (!remote.within(assigned)) {
                return refused(Refusal.proxies(Cause.CLIENT_NOT_ITS_ADDRESS, "phase 2: client "
                        + Ipv4.format(claim.peerAddress()) + " proposes " + remote.ios() + " for itself, but Mode "
                        + "Config assigned it " + Ipv4.format(client.assignedAddress())));
            }
            local = narrowToSplit(claim, client, local);
            if (local == null) {
                return refused(Refusal.proxies(Cause.CLIENT_OUTSIDE_SPLIT, "phase 2: client "
                        + Ipv4.format(claim.peerAddress()) + " proposes " + claim.local().ios() + ", outside the "
                        + "split networks of group " + client.group()));
            }
        }
        List<Candidate> candidates = new ArrayList<>(1);
        Refusal last = null;
        boolean anyForPeer = false;
        for (ChildPolicy entry : entries) {
            if (!acceptsPeer(entry, claim.peerAddress()) || !acceptsProfile(entry, claim.profile())) {
                continue;
            }
            anyForPeer = true;
            Refusal r;
            if (entry.hasAcl()) {
                r = aclRefusal(entry, local, remote);
            } else if (!entry.dynamic()) {
                r = Refusal.proxies(Cause.EMPTY_ACL, "phase 2: crypto map " + entry.describe()
                        + " has no match address");
            } else if (client == null) {
                r = claimRefusal(claim, entry, live);
            } else {
                r = null; // the client's side is the pool address it was given, its only claim
            }
            if (r != null) {
                last = r;
                continue;
            }
            candidates.add(new Candidate(entry, local, remote));
        }
        if (!candidates.isEmpty()) {
            return new Verdict(List.copyOf(candidates), null);
        }
        if (!anyForPeer) {
            return refused(new Refusal(NotifyType.NO_PROPOSAL_CHOSEN, Cause.NO_ENTRY_FOR_PEER,
                    "phase 2: no crypto map entry for peer " + Ipv4.format(claim.peerAddress())
                            + (claim.profile() == null ? "" : " with profile " + claim.profile())));
        }
        return refused(last);
    }

    private static Verdict refused(Refusal r) {
        return new Verdict(List.of(), r);
    }

    private static boolean acceptsPeer(ChildPolicy entry, int peer) {
        return entry.peers().isEmpty() ? entry.dynamic() : entry.peers().contains(peer);
    }

    private static boolean acceptsProfile(ChildPolicy entry, String profile) {
        return entry.profile() == null || entry.profile().equals(profile);
    }

    /** Null when the first ACL line covering the whole proposal is a permit; else why not. */
    private static Refusal aclRefusal(ChildPolicy entry, TrafficSelector local, TrafficSelector remote) {
        String acl = entry.aclName() == null ? "the ACL" : "ACL " + entry.aclName();
        for (ChildPolicy.AclRule rule : entry.acl()) {
            if (local.within(rule.pair().local()) && remote.within(rule.pair().remote())) {
                return rule.permit() ? null : Refusal.proxies(Cause.DENIED_BY_ACL, "phase 2: proxy identities "
                        + remote.ios() + " -> " + local.ios() + " are denied by " + acl + " of crypto map "
                        + entry.describe());
            }
        }
        if (entry.selectors().isEmpty()) {
            return Refusal.proxies(Cause.EMPTY_ACL, "phase 2: " + acl + " of crypto map " + entry.describe()
                    + " has no permit line");
        }
        return Refusal.proxies(Cause.PROXY_NOT_PERMITTED, "phase 2: proxy identities " + remote.ios() + " -> "
                + local.ios() + " are not permitted by " + acl + " of crypto map " + entry.describe());
    }

    /** What a peer may claim as its own side under a dynamic entry without {@code match address}. */
    private Refusal claimRefusal(Claim claim, ChildPolicy entry, LivePeers live) {
        TrafficSelector net = claim.remote();
        String head = "phase 2: peer " + Ipv4.format(claim.peerAddress()) + " claims " + net.ios() + " under crypto map "
                + entry.describe() + " (no match address), which ";
        if (net.mask() == 0) {
            return Refusal.proxies(Cause.CLAIMS_DEFAULT_ROUTE, head + "is the default route");
        }
        if (claim.localAddress() != 0 && net.contains(claim.localAddress())) {
            return Refusal.proxies(Cause.CLAIMS_OUTSIDE_ADDRESS, head + "holds our outside address "
                    + Ipv4.format(claim.localAddress()));
        }
        if (net.contains(claim.peerAddress())) {
            return Refusal.proxies(Cause.CLAIMS_OUTSIDE_ADDRESS, head + "holds its own outside address");
        }
        for (ProtectedNetwork p : protectedNetworks) {
            if (overlaps(net, p.network())) {
                return Refusal.proxies(Cause.CLAIMS_PROTECTED_NETWORK, head + "overlaps " + p.what());
            }
        }
        for (StaticClaim c : staticClaims) {
            if (!c.peers().contains(claim.peerAddress()) && overlaps(net, c.network())) {
                return Refusal.proxies(Cause.CLAIMS_OTHER_PEERS_NETWORK, head + "overlaps " + c.what());
            }
        }
        int other = live.otherPeerAddressIn(net, claim.peerAddress());
        if (other != 0) {
            return Refusal.proxies(Cause.CLAIMS_OUTSIDE_ADDRESS, head + "holds the outside address of peer "
                    + Ipv4.format(other));
        }
        other = live.otherPeerHolding(net, claim.peerAddress());
        if (other != 0) {
            return Refusal.proxies(Cause.CLAIMS_OTHER_PEERS_NETWORK, head + "overlaps a network peer "
                    + Ipv4.format(other) + " has negotiated");
        }
        return null;
    }

    /** True when some address lies in both. */
    public static boolean overlaps(TrafficSelector a, TrafficSelector b) {
        int common = a.mask() & b.mask();
        return (a.address() & common) == (b.address() & common);
    }

    /**
     * vpnc proposes 0.0.0.0/0 and takes the narrower answer; the Cisco client proposes each split network itself.
     * Without split networks our side stays as proposed. Null when the proposal is outside every split network.
     */
    private static TrafficSelector narrowToSplit(Claim claim, ClientState client, TrafficSelector local) {
        if (client.splitNetworks().isEmpty()) {
            return local;
        }
        for (TrafficSelector net : client.splitNetworks()) {
            if (local.within(net)) {
                return local;
            }
        }
        for (TrafficSelector net : client.splitNetworks()) {
            if (net.within(local)) {
                return net;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ outbound packets

    /** The permit lines of static entries with a peer, in IOS order; {@link StaticLine#index()} numbers them. */
    public List<StaticLine> staticLines() {
        return staticLines;
    }

    /**
     * The static line that protects an outbound packet: the first entry (in order) whose ACL's first matching line
     * is a permit; -1 when none (a deny moves on to the next entry). Allocates nothing.
     */
    public int protectingLine(int src, int dst, int protocol, int srcPort, int dstPort) {
        int bestEntry = Integer.MAX_VALUE;
        int bestLine = -1;
        for (int mask : remoteMasks) {
            int[] candidates = staticByRemote.get(key(dst & mask, mask));
            if (candidates == null) {
                continue;
            }
            for (int e : candidates) {
                if (e >= bestEntry) {
                    break; // ascending: nothing later in this list can come first
                }
                int line = lineOf(e, src, dst, protocol, srcPort, dstPort);
                if (line >= 0) {
                    bestEntry = e;
                    bestLine = line;
                    break;
                }
            }
        }
        return bestLine;
    }

    /** Static entry {@code e}'s ACL on one packet: its first matching line's index if a permit, else -1. */
    private int lineOf(int e, int src, int dst, int protocol, int srcPort, int dstPort) {
        List<ChildPolicy.AclRule> acl = staticEntries[e].acl();
        for (int r = 0; r < acl.size(); r++) {
            ChildPolicy.SelectorPair pair = acl.get(r).pair();
            if (pair.local().matchesPacket(src, protocol, srcPort)
                    && pair.remote().matchesPacket(dst, protocol, dstPort)) {
                return staticLineIndex[e][r]; // -1 for a deny: not this entry's traffic
            }
        }
        return -1;
    }

    private static long key(int network, int mask) {
        return ((long) mask << 32) | (network & 0xffffffffL);
    }

    /** True when a dynamic entry's ACL permits the packet (first matching line): it needs an SA, never clear. */
    public boolean dynamicAclProtects(int src, int dst, int protocol, int srcPort, int dstPort) {
        for (ChildPolicy entry : dynamicWithAcl) {
            for (ChildPolicy.AclRule rule : entry.acl()) {
                ChildPolicy.SelectorPair pair = rule.pair();
                if (pair.local().matchesPacket(src, protocol, srcPort)
                        && pair.remote().matchesPacket(dst, protocol, dstPort)) {
                    if (rule.permit()) {
                        return true;
                    }
                    break;
                }
            }
        }
        return false;
    }
}
