package dev.vpnrouter.policy;

import dev.vpnrouter.config.model.DhGroupId;
import dev.vpnrouter.config.model.MapPeer;

import java.util.List;
import java.util.Optional;

/**
 * One usable crypto map entry, the IOS analogue of strongSwan's child_cfg. A static entry names its peers and its
 * ACL. An entry {@code crypto map M SEQ ipsec-isakmp dynamic D} is compiled to one entry per template of dynamic
 * map D, all with sequence SEQ and the template's own number in {@link #templateSequence()}; templates accept any
 * peer unless they set one, and any traffic unless they match an ACL. Lifetimes are the entry's or the global
 * {@code crypto ipsec security-association lifetime}; {@code lifetimeKilobytes} is
 * {@link dev.vpnrouter.config.model.IpsecGlobals#KILOBYTES_DISABLED} for {@code lifetime kilobytes disable}.
 */
public record MapEntryPolicy(String map, int sequence, Optional<String> dynamicMap, int templateSequence,
                             List<MapPeer> peers, Optional<CryptoAcl> acl, List<TransformProposal> transforms,
                             Optional<DhGroupId> pfs, int lifetimeSeconds, long lifetimeKilobytes,
                             Optional<ProfilePolicy> profile, boolean reverseRoute) {
    public MapEntryPolicy {
        peers = List.copyOf(peers);
        transforms = List.copyOf(transforms);
    }

    public boolean isDynamic() {
        return dynamicMap.isPresent();
    }

    /** True when a peer at {@code address} may use this entry. */
    public boolean acceptsPeer(int address) {
        if (peers.isEmpty()) {
            return isDynamic();
        }
        for (MapPeer p : peers) {
            if (p instanceof MapPeer.Address(int a) && a == address) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when an IKE SA that matched {@code profile} may use this entry: an entry with {@code set isakmp-profile}
     * serves only that profile's peers (this is how the seed hub sends VPN clients and spokes to different dynamic
     * map templates); an entry without one serves any.
     */
    public boolean acceptsProfile(Optional<ProfilePolicy> ikeProfile) {
        return profile.isEmpty() || ikeProfile.map(p -> p.name().equals(profile.get().name())).orElse(false);
    }

    /** True when the peer's proposal (from this router's side) is within this entry's ACL (any, without one). */
    public boolean acceptsProposal(ProxyPair proposal) {
        return acl.map(a -> a.allows(proposal)).orElse(true);
    }
}
