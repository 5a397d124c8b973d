package dev.vpnrouter.policy;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.ConfigWriter;
import dev.vpnrouter.config.Diagnostic;
import dev.vpnrouter.config.ParseResult;
import dev.vpnrouter.config.SourceMap;
import dev.vpnrouter.config.model.AaaMethod;
import dev.vpnrouter.config.model.AaaMethodList;
import dev.vpnrouter.config.model.AccessList;
import dev.vpnrouter.config.model.AclEntry;
import dev.vpnrouter.config.model.AddressWildcard;
import dev.vpnrouter.config.model.ClientGroup;
import dev.vpnrouter.config.model.CryptoMap;
import dev.vpnrouter.config.model.DynamicMap;
import dev.vpnrouter.config.model.EspCipher;
import dev.vpnrouter.config.model.Interface;
import dev.vpnrouter.config.model.IpLocalPool;
import dev.vpnrouter.config.model.IsakmpPolicy;
import dev.vpnrouter.config.model.IsakmpProfile;
import dev.vpnrouter.config.model.Keyring;
import dev.vpnrouter.config.model.LocalUser;
import dev.vpnrouter.config.model.MapEntry;
import dev.vpnrouter.config.model.MapPeer;
import dev.vpnrouter.config.model.MatchIdentity;
import dev.vpnrouter.config.model.PreSharedKey;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.config.model.TransformSet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the {@link RouterPolicy} from a configuration model: pure functions, no I/O, problems as warnings rather
 * than exceptions. The configuration is expected to have been checked ({@code ConfigChecker} reports undefined
 * references as errors); here an undefined reference is skipped silently so each problem is reported once. What
 * the compiler itself reports is what only compiling reveals: ACL lines that cannot be traffic selectors, port
 * operators Quick Mode cannot express, crypto map peers given as hostnames.
 */
public final class PolicyCompiler {
    /** The policy and the compiler's warnings (positions from the source map, 0 when unknown). */
    public record Compiled(RouterPolicy policy, List<Diagnostic> warnings) {
        public Compiled {
            warnings = List.copyOf(warnings);
        }
    }

    private final RouterConfig c;
    private final SourceMap s;
    private final List<Diagnostic> warnings = new ArrayList<>();
    private final Map<String, Optional<CryptoAcl>> acls = new HashMap<>();

    private final Map<String, AccessList> accessLists = new HashMap<>();
    private final Map<String, DynamicMap> dynamicMaps = new HashMap<>();

    private PolicyCompiler(RouterConfig config, SourceMap source) {
        this.c = config;
        this.s = source;
        config.accessLists().forEach(a -> accessLists.putIfAbsent(a.name(), a));
        config.dynamicMaps().forEach(m -> dynamicMaps.putIfAbsent(m.name(), m));
    }

    /**
     * The split-tunnel networks {@code acl} gives (the local networks of its permit lines, as a client group's
     * {@code acl} compiles), for a group whose {@code ipsec:split-tunnel-list} names it; empty when no such list.
     */
    public static List<Subnet> splitNetworks(RouterConfig config, String acl) {
        List<Subnet> split = new ArrayList<>();
        new PolicyCompiler(config, new SourceMap()).acl(acl).ifPresent(a -> a.rules().stream()
                .filter(CryptoAcl.Rule::permit).map(CryptoAcl.Rule::local).forEach(split::add));
        return split;
    }

    public static Compiled compile(ParseResult parsed) {
        return compile(parsed.config(), parsed.source());
    }

    public static Compiled compile(RouterConfig config) {
        return compile(config, new SourceMap());
    }

    public static Compiled compile(RouterConfig config, SourceMap source) {
        PolicyCompiler k = new PolicyCompiler(config, source);
        RouterPolicy policy = k.build();
        return new Compiled(policy, k.warnings);
    }

    private void warn(Object element, String message) {
        SourceMap.Where w = s.at(element);
        warnings.add(Diagnostic.warning(w.line(), w.column(), message));
    }

    private RouterPolicy build() {
        List<IkeProposal> proposals = new ArrayList<>();
        for (IsakmpPolicy p : c.isakmpPolicies()) {
            proposals.add(new IkeProposal(p.priority(), p.encryption(), p.hash(), p.authentication(), p.group(),
                    p.lifetimeSeconds()));
        }
        Map<String, IpPool> pools = pools();
        ProfileTable profiles = profiles();
        Map<String, TransformProposal> transforms = new HashMap<>();
        for (TransformSet t : c.transformSets()) {
            transforms.put(t.name(), new TransformProposal(t.name(), t.cipher().orElse(EspCipher.NULL),
                    t.integrity(), t.mode()));
        }
        Map<String, CryptoMapPolicy> maps = new HashMap<>();
        for (CryptoMap m : c.cryptoMaps()) {
            maps.put(m.name(), cryptoMap(m, transforms, profiles));
        }
        List<InterfacePolicy> interfaces = new ArrayList<>();
        for (Interface i : c.interfaces()) {
            interfaces.add(new InterfacePolicy(i.name(), i.address(), i.shutdown(),
                    i.cryptoMap().map(maps::get)));
        }
        Map<String, LocalUser> users = new HashMap<>();
        c.users().forEach(u -> users.put(u.name(), u));
        return new RouterPolicy(proposals, keys(), profiles, clientGroups(pools), transforms, maps, pools,
                new AaaPolicy(c.aaa().newModel(), methods(c.aaa().authenticationLogin()),
                        methods(c.aaa().authorizationNetwork()), methods(c.aaa().accountingNetwork()),
                        c.aaa().accountingPeriodicMinutes(), c.radius().servers(), c.radius().defaultKey()),
                new LocalUsers(users), c.isakmp(), c.ipsec(), interfaces);
    }

