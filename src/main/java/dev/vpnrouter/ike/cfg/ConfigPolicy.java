package dev.vpnrouter.ike.cfg;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.Diagnostic;
import dev.vpnrouter.config.model.DhGroupId;
import dev.vpnrouter.config.model.IkeAuthentication;
import dev.vpnrouter.config.model.InterfaceAddress;
import dev.vpnrouter.config.model.IpsecGlobals;
import dev.vpnrouter.config.model.IpsecMode;
import dev.vpnrouter.config.model.IsakmpProfile;
import dev.vpnrouter.config.model.MapPeer;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.config.model.StaticRoute;
import dev.vpnrouter.ike.crypto.HashAlgorithm;
import dev.vpnrouter.ike.wire.IdPayload;
import dev.vpnrouter.ike.wire.IdType;
import dev.vpnrouter.ike.wire.IpsecAttribute;
import dev.vpnrouter.ike.wire.Phase1Attribute;
import dev.vpnrouter.ike.wire.TransformId;
import dev.vpnrouter.policy.ClientGroupPolicy;
import dev.vpnrouter.policy.CryptoAcl;
import dev.vpnrouter.policy.CryptoMapPolicy;
import dev.vpnrouter.policy.InterfacePolicy;
import dev.vpnrouter.policy.MapEntryPolicy;
import dev.vpnrouter.policy.PeerIdentity;
import dev.vpnrouter.policy.PolicyCompiler;
import dev.vpnrouter.policy.ProfilePolicy;
import dev.vpnrouter.policy.ProxyPair;
import dev.vpnrouter.policy.RouterPolicy;
import dev.vpnrouter.policy.TransformProposal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's view of a configuration: {@link EnginePolicy} answered from the compiled {@link RouterPolicy}, which
 * owns the IOS decisions (key by address, profile by identity, crypto map entries and their ACLs). This class only
 * translates IOS nouns into the wire values the engine negotiates with, once, when it is built.
 */
public final class ConfigPolicy implements EnginePolicy {
    private final RouterPolicy policy;
    private final String hostname;
    private final List<IkeProposal> proposals;
    private final List<ChildPolicy> cryptoMap;
    private final String outsideInterface;
    private final List<CryptoMapDecision.ProtectedNetwork> protectedNetworks;
    private final dev.vpnrouter.config.RadiusGroups radiusGroups;
    private final Map<String, PeerProfile> profiles = new java.util.LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    /**
     * The policy of our VPN client role: no crypto map of its own (Mode Config gives the selectors) and Dead Peer
     * Detection as the Cisco client does it, so an SA the hub ended while its Delete was lost does not linger.
     */
    public static ConfigPolicy forVpnClient(String hostname) {
        return new ConfigPolicy(vpnClientConfig(hostname));
    }

    /** The configuration behind {@link #forVpnClient}, for what shows it (the lab's exec prompt). */
    public static RouterConfig vpnClientConfig(String hostname) {
        return dev.vpnrouter.config.ConfigLoader.load("hostname " + hostname + "\ncrypto isakmp keepalive 20 5\n")
                .config();
    }

    public ConfigPolicy(RouterConfig config) {
        this(config, config.hostname().orElse("Router"), PolicyCompiler.compile(config));
    }

    /** Group name to the pool name it gives, defined or not (an undefined one is refused by name at login). */
    private final Map<String, String> groupPoolNames = new HashMap<>();

    /** For what is resolved on demand: a server-given group's split-tunnel ACL. */
    private final RouterConfig config;

    private ConfigPolicy(RouterConfig config, String hostname, PolicyCompiler.Compiled compiled) {
        this.config = config;
        for (var g : config.clientGroups()) {
            g.pool().ifPresent(p -> groupPoolNames.put(g.name(), p));
        }
        this.policy = compiled.policy();
        this.hostname = hostname;
        for (Diagnostic d : compiled.warnings()) {
            warnings.add(d.message());
        }
        this.proposals = compileProposals();
        for (ProfilePolicy p : policy.profiles().all()) {
            profiles.put(p.name(), compileProfile(p));
        }
        InterfacePolicy outside = policy.interfaces().stream()
                .filter(i -> i.cryptoMap().isPresent() && !i.shutdown()).findFirst().orElse(null);
        this.outsideInterface = outside == null ? null : outside.name();
        this.cryptoMap = outside == null ? List.of() : compileMap(outside.cryptoMap().get());
        this.protectedNetworks = protectedNetworks(config);
        this.radiusGroups = dev.vpnrouter.config.RadiusGroups.of(config);
    }

