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
}
