package dev.vpnrouter.config.model;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One entry of a crypto map ({@code crypto map NAME SEQ ipsec-isakmp [dynamic DYN]}) or of a dynamic map
 * ({@code crypto dynamic-map NAME SEQ}). An entry that points at a dynamic map has no settings of its own.
 */
public record MapEntry(int sequence, Optional<String> dynamicMap, Optional<String> description,
                       List<MapPeer> peers, List<String> transformSets, Optional<String> isakmpProfile,
                       Optional<DhGroupId> pfs, OptionalInt lifetimeSeconds, OptionalLong lifetimeKilobytes,
                       Optional<String> matchAddress, boolean reverseRoute) {
    public MapEntry {
        peers = List.copyOf(peers);
        transformSets = List.copyOf(transformSets);
    }

    public boolean isDynamic() {
        return dynamicMap.isPresent();
    }
}