    /** Connected networks, static routes but the default, local pools: what no peer may claim as its own. */
    private List<CryptoMapDecision.ProtectedNetwork> protectedNetworks(RouterConfig config) {
        List<CryptoMapDecision.ProtectedNetwork> out = new ArrayList<>();
        for (InterfacePolicy i : policy.interfaces()) {
            if (i.address() instanceof InterfaceAddress.Static(int address, int mask)) {
                out.add(new CryptoMapDecision.ProtectedNetwork(TrafficSelector.subnet(address, mask),
                        "the connected network " + Ipv4.format(address & mask) + "/" + Ipv4.prefixLength(mask)
                                + " of " + i.name()));
            }
        }
        for (StaticRoute r : config.routes()) {
            if (r.mask() != 0) {
                out.add(new CryptoMapDecision.ProtectedNetwork(TrafficSelector.subnet(r.prefix(), r.mask()),
                        "the static route " + Ipv4.format(r.prefix()) + "/" + Ipv4.prefixLength(r.mask())));
            }
        }
        for (String name : policy.poolNames()) {
            for (dev.vpnrouter.policy.IpPool.Range range : policy.pool(name).orElseThrow().ranges()) {
                for (TrafficSelector net : TrafficSelector.covering(range.first(), range.last())) {
                    out.add(new CryptoMapDecision.ProtectedNetwork(net, "the local pool " + name));
                }
            }
        }
        return List.copyOf(out);
    }

    public RouterPolicy policy() {
        return policy;
    }

    /** The interface that carries the crypto map (the outside interface), or null when none does. */
    public String outsideInterface() {
        return outsideInterface;
    }

