package dev.vpnrouter.ike.cfg;

import java.util.List;

/**
 * A crypto map entry as the engine uses it: which traffic (its ACL as ordered permit and deny lines), with which
 * peers, transform sets, PFS group and lifetimes. A dynamic-map entry has no peers and may have no ACL: it is a
 * template that accepts what the peer proposes, within what {@link CryptoMapDecision} lets a peer claim.
 *
 * @param acl the {@code match address} lines in order (source = our side); empty with a null {@code aclName} means
 *            the entry has no ACL, which only a dynamic entry may lack; an ACL without a permit line protects nothing
 * @param pfsGroup DH group for PFS, 0 for none
 * @param lifetimeSeconds 0 for the IOS default
 * @param lifetimeKilobytes 0 for the IOS default, {@link #NO_VOLUME_LIMIT} for none
 * @param profile the ISAKMP profile the entry requires ({@code set isakmp-profile}), or null
 */
public record ChildPolicy(String mapName, int sequence, boolean dynamic, String dynamicMapName, int dynamicSequence,
        List<Integer> peers, List<AclRule> acl, String aclName, List<EspProposal> proposals, int pfsGroup,
        long lifetimeSeconds, long lifetimeKilobytes, String profile, boolean reverseRoute) {

    /** {@code lifetime kilobytes disable}: no volume lifetime is offered or kept, unless the peer asks for one. */
    public static final long NO_VOLUME_LIMIT = -1;

    public record SelectorPair(TrafficSelector local, TrafficSelector remote) {
    }

    /** One ACL line: permit protects the pair's traffic with this entry, deny leaves it to later entries. */
    public record AclRule(boolean permit, SelectorPair pair) {
    }

    public ChildPolicy {
        peers = List.copyOf(peers);
        acl = List.copyOf(acl);
        proposals = List.copyOf(proposals);
    }

    /** An ACL of permit lines only, in order. */
    public static List<AclRule> permits(List<SelectorPair> pairs) {
        return pairs.stream().map(p -> new AclRule(true, p)).toList();
    }

    /** True when the entry has a {@code match address} (or, for our VPN client, the hub's split networks). */
    public boolean hasAcl() {
        return aclName != null || !acl.isEmpty();
    }

    /** The permit lines' pairs, in order: what this entry's SAs may carry and what an initiator proposes. */
    public List<SelectorPair> selectors() {
        return acl.stream().filter(AclRule::permit).map(AclRule::pair).toList();
    }

    /** "mymap 10" or "mymap 10 (dynmap 5)" for logs. */
    public String describe() {
        return mapName + " " + sequence + (dynamic ? " (" + dynamicMapName + " " + dynamicSequence + ")" : "");
    }
}