    private static Map<String, List<AaaMethod>> methods(List<AaaMethodList> lists) {
        Map<String, List<AaaMethod>> out = new HashMap<>();
        lists.forEach(l -> out.put(l.name(), l.methods()));
        return out;
    }

    private PskTable keys() {
        PskTable t = new PskTable();
        for (Keyring k : c.keyrings()) {
            for (PreSharedKey key : k.keys()) {
                switch (key) {
                    case PreSharedKey.ByAddress a -> t.addKeyringAddress(k.name(), new Subnet(a.address() & a.mask(),
                            a.mask()), a.key());
                    case PreSharedKey.ByHostname h -> t.addKeyringHostname(k.name(), h.hostname(), h.key());
                }
            }
        }
        for (PreSharedKey key : c.isakmpKeys()) {
            switch (key) {
                case PreSharedKey.ByAddress a -> t.addGlobalAddress(new Subnet(a.address() & a.mask(), a.mask()),
                        a.key(), a.noXauth());
                case PreSharedKey.ByHostname h -> t.addGlobalHostname(h.hostname(), h.key(), h.noXauth());
            }
        }
        return t;
    }

    private ProfileTable profiles() {
        ProfileTable t = new ProfileTable();
        for (IsakmpProfile p : c.isakmpProfiles()) {
            ProfilePolicy policy = new ProfilePolicy(p.name(), p.keyring(), p.matches(), p.selfIdentity(),
                    p.clientAuthenticationList(), p.isakmpAuthorizationList(), p.clientAccountingList(),
                    p.clientConfigurationRespond(),
                    p.clientConfigurationInitiate(), p.initiateAggressive(), p.keepalive());
            t.add(policy);
            for (MatchIdentity m : p.matches()) {
                switch (m) {
                    case MatchIdentity.Address a -> t.matchAddress(new Subnet(a.address(), a.mask()), policy);
                    case MatchIdentity.Group g -> t.matchGroup(g.name(), policy);
                    case MatchIdentity.Host h -> t.matchHost(h.fqdn(), policy);
                    case MatchIdentity.HostDomain h -> t.matchHostDomain(h.domain(), policy);
                    case MatchIdentity.User u -> t.matchUser(u.fqdn(), policy);
                    case MatchIdentity.UserDomain u -> t.matchUserDomain(u.domain(), policy);
                }
            }
        }
        return t;
    }

    private Map<String, IpPool> pools() {
        Map<String, List<IpPool.Range>> ranges = new LinkedHashMap<>();
        for (IpLocalPool p : c.localPools()) {
            ranges.computeIfAbsent(p.name(), n -> new ArrayList<>()).add(new IpPool.Range(p.first(), p.last()));
        }
        Map<String, IpPool> out = new HashMap<>();
        ranges.forEach((name, list) -> out.put(name, new IpPool(name, list)));
        return out;
    }

    private Map<String, ClientGroupPolicy> clientGroups(Map<String, IpPool> pools) {
        Map<String, ClientGroupPolicy> out = new HashMap<>();
        for (ClientGroup g : c.clientGroups()) {
            List<Subnet> split = new ArrayList<>();
            g.acl().flatMap(this::acl).ifPresent(acl -> acl.rules().stream().filter(CryptoAcl.Rule::permit)
                    .map(CryptoAcl.Rule::local).forEach(split::add));
            out.put(g.name(), new ClientGroupPolicy(g.name(), g.key(), g.dns(), g.wins(), g.domain(),
                    g.pool().map(pools::get), split, g.splitDns(), g.banner(), g.savePassword(),
                    g.includeLocalLan(), g.pfs(), g.backupGateways(), g.maxUsers(), g.maxLogins(), g.netmask()));
        }
        return out;
    }

    /** A compiled ACL (cached); empty when it does not exist. */
    private Optional<CryptoAcl> acl(String name) {
        return acls.computeIfAbsent(name, n -> Optional.ofNullable(accessLists.get(n)).map(this::compileAcl));
    }