    /** What the compilation left out or found doubtful, one line each. */
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
        return policy.keys().byAddress(peerAddress).map(m -> new PresharedKey(
                m.key().getBytes(StandardCharsets.UTF_8), m.keyring().orElse("default"), m.noXauth())).orElse(null);
    }

    @Override
    public byte[] groupKey(String group) {
        return policy.clientGroup(group).flatMap(ClientGroupPolicy::key)
                .map(k -> k.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    @Override
    public List<PeerProfile> profiles() {
        return List.copyOf(profiles.values());
    }

    @Override
    public boolean profilesConfigured() {
        return !profiles.isEmpty();
    }

    @Override
    public PeerProfile profileFor(IdPayload identity, int peerAddress) {
        PeerIdentity id = switch (identity.idType()) {
            case IdType.IPV4_ADDR -> new PeerIdentity.Address(identity.ipv4Address());
            case IdType.FQDN -> new PeerIdentity.Fqdn(identity.text());
            case IdType.USER_FQDN -> new PeerIdentity.UserFqdn(identity.text());
            case IdType.KEY_ID -> new PeerIdentity.KeyId(identity.text());
            default -> null;
        };
        if (id == null) {
            return null;
        }
        return policy.profiles().match(id).map(p -> profiles.get(p.name())).orElse(null);
    }

    @Override
    public List<ChildPolicy> cryptoMap() {
        return cryptoMap;
    }

    @Override
    public dev.vpnrouter.config.RadiusGroups radiusGroups() {
        return radiusGroups;
    }

    @Override
    public List<CryptoMapDecision.ProtectedNetwork> protectedNetworks() {
        return protectedNetworks;
    }

    @Override
    public int dpdIntervalSeconds() {
        return policy.isakmp().keepalive().map(k -> k.seconds()).orElse(0);
    }

    @Override
    public int dpdRetrySeconds() {
        return policy.isakmp().keepalive().map(k -> k.retrySeconds()).orElse(2);
    }

    @Override
    public int natKeepaliveSeconds() {
        return policy.isakmp().natKeepaliveSeconds().orElse(20);
    }

    @Override
    public boolean aggressiveModeDisabled() {
        return policy.isakmp().aggressiveModeDisabled();
    }

    @Override
    public int inNegotiationLimit() {
        return policy.isakmp().inNegotiationLimit().orElse(DEFAULT_IN_NEGOTIATION_LIMIT);
    }

    // ------------------------------------------------------------------ remote access

    @Override
    public ClientGroup clientGroup(String name) {
        return policy.clientGroup(name).map(g -> new ClientGroup(g.name(),
                g.key().map(k -> k.getBytes(StandardCharsets.UTF_8)).orElse(null), g.dns(), g.wins(),
                g.domain().orElse(null), g.pool().map(dev.vpnrouter.policy.IpPool::name)
                        .orElse(groupPoolNames.get(g.name())),
                g.netmask().orElse(0), null,
                g.splitNetworks().stream().map(n -> TrafficSelector.subnet(n.address(), n.mask())).toList(),
                g.splitDns(), g.banner().orElse(null), g.savePassword(), g.includeLocalLan(), g.pfs(),
                g.backupGateways(), g.maxUsers().orElse(0), g.maxLogins().orElse(0))).orElse(null);
    }

    @Override
    public List<dev.vpnrouter.config.model.AaaMethod> accountingMethods(String list) {
        return policy.aaa().accountingMethods(list).orElse(List.of());
    }

    @Override
    public int accountingPeriodicMinutes() {
        return policy.aaa().accountingPeriodicMinutes();
    }

    @Override
    public List<dev.vpnrouter.config.model.AaaMethod> networkMethods(String list) {
        return policy.aaa().networkMethods(list).orElse(List.of());
    }

    @Override
    public List<TrafficSelector> splitNetworks(String acl) {
        return dev.vpnrouter.policy.PolicyCompiler.splitNetworks(config, acl).stream()
                .map(n -> TrafficSelector.subnet(n.address(), n.mask())).toList();
    }

    @Override
    public List<String> addressPoolNames() {
        return policy.poolNames();
    }

    @Override
    public AddressPoolConfig addressPool(String name) {
        return policy.pool(name).map(p -> new AddressPoolConfig(p.name(), p.ranges().stream()
                .map(r -> new AddressPoolConfig.Range(r.first(), r.last())).toList())).orElse(null);
    }

    @Override
    public LocalUser localUser(String name) {
        return policy.users().user(name).map(u -> switch (u.password()) {
            case dev.vpnrouter.config.model.Password.Clear c -> new LocalUser(u.name(), LocalUser.CLEAR, c.text());
            case dev.vpnrouter.config.model.Password.Type7Encoded t ->
                    new LocalUser(u.name(), LocalUser.TYPE7, t.encoded());
            case dev.vpnrouter.config.model.Password.Secret5 s -> new LocalUser(u.name(), LocalUser.MD5_CRYPT,
                    s.hash());
        }).orElse(null);
    }

    @Override
    public List<dev.vpnrouter.config.model.AaaMethod> loginMethods(String list) {
        return policy.aaa().loginMethods(list).orElse(List.of());
    }

    @Override
    public boolean hasLocalUsers() {
        return policy.users().size() > 0;
    }

    @Override
    public int xauthTimeoutSeconds() {
        return policy.isakmp().xauthTimeoutSeconds().orElse(60);
    }

    // ------------------------------------------------------------------ translation to wire values

    private List<IkeProposal> compileProposals() {
        List<IkeProposal> out = new ArrayList<>();
        for (dev.vpnrouter.policy.IkeProposal p : policy.ikeProposals()) {
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
            int keyBits = enc == Phase1Attribute.Encryption.AES_CBC ? p.keyBits() : 0;
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

    private static PeerProfile compileProfile(ProfilePolicy p) {
        List<String> groups = p.groups();
        return new PeerProfile(p.name(), p.keyring().orElse(null), p.xauth(),
                groups.isEmpty() ? null : groups.getFirst(), p.modeConfigInitiate(),
                p.keepalive().map(IsakmpProfile.Keepalive::seconds).orElse(0),
                p.keepalive().map(IsakmpProfile.Keepalive::retrySeconds).orElse(0),
                p.clientAuthenticationList().orElse(null), p.modeConfigRespond(),
                p.isakmpAuthorizationList().orElse(null), p.clientAccountingList().orElse(null));
    }

    private List<ChildPolicy> compileMap(CryptoMapPolicy map) {
        List<ChildPolicy> out = new ArrayList<>();
        for (MapEntryPolicy e : map.entries()) {
            List<Integer> peers = new ArrayList<>();
            for (MapPeer p : e.peers()) {
                if (p instanceof MapPeer.Address(int a)) {
                    peers.add(a);
                } else if (p instanceof MapPeer.Hostname(String h)) {
                    warnings.add("crypto map " + e.map() + " " + e.sequence() + ": peer " + h
                            + " is a hostname; only addresses are used");
                }
            }
            List<ChildPolicy.AclRule> acl = new ArrayList<>();
            e.acl().ifPresent(a -> {
                for (CryptoAcl.Rule r : a.rules()) {
                    ProxyPair pp = r.proxyPair();
                    acl.add(new ChildPolicy.AclRule(r.permit(), new ChildPolicy.SelectorPair(
                            new TrafficSelector(pp.local().address(), pp.local().mask(), pp.protocol(), pp.localPort()),
                            new TrafficSelector(pp.remote().address(), pp.remote().mask(), pp.protocol(),
                                    pp.remotePort()))));
                }
            });
            List<EspProposal> suites = e.transforms().stream().map(ConfigPolicy::suite).toList();
            out.add(new ChildPolicy(e.map(), e.sequence(), e.isDynamic(), e.dynamicMap().orElse(null),
                    e.templateSequence(), peers, acl, e.acl().map(a -> a.name()).orElse(null), suites,
                    e.pfs().map(DhGroupId::number).orElse(0), e.lifetimeSeconds(),
                    e.lifetimeKilobytes() == IpsecGlobals.KILOBYTES_DISABLED ? ChildPolicy.NO_VOLUME_LIMIT
                            : e.lifetimeKilobytes(),
                    e.profile().map(ProfilePolicy::name).orElse(null), e.reverseRoute()));
        }
        return List.copyOf(out);
    }

    static EspProposal suite(TransformProposal ts) {
        int id;
        int keyBits = 0;
        switch (ts.cipher()) {
            case DES -> id = TransformId.Esp.ESP_DES;
            case TRIPLE_DES -> id = TransformId.Esp.ESP_3DES;
            case AES_128, AES_192, AES_256 -> {
                id = TransformId.Esp.ESP_AES;
                keyBits = ts.keyBits();
            }
            case GCM_128, GCM_256 -> {
                id = TransformId.Esp.ESP_AES_GCM_16;
                keyBits = ts.keyBits();
            }
            default -> id = TransformId.Esp.ESP_NULL;
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
