package dev.vpnrouter.ike.cfg;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.model.AccessList;
import dev.vpnrouter.config.model.AclEntry;
import dev.vpnrouter.config.model.AddressWildcard;
import dev.vpnrouter.config.model.ClientGroup;
import dev.vpnrouter.config.model.CryptoMap;
import dev.vpnrouter.config.model.DhGroupId;
import dev.vpnrouter.config.model.DynamicMap;
import dev.vpnrouter.config.model.IkeAuthentication;
import dev.vpnrouter.config.model.Interface;
import dev.vpnrouter.config.model.IpsecMode;
import dev.vpnrouter.config.model.IsakmpPolicy;
import dev.vpnrouter.config.model.IsakmpProfile;
import dev.vpnrouter.config.model.Keyring;
import dev.vpnrouter.config.model.MapEntry;
import dev.vpnrouter.config.model.MapPeer;
import dev.vpnrouter.config.model.MatchIdentity;
import dev.vpnrouter.config.model.PortMatch;
import dev.vpnrouter.config.model.PreSharedKey;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.config.model.TransformSet;
import dev.vpnrouter.ike.crypto.HashAlgorithm;
import dev.vpnrouter.ike.wire.IdPayload;
import dev.vpnrouter.ike.wire.IdType;
import dev.vpnrouter.ike.wire.IpsecAttribute;
import dev.vpnrouter.ike.wire.Phase1Attribute;
import dev.vpnrouter.ike.wire.TransformId;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The engine's view of a parsed IOS configuration: what {@link EnginePolicy} asks, answered as IOS decides it.
 * Built once per configuration by pure conversion; lookups that run per negotiation (the pre-shared key by peer
 * address) use an index, not a scan, so a hub with tens of thousands of keyring entries stays fast. What cannot
 * be used (an RSA policy, a non-contiguous ACL wildcard, a peer given by hostname) is left out and listed in
 * {@link #warnings()}.
 */
public final class ConfigPolicy implements EnginePolicy {
    private final RouterConfig config;
    private final String hostname;
    private final List<IkeProposal> proposals;
    private final List<ChildPolicy> cryptoMap;
    private final String outsideInterface;
    /** Address keys indexed by prefix length (index 32 = host keys), then by masked address. */
    private final List<Map<Integer, PresharedKey>> keysByPrefix = new ArrayList<>();
    private final List<ProfileRule> profiles = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private record ProfileRule(PeerProfile profile, List<MatchIdentity> matches) {
    }

    public ConfigPolicy(RouterConfig config) {
        this.config = config;
        this.hostname = config.hostname().orElse("Router");
        this.proposals = compileProposals(config);
        for (int i = 0; i <= 32; i++) {
            keysByPrefix.add(new HashMap<>());
        }
        // Global keys first: on an equally specific match IOS's "default" keyring wins.
        for (PreSharedKey k : config.isakmpKeys()) {
            addKey(k, "default");
        }
        for (Keyring ring : config.keyrings()) {
            for (PreSharedKey k : ring.keys()) {
                addKey(k, ring.name());
            }
        }
        for (IsakmpProfile p : config.isakmpProfiles()) {
            profiles.add(new ProfileRule(compileProfile(p), p.matches()));
        }
        Interface outside = config.interfaces().stream().filter(i -> i.cryptoMap().isPresent() && !i.shutdown())
                .findFirst().orElse(null);
        this.outsideInterface = outside == null ? null : outside.name();
        this.cryptoMap = outside == null ? List.of() : compileMap(outside.cryptoMap().get());
    }

    public RouterConfig config() {
        return config;
    }

    /** The interface that carries the crypto map (the outside interface), or null when none does. */
    public String outsideInterface() {
        return outsideInterface;
    }

    /** What the conversion left out, one line each. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    // ------------------------------------------------------------------ EnginePolicy

    @Override
    public String hostname() {
        return hostname;
    }

    @Override
    public List<IkeProposal> ikeProposals() {
        return proposals;
    }

    @Override
    public PresharedKey presharedKeyFor(int peerAddress) {
        for (int prefix = 32; prefix >= 0; prefix--) {
            PresharedKey k = keysByPrefix.get(prefix).get(peerAddress & Ipv4.maskOf(prefix));
            if (k != null) {
                return k;
            }
        }
        return null;
    }

    @Override
    public byte[] groupKey(String group) {
        return config.clientGroup(group).flatMap(ClientGroup::key).map(k -> k.getBytes(StandardCharsets.UTF_8))
                .orElse(null);
    }

    @Override
    public boolean profilesConfigured() {
        return !profiles.isEmpty();
    }

    @Override
    public PeerProfile profileFor(IdPayload identity, int peerAddress) {
        for (ProfileRule rule : profiles) {
            for (MatchIdentity m : rule.matches()) {
                if (matches(m, identity)) {
                    return rule.profile();
                }
            }
        }
        return null;
    }

    @Override
    public List<ChildPolicy> cryptoMap() {
        return cryptoMap;
    }

    @Override
    public int dpdIntervalSeconds() {
        return config.isakmp().keepalive().map(k -> k.seconds()).orElse(0);
    }

    @Override
    public int dpdRetrySeconds() {
        return config.isakmp().keepalive().map(k -> k.retrySeconds()).orElse(2);
    }

    @Override
    public int natKeepaliveSeconds() {
        return config.isakmp().natKeepaliveSeconds().orElse(20);
    }

    @Override
    public boolean aggressiveModeDisabled() {
        return config.isakmp().aggressiveModeDisabled();
    }

    // ------------------------------------------------------------------ conversion

    private List<IkeProposal> compileProposals(RouterConfig c) {
        List<IkeProposal> out = new ArrayList<>();
        for (IsakmpPolicy p : c.isakmpPolicies().stream().sorted(Comparator.comparingInt(IsakmpPolicy::priority))
                .toList()) {
            if (p.authentication() != IkeAuthentication.PRE_SHARE) {
                warnings.add("crypto isakmp policy " + p.priority() + ": authentication "
                        + p.authentication().keyword() + " is not supported; the policy is not offered");
                continue;
            }
            int enc = switch (p.encryption()) {
                case DES -> Phase1Attribute.Encryption.DES_CBC;
                case TRIPLE_DES -> Phase1Attribute.Encryption.TRIPLE_DES_CBC;
                case AES_128, AES_192, AES_256 -> Phase1Attribute.Encryption.AES_CBC;
            };
            int keyBits = enc == Phase1Attribute.Encryption.AES_CBC ? p.encryption().keyBits() : 0;
            HashAlgorithm hash = switch (p.hash()) {
                case MD5 -> HashAlgorithm.MD5;
                case SHA -> HashAlgorithm.SHA1;
                case SHA256 -> HashAlgorithm.SHA2_256;
                case SHA384 -> HashAlgorithm.SHA2_384;
                case SHA512 -> HashAlgorithm.SHA2_512;
            };
            out.add(new IkeProposal(p.priority(), enc, keyBits, hash, Phase1Attribute.AuthMethod.PRE_SHARED_KEY,
                    p.group().number(), p.lifetimeSeconds()));
        }
        return List.copyOf(out);
    }

    private void addKey(PreSharedKey k, String keyring) {
        if (k instanceof PreSharedKey.ByAddress a) {
            if (!Ipv4.isContiguousMask(a.mask())) {
                warnings.add("pre-shared key for " + Ipv4.format(a.address()) + " " + Ipv4.format(a.mask())
                        + " in " + keyring + ": mask is not contiguous; ignored");
                return;
            }
            int prefix = Ipv4.prefixLength(a.mask());
            keysByPrefix.get(prefix).putIfAbsent(a.address() & a.mask(), new PresharedKey(
                    a.key().getBytes(StandardCharsets.UTF_8), keyring, a.noXauth()));
        } else if (k instanceof PreSharedKey.ByHostname h) {
            warnings.add("pre-shared key for hostname " + h.hostname() + " in " + keyring
                    + ": Main Mode chooses keys by address; a hostname key is not used");
        }
    }

    private static PeerProfile compileProfile(IsakmpProfile p) {
        String group = null;
        for (MatchIdentity m : p.matches()) {
            if (m instanceof MatchIdentity.Group g) {
                group = g.name();
                break;
            }
        }
        return new PeerProfile(p.name(), p.keyring().orElse(null), p.clientAuthenticationList().isPresent(), group,
                p.clientConfigurationInitiate(), p.keepalive().map(IsakmpProfile.Keepalive::seconds).orElse(0),
                p.keepalive().map(IsakmpProfile.Keepalive::retrySeconds).orElse(0));
    }

    private static boolean matches(MatchIdentity m, IdPayload id) {
        return switch (m) {
            case MatchIdentity.Address a -> id.idType() == IdType.IPV4_ADDR
                    && (id.ipv4Address() & a.mask()) == (a.address() & a.mask());
            case MatchIdentity.Group g -> id.idType() == IdType.KEY_ID && id.text().equals(g.name());
            case MatchIdentity.Host h -> id.idType() == IdType.FQDN && id.text().equalsIgnoreCase(h.fqdn());
            case MatchIdentity.HostDomain d -> id.idType() == IdType.FQDN
                    && id.text().toLowerCase().endsWith(d.domain().toLowerCase());
            case MatchIdentity.User u -> id.idType() == IdType.USER_FQDN && id.text().equalsIgnoreCase(u.fqdn());
            case MatchIdentity.UserDomain d -> id.idType() == IdType.USER_FQDN
                    && id.text().toLowerCase().endsWith(d.domain().toLowerCase());
        };
    }

    private List<ChildPolicy> compileMap(String name) {
        Optional<CryptoMap> map = config.cryptoMap(name);
        if (map.isEmpty()) {
            warnings.add("crypto map " + name + " is applied but not defined");
            return List.of();
        }
        List<ChildPolicy> out = new ArrayList<>();
        for (MapEntry entry : map.get().entries().stream().sorted(Comparator.comparingInt(MapEntry::sequence))
                .toList()) {
            if (entry.dynamicMap().isPresent()) {
                Optional<DynamicMap> dyn = config.dynamicMap(entry.dynamicMap().get());
                if (dyn.isEmpty()) {
                    warnings.add("crypto map " + name + " " + entry.sequence() + ": dynamic map "
                            + entry.dynamicMap().get() + " is not defined");
                    continue;
                }
                for (MapEntry d : dyn.get().entries().stream().sorted(Comparator.comparingInt(MapEntry::sequence))
                        .toList()) {
                    out.add(child(name, entry.sequence(), true, dyn.get().name(), d));
                }
            } else {
                out.add(child(name, entry.sequence(), false, null, entry));
            }
        }
        return List.copyOf(out);
    }

    private ChildPolicy child(String mapName, int sequence, boolean dynamic, String dynName, MapEntry e) {
        String where = "crypto " + (dynamic ? "dynamic-map " + dynName : "map " + mapName) + " " + e.sequence();
        List<Integer> peers = new ArrayList<>();
        for (MapPeer p : e.peers()) {
            if (p instanceof MapPeer.Address a) {
                peers.add(a.address());
            } else if (p instanceof MapPeer.Hostname h) {
                warnings.add(where + ": peer " + h.hostname() + " is a hostname; only addresses are used");
            }
        }
        List<ChildPolicy.SelectorPair> selectors = e.matchAddress().map(acl -> selectors(where, acl))
                .orElse(List.of());
        List<EspProposal> suites = new ArrayList<>();
        for (String ts : e.transformSets()) {
            config.transformSet(ts).map(ConfigPolicy::suite).ifPresentOrElse(suites::add,
                    () -> warnings.add(where + ": transform set " + ts + " is not defined"));
        }
        int pfs = e.pfs().map(DhGroupId::number).orElse(0);
        long seconds = e.lifetimeSeconds().isPresent() ? e.lifetimeSeconds().getAsInt()
                : config.ipsec().lifetimeSeconds();
        long kilobytes = e.lifetimeKilobytes().isPresent() ? e.lifetimeKilobytes().getAsLong()
                : config.ipsec().lifetimeKilobytes();
        return new ChildPolicy(mapName, sequence, dynamic, dynName, dynamic ? e.sequence() : 0, peers, selectors,
                e.matchAddress().orElse(null), suites, pfs, seconds, kilobytes, e.isakmpProfile().orElse(null),
                e.reverseRoute());
    }

    /** An ACL's permit entries as (local, remote) proxy pairs: source is local, destination remote. */
    private List<ChildPolicy.SelectorPair> selectors(String where, String aclName) {
        Optional<AccessList> acl = config.accessList(aclName);
        if (acl.isEmpty()) {
            warnings.add(where + ": access list " + aclName + " is not defined");
            return List.of();
        }
        List<ChildPolicy.SelectorPair> out = new ArrayList<>();
        for (AclEntry entry : acl.get().entries()) {
            if (!(entry instanceof AclEntry.Extended x) || x.action() != AclEntry.Action.PERMIT) {
                if (entry instanceof AclEntry.Extended x2 && x2.action() == AclEntry.Action.DENY) {
                    warnings.add(where + ": deny entries of ACL " + aclName + " are not used for proxy identities");
                }
                continue;
            }
            TrafficSelector local = selector(x.source(), x.protocol(), x.sourcePort());
            TrafficSelector remote = selector(x.destination(), x.protocol(), x.destinationPort());
            if (local == null || remote == null) {
                warnings.add(where + ": an entry of ACL " + aclName
                        + " has a non-contiguous wildcard or a port range; it is not used");
                continue;
            }
            out.add(new ChildPolicy.SelectorPair(local, remote));
        }
        return out;
    }

    private static TrafficSelector selector(AddressWildcard a, int protocol, Optional<PortMatch> port) {
        int mask = ~a.wildcard();
        if (!Ipv4.isContiguousMask(mask)) {
            return null;
        }
        int p = 0;
        if (port.isPresent()) {
            if (port.get().op() != PortMatch.Op.EQ) {
                return null;
            }
            p = port.get().low();
        }
        return new TrafficSelector(a.address() & mask, mask, protocol, p);
    }

    static EspProposal suite(TransformSet ts) {
        int id = 0;
        int keyBits = 0;
        if (ts.cipher().isPresent()) {
            switch (ts.cipher().get()) {
                case DES -> id = TransformId.Esp.ESP_DES;
                case TRIPLE_DES -> id = TransformId.Esp.ESP_3DES;
                case AES_128, AES_192, AES_256 -> {
                    id = TransformId.Esp.ESP_AES;
                    keyBits = ts.cipher().get().keyBits();
                }
                case GCM_128, GCM_256 -> {
                    id = TransformId.Esp.ESP_AES_GCM_16;
                    keyBits = ts.cipher().get().keyBits();
                }
                case NULL -> id = TransformId.Esp.ESP_NULL;
            }
        }
        int auth = ts.integrity().map(i -> switch (i) {
            case MD5_HMAC -> IpsecAttribute.AuthAlgorithm.HMAC_MD5;
            case SHA_HMAC -> IpsecAttribute.AuthAlgorithm.HMAC_SHA;
            case SHA256_HMAC -> IpsecAttribute.AuthAlgorithm.HMAC_SHA2_256;
            case SHA384_HMAC -> IpsecAttribute.AuthAlgorithm.HMAC_SHA2_384;
            case SHA512_HMAC -> IpsecAttribute.AuthAlgorithm.HMAC_SHA2_512;
        }).orElse(0);
        return new EspProposal(ts.name(), id, keyBits, auth, ts.mode() == IpsecMode.TUNNEL);
    }
}
