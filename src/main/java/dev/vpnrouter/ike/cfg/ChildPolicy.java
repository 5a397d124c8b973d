package dev.vpnrouter.ike.cfg;

import java.util.List;

/**
 * A crypto map entry as the engine uses it: which traffic (ACL compiled to selector pairs), with which peers,
 * transform sets, PFS group and lifetimes. A dynamic-map entry has no peers and no or some selectors: it is a
 * template that accepts what the peer proposes within them.
 *
 * @param selectors (local, remote) pairs from {@code match address}; empty means "anything the peer proposes"
 * @param pfsGroup DH group for PFS, 0 for none
 * @param lifetimeSeconds 0 for the IOS default
 * @param lifetimeKilobytes 0 for the IOS default, {@link #NO_VOLUME_LIMIT} for none
 * @param profile the ISAKMP profile the entry requires ({@code set isakmp-profile}), or null
 */
public record ChildPolicy(String mapName, int sequence, boolean dynamic, String dynamicMapName, int dynamicSequence,
        List<Integer> peers, List<SelectorPair> selectors, String aclName, List<EspProposal> proposals, int pfsGroup,
        long lifetimeSeconds, long lifetimeKilobytes, String profile, boolean reverseRoute) {

    /** {@code lifetime kilobytes disable}: no volume lifetime is offered or kept, unless the peer asks for one. */
    public static final long NO_VOLUME_LIMIT = -1;

    public record SelectorPair(TrafficSelector local, TrafficSelector remote) {
    }

    public ChildPolicy {
        peers = List.copyOf(peers);
        selectors = List.copyOf(selectors);
        proposals = List.copyOf(proposals);
    }

    /** "mymap 10" or "mymap 10 (dynmap 5)" for logs. */
    public String describe() {
        return mapName + " " + sequence + (dynamic ? " (" + dynamicMapName + " " + dynamicSequence + ")" : "");
    }
}