    private CryptoAcl compileAcl(AccessList list) {
        List<CryptoAcl.Rule> rules = new ArrayList<>();
        for (AclEntry e : list.entries()) {
            switch (e) {
                case AclEntry.Remark r -> {
                }
                case AclEntry.Standard st -> subnet(st.source(), list, e).ifPresent(src -> rules.add(
                        new CryptoAcl.Rule(st.action() == AclEntry.Action.PERMIT, 0, src, Optional.empty(),
                                Subnet.ANY, Optional.empty())));
                case AclEntry.Extended x -> {
                    Optional<Subnet> src = subnet(x.source(), list, e);
                    Optional<Subnet> dst = subnet(x.destination(), list, e);
                    if (src.isEmpty() || dst.isEmpty()) {
                        continue;
                    }
                    boolean portsOk = x.sourcePort().stream().allMatch(p -> p.op() == dev.vpnrouter.config.model
                            .PortMatch.Op.EQ) && x.destinationPort().stream().allMatch(p -> p.op()
                            == dev.vpnrouter.config.model.PortMatch.Op.EQ);
                    if (!portsOk && x.action() == AclEntry.Action.PERMIT) {
                        warn(e, "access list " + list.name() + " '" + ConfigWriter.aclEntry(e) + "': a Quick Mode "
                                + "ID carries one port or any; this line is proposed for all ports");
                    } else if (!portsOk) {
                        // Widened to all ports, it would send traffic the configuration protects in clear text.
                        warn(e, "access list " + list.name() + " '" + ConfigWriter.aclEntry(e) + "': a crypto "
                                + "access list keeps one port or any; this deny line exempts nothing, and the "
                                + "traffic it names stays protected by the lines after it");
                        continue;
                    }
                    rules.add(new CryptoAcl.Rule(x.action() == AclEntry.Action.PERMIT, x.protocol(), src.get(),
                            x.sourcePort(), dst.get(), x.destinationPort()));
                }
            }
        }
        return new CryptoAcl(list.name(), rules);
    }

    /** The network an ACL address names, when its wildcard is an inverted contiguous mask. */
    private Optional<Subnet> subnet(AddressWildcard a, AccessList list, AclEntry e) {
        int mask = ~a.wildcard();
        if (!Ipv4.isContiguousMask(mask)) {
            warn(e, "access list " + list.name() + " '" + ConfigWriter.aclEntry(e) + "': wildcard "
                    + Ipv4.format(a.wildcard()) + " is not a network; the line cannot be an IPsec traffic selector "
                    + "and is ignored");
            return Optional.empty();
        }
        return Optional.of(new Subnet(a.address(), mask));
    }

    private CryptoMapPolicy cryptoMap(CryptoMap m, Map<String, TransformProposal> transforms, ProfileTable profiles) {
        List<MapEntryPolicy> entries = new ArrayList<>();
        for (MapEntry e : m.entries()) {
            if (e.dynamicMap().isPresent()) {
                Optional<DynamicMap> dyn = Optional.ofNullable(dynamicMaps.get(e.dynamicMap().get()));
                if (dyn.isEmpty()) {
                    continue;
                }
                for (MapEntry t : dyn.get().entries()) {
                    boolean aclOk = t.matchAddress().isEmpty() || acl(t.matchAddress().get()).isPresent();
                    if (!t.transformSets().isEmpty() && aclOk) {
                        entries.add(entry(m.name(), e.sequence(), dyn.get().name(), t, transforms, profiles));
                    }
                }
                continue;
            }
            for (MapPeer p : e.peers()) {
                if (p instanceof MapPeer.Hostname(String h)) {
                    warn(e, "crypto map " + m.name() + " " + e.sequence() + ": peer " + h + " is a hostname, which "
                            + "vpnrouter does not resolve; the entry matches only its address peers");
                }
            }
            boolean usable = e.peers().stream().anyMatch(p -> p instanceof MapPeer.Address)
                    && e.matchAddress().flatMap(this::acl).isPresent() && !e.transformSets().isEmpty();
            if (usable) { // incomplete entries stay disabled, as in IOS (ConfigChecker warns)
                entries.add(entry(m.name(), e.sequence(), null, e, transforms, profiles));
            }
        }
        return new CryptoMapPolicy(m.name(), entries);
    }

    private MapEntryPolicy entry(String map, int sequence, String dynamicMap, MapEntry e,
                                 Map<String, TransformProposal> transforms, ProfileTable profiles) {
        List<TransformProposal> ts = e.transformSets().stream().map(transforms::get)
                .filter(java.util.Objects::nonNull).toList();
        return new MapEntryPolicy(map, sequence, Optional.ofNullable(dynamicMap),
                dynamicMap == null ? 0 : e.sequence(), e.peers(), e.matchAddress().flatMap(this::acl), ts, e.pfs(),
                e.lifetimeSeconds().orElse(c.ipsec().lifetimeSeconds()),
                e.lifetimeKilobytes().orElse(c.ipsec().lifetimeKilobytes()),
                e.isakmpProfile().flatMap(profiles::named), e.reverseRoute());
    }
}
