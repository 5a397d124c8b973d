package dev.vpnrouter.config;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.SourceMap.Where;
import dev.vpnrouter.config.model.AaaMethod;
import dev.vpnrouter.config.model.AaaMethodList;
import dev.vpnrouter.config.model.AccessList;
import dev.vpnrouter.config.model.AclEntry;
import dev.vpnrouter.config.model.ClientGroup;
import dev.vpnrouter.config.model.CryptoMap;
import dev.vpnrouter.config.model.DynamicMap;
import dev.vpnrouter.config.model.Interface;
import dev.vpnrouter.config.model.IpLocalPool;
import dev.vpnrouter.config.model.IsakmpProfile;
import dev.vpnrouter.config.model.Keyring;
import dev.vpnrouter.config.model.LineBlock;
import dev.vpnrouter.config.model.MapEntry;
import dev.vpnrouter.config.model.MatchIdentity;
import dev.vpnrouter.config.model.PassiveLine;
import dev.vpnrouter.config.model.PreSharedKey;
import dev.vpnrouter.config.model.RouterConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a parsed configuration for what the syntax cannot see. Every finding points at the line (and the
 * argument) it is about.
 * <ul>
 * <li>Errors: a reference to something not defined (keyring, ISAKMP profile, transform set, dynamic map, crypto
 * map, ip local pool, access list, AAA method list, client configuration group for {@code match identity group});
 * AAA method lists without {@code aaa new-model}.</li>
 * <li>Warnings: a static crypto map entry numbered after a dynamic entry of the same map (the dynamic entry matches
 * every peer first, so the static peer never matches); static entries without peer, ACL or transform set and
 * dynamic-map entries without transform set (IOS keeps them disabled); a crypto ACL that is not extended;
 * overlapping {@code ip local pool} ranges; two profiles matching the same identity; a client group without key;
 * and the keyring/profile overlaps below.</li>
 * <li>Warnings about Aggressive Mode (see {@link KeyStrength}): a weak client group key; a weak pre-shared key for
 * a wide range of peers while Aggressive Mode is enabled; an ISAKMP profile that does not require Xauth while
 * Aggressive Mode is enabled. Aggressive Mode answers its first message with a hash keyed by the pre-shared key,
 * to anyone who names a matching identity: ike-scan collects it and psk-crack recovers weak keys offline. Xauth
 * then still stands between a cracked group key and the network; without Xauth nothing does.</li>
 * <li>Notes: every line accepted but not acted on.</li>
 * </ul>
 *
 * <p><b>Keyrings and profiles matching the same peer.</b> In Main Mode the responder must pick the pre-shared key
 * from the peer's address before it sees the peer's identity, so the key cannot come from "the profile's keyring".
 * vpnrouter's lookup (see {@code policy.PskTable}) is: the longest matching {@code pre-shared-key address} over all
 * {@code crypto keyring}s (on equal masks the keyring defined first), and only when no keyring matches, the longest
 * matching {@code crypto isakmp key}. Three warnings follow from that rule:
 * <ol>
 * <li>a {@code crypto isakmp key} whose peers are all covered by a keyring entry is never used;</li>
 * <li>two keyrings with a key for the same address and mask: the second is never used;</li>
 * <li>a profile with {@code keyring K} and {@code match identity address A M} where some of those peers get their
 * key from another keyring (or from {@code crypto isakmp key}): the profile matches, but the key was not K's.</li>
 * </ol>
 */
public final class ConfigChecker {
    private final RouterConfig c;
    private final SourceMap s;
    private final List<Diagnostic> out = new ArrayList<>();

    private final Map<String, AccessList> acls = new HashMap<>();
    private final Set<String> transformSets = new HashSet<>();
    private final Set<String> dynamicMaps = new HashSet<>();
    private final Set<String> cryptoMaps = new HashSet<>();

    private ConfigChecker(RouterConfig config, SourceMap source) {
        this.c = config;
        this.s = source;
        config.accessLists().forEach(a -> acls.putIfAbsent(a.name(), a));
        config.transformSets().forEach(t -> transformSets.add(t.name()));
        config.dynamicMaps().forEach(m -> dynamicMaps.add(m.name()));
        config.cryptoMaps().forEach(m -> cryptoMaps.add(m.name()));
    }

    /** Every finding, in no particular order (the loader sorts). */
    public static List<Diagnostic> check(RouterConfig config, SourceMap source) {
        ConfigChecker k = new ConfigChecker(config, source);
        k.references();
        k.cryptoMaps();
        k.keys();
        k.profiles();
        k.misc();
        k.aggressiveMode();
        k.passive();
        return k.out;
    }

    private void error(Where w, String message) {
        out.add(Diagnostic.error(w.line(), w.column(), message));
    }

    private void warning(Where w, String message) {
        out.add(Diagnostic.warning(w.line(), w.column(), message));
    }

    private void note(Where w, String message) {
        out.add(Diagnostic.note(w.line(), w.column(), message));
    }

    private static String q(String name) {
        return "\"" + name + "\"";
    }

    // ---- references

    private void references() {
        Set<String> keyrings = names(c.keyrings().stream().map(Keyring::name).toList());
        Set<String> profiles = names(c.isakmpProfiles().stream().map(IsakmpProfile::name).toList());
        Set<String> groups = names(c.clientGroups().stream().map(ClientGroup::name).toList());
        Set<String> pools = names(c.localPools().stream().map(IpLocalPool::name).toList());
        Set<String> aclNames = acls.keySet();
        Set<String> login = names(c.aaa().authenticationLogin().stream().map(AaaMethodList::name).toList());
        Set<String> network = names(c.aaa().authorizationNetwork().stream().map(AaaMethodList::name).toList());
        Set<String> accounting = names(c.aaa().accountingNetwork().stream().map(AaaMethodList::name).toList());

        for (IsakmpProfile p : c.isakmpProfiles()) {
            String by = " (crypto isakmp profile " + p.name() + ")";
            p.keyring().filter(k -> !keyrings.contains(k)).ifPresent(k ->
                    error(s.at(p, "keyring"), "keyring " + q(k) + " is not defined" + by));
            p.clientAuthenticationList().filter(l -> !login.contains(l)).ifPresent(l ->
                    error(s.at(p, "client-authentication-list"), "AAA list " + q(l)
                            + " is not defined: add 'aaa authentication login " + l + " local'" + by));
            p.isakmpAuthorizationList().filter(l -> !network.contains(l)).ifPresent(l ->
                    error(s.at(p, "isakmp-authorization-list"), "AAA list " + q(l)
                            + " is not defined: add 'aaa authorization network " + l + " local'" + by));
            p.clientAccountingList().filter(l -> !accounting.contains(l)).ifPresent(l ->
                    error(s.at(p, "client-accounting-list"), "AAA list " + q(l)
                            + " is not defined: add 'aaa accounting network " + l + " start-stop group radius'" + by));
            // A group may live on AAA servers only: the profile's isakmp authorization list asks them for it.
            boolean serversGiveGroups = p.isakmpAuthorizationList().flatMap(l -> c.aaa().authorizationNetwork()
                    .stream().filter(x -> x.name().equals(l)).findFirst())
                    .map(x -> AaaMethod.asksServers(x.methods())).orElse(false);
            for (MatchIdentity m : p.matches()) {
                if (m instanceof MatchIdentity.Group(String g) && !groups.contains(g) && !serversGiveGroups) {
                    error(s.at(m, "name"), "match identity group " + g + ": no crypto isakmp client configuration "
                            + "group " + q(g) + " is defined" + by);
                }
            }
        }
        for (ClientGroup g : c.clientGroups()) {
            String by = " (crypto isakmp client configuration group " + g.name() + ")";
            g.pool().filter(p -> !pools.contains(p)).ifPresent(p ->
                    error(s.at(g, "pool"), "ip local pool " + q(p) + " is not defined" + by));
            g.acl().filter(a -> !aclNames.contains(a)).ifPresent(a ->
                    error(s.at(g, "acl"), "access list " + q(a) + " is not defined" + by));
        }
        for (LineBlock l : c.lines()) {
            l.login().flatMap(LineBlock.Login::list).filter(n -> !login.contains(n)).ifPresent(n ->
                    error(s.at(l, "login-list"), "AAA list " + q(n) + " is not defined (line "
                            + l.kind().keyword() + ")"));
        }
        for (Interface i : c.interfaces()) {
            i.cryptoMap().filter(m -> !cryptoMaps.contains(m)).ifPresent(m ->
                    error(s.at(i, "crypto-map"), "crypto map " + q(m) + " is not defined (interface "
                            + i.name() + ")"));
        }
        for (DynamicMap m : c.dynamicMaps()) {
            for (MapEntry e : m.entries()) {
                entryReferences(e, "crypto dynamic-map " + m.name() + " " + e.sequence(), profiles, aclNames);
            }
        }
        for (CryptoMap m : c.cryptoMaps()) {
            for (MapEntry e : m.entries()) {
                String title = "crypto map " + m.name() + " " + e.sequence();
                e.dynamicMap().filter(d -> !dynamicMaps.contains(d)).ifPresent(d ->
                        error(s.at(e, "dynamic"), "dynamic map " + q(d) + " is not defined (" + title + ")"));
                entryReferences(e, title, profiles, aclNames);
            }
        }
        loginGroups();
        if (!c.aaa().newModel()) {
            List<AaaMethodList> lists = new ArrayList<>(c.aaa().authenticationLogin());
            lists.addAll(c.aaa().authorizationNetwork());
            lists.addAll(c.aaa().accountingNetwork());
            for (AaaMethodList l : lists) {
                error(s.at(l), "aaa new-model is not configured: IOS rejects AAA method lists without it");
            }
        }
    }

    private void entryReferences(MapEntry e, String title, Set<String> profiles, Set<String> aclNames) {
        String by = " (" + title + ")";
        for (String t : e.transformSets()) {
            if (!transformSets.contains(t)) {
                error(s.at(e, "transform-set:" + t), "transform set " + q(t) + " is not defined" + by);
            }
        }
        e.isakmpProfile().filter(p -> !profiles.contains(p)).ifPresent(p ->
                error(s.at(e, "isakmp-profile"), "ISAKMP profile " + q(p) + " is not defined" + by));
        e.matchAddress().ifPresent(a -> {
            if (!aclNames.contains(a)) {
                error(s.at(e, "match-address"), "access list " + q(a) + " is not defined" + by);
            } else if (!hasUsablePermit(acls.get(a))) {
                error(s.at(e, "match-address"), "access list " + q(a) + " has no permit line with network "
                        + "wildcards: the entry would protect nothing, and a crypto access list never means any"
                        + by);
            } else if (acls.get(a).kind() != AccessList.Kind.EXTENDED) {
                warning(s.at(e, "match-address"), "access list " + q(a) + " is a standard list: a crypto access "
                        + "list must be extended to say which traffic goes to which side" + by);
            }
        });
    }

    /**
     * The servers a login list names: {@code group radius} or an {@code aaa group server radius}; an undefined
     * group, TACACS+ and {@code if-authenticated} fail every login (errors). A group left without a usable server can only ERROR, so the next method decides (IOS).
     */
    private void loginGroups() {
        RadiusGroups radius = RadiusGroups.of(c);
        for (AaaMethodList l : c.aaa().authenticationLogin()) {
            String head = "aaa authentication login " + l.name() + ": ";
            for (dev.vpnrouter.config.model.AaaMethod m : l.methods()) {
                if (m.kind() == dev.vpnrouter.config.model.AaaMethod.Kind.IF_AUTHENTICATED) {
                    error(s.at(l), head + "vpnrouter cannot serve method 'if-authenticated': it fails every login, "
                            + "and the methods after it are not tried");
                }
                if (m.kind() != dev.vpnrouter.config.model.AaaMethod.Kind.GROUP) {
                    continue;
                }
                String group = m.group().orElse("radius");
                Optional<RadiusGroups.Group> g = radius.group(group);
                if (g.isEmpty()) {
                    error(s.at(l), head + "'" + m.text() + "' names no RADIUS group (no aaa group server radius "
                            + group + "; TACACS+ is not served): it fails every login, and the methods after it "
                            + "are not tried");
                } else if (g.get().servers().isEmpty()) {
                    warning(s.at(l), head + "RADIUS group " + group + " has no server with an address and a key: "
                            + "it never answers, so the next method decides");
                }
            }
        }
        for (RadiusGroups.Problem p : radius.problems()) {
            warning(s.at(p.element()), p.text());
        }
    }

    /** A permit line that can be a Quick Mode selector (its wildcards are networks). */
    private static boolean hasUsablePermit(AccessList list) {
        for (AclEntry e : list.entries()) {
            boolean usable = switch (e) {
                case AclEntry.Standard st -> st.action() == AclEntry.Action.PERMIT && network(st.source());
                case AclEntry.Extended x -> x.action() == AclEntry.Action.PERMIT && network(x.source())
                        && network(x.destination());
                default -> false;
            };
            if (usable) {
                return true;
            }
        }
        return false;
    }

    private static boolean network(dev.vpnrouter.config.model.AddressWildcard a) {
        return dev.vpnrouter.common.Ipv4.isContiguousMask(~a.wildcard());
    }

    /** An entry bound to a profile that matches a client group: its peers' claims are their Mode Config address. */
    private boolean forVpnClients(MapEntry e) {
        return e.isakmpProfile().flatMap(name -> c.isakmpProfiles().stream().filter(p -> p.name().equals(name))
                .findFirst()).map(p -> p.matches().stream().anyMatch(m -> m instanceof
                        dev.vpnrouter.config.model.MatchIdentity.Group)).orElse(false);
    }

    private static Set<String> names(List<String> list) {
        return new HashSet<>(list);
    }

    // ---- crypto map entry order and completeness

    private void cryptoMaps() {
        for (CryptoMap m : c.cryptoMaps()) {
            MapEntry firstDynamic = null;
            for (MapEntry e : m.entries()) {
                if (e.isDynamic()) {
                    if (firstDynamic == null) {
                        firstDynamic = e;
                    }
                    continue;
                }
                String title = "crypto map " + m.name() + " " + e.sequence();
                if (firstDynamic != null) {
                    warning(s.at(e), "static entry " + title + " comes after dynamic entry " + firstDynamic.sequence()
                            + " (line " + s.lineOf(firstDynamic) + "), which accepts any peer first: this static "
                            + "peer never matches; give dynamic entries the highest sequence numbers");
                }
                if (e.peers().isEmpty()) {
                    warning(s.at(e), title + " has no 'set peer': IOS keeps the entry disabled");
                }
                if (e.matchAddress().isEmpty()) {
                    warning(s.at(e), title + " has no 'match address': IOS keeps the entry disabled");
                }
                if (e.transformSets().isEmpty()) {
                    warning(s.at(e), title + " has no 'set transform-set': IOS keeps the entry disabled");
                }
            }
        }
        for (DynamicMap m : c.dynamicMaps()) {
            for (MapEntry e : m.entries()) {
                if (e.transformSets().isEmpty()) {
                    warning(s.at(e), "crypto dynamic-map " + m.name() + " " + e.sequence()
                            + " has no 'set transform-set': it cannot accept any peer");
                }
                if (e.matchAddress().isEmpty() && !forVpnClients(e)) {
                    warning(s.at(e), "crypto dynamic-map " + m.name() + " " + e.sequence() + " has no 'match "
                            + "address': a peer may claim any network as its own except the default route, this "
                            + "router's connected and routed networks, its pools, outside addresses and networks "
                            + "other peers hold; 'match address' says which networks a spoke may bring");
                }
            }
        }
    }

    // ---- Aggressive Mode exposure

    /** Pre-shared keys for more peers than this prefix length covers are reachable by anyone in Aggressive Mode. */
    private static final int WIDE_PREFIX = 24;

    private static final String CRACK = "Aggressive Mode sends a hash of the key to anyone who asks (ike-scan), and "
            + "psk-crack recovers weak keys from it offline";

    private void aggressiveMode() {
        for (ClientGroup g : c.clientGroups()) {
            g.key().ifPresent(k -> {
                String why = KeyStrength.weakness(k);
                if (why != null) {
                    warning(s.at(g, "key"), "weak group key (crypto isakmp client configuration group " + g.name()
                            + "): " + why + ". " + CRACK + "; use a long random key");
                }
            });
        }
        if (c.isakmp().aggressiveModeDisabled()) {
            return;
        }
        List<PreSharedKey.ByAddress> wide = new ArrayList<>();
        for (Keyring k : c.keyrings()) {
            for (PreSharedKey key : k.keys()) {
                if (key instanceof PreSharedKey.ByAddress a && Integer.bitCount(a.mask()) < WIDE_PREFIX) {
                    wide.add(a);
                }
            }
        }
        for (PreSharedKey key : c.isakmpKeys()) {
            if (key instanceof PreSharedKey.ByAddress a && Integer.bitCount(a.mask()) < WIDE_PREFIX) {
                wide.add(a);
            }
        }
        for (PreSharedKey.ByAddress a : wide) {
            String why = KeyStrength.weakness(a.key());
            if (why != null) {
                warning(s.at(a), "weak pre-shared key for " + prefix(a) + " while Aggressive Mode is enabled: " + why
                        + ". " + CRACK + "; use a long random key, or 'crypto isakmp aggressive-mode disable'");
            }
        }
        for (IsakmpProfile p : c.isakmpProfiles()) {
            if (p.clientAuthenticationList().isEmpty() && !p.matches().isEmpty()) {
                warning(s.at(p), "Aggressive Mode is enabled and ISAKMP profile " + p.name() + " does not require "
                        + "Xauth: its peers' pre-shared keys are one offline crack away from a tunnel (" + CRACK
                        + "); add 'crypto isakmp aggressive-mode disable' if they use Main Mode, or 'client "
                        + "authentication list' if they are VPN clients");
            }
        }
        if (c.isakmpProfiles().isEmpty() && !wide.isEmpty()) {
            warning(s.at(wide.getFirst()), "Aggressive Mode is enabled and nothing requires Xauth: the pre-shared "
                    + "keys of these peers are one offline crack away from a tunnel (" + CRACK + "); add 'crypto "
                    + "isakmp aggressive-mode disable' if the peers use Main Mode");
        }
    }

    // ---- keyrings and global keys

    /** A keyring entry with where it lives, for the overlap checks. */
    private record KeyAt(PreSharedKey.ByAddress key, String keyring, int order) {
        int prefix() {
            return key.address() & key.mask();
        }

        boolean covers(int address, int mask) {
            return Integer.bitCount(key.mask()) <= Integer.bitCount(mask) && ((address ^ key.address()) & key.mask()) == 0;
        }

        String describe() {
            return keyring == null ? "crypto isakmp key" : "keyring " + keyring;
        }
    }

    private List<KeyAt> keyringEntries() {
        List<KeyAt> entries = new ArrayList<>();
        int order = 0;
        for (Keyring k : c.keyrings()) {
            for (PreSharedKey key : k.keys()) {
                if (key instanceof PreSharedKey.ByAddress a) {
                    entries.add(new KeyAt(a, k.name(), order++));
                }
            }
        }
        return entries;
    }

    /**
     * Keyring entries by exact prefix, to find the longest entry covering a prefix with one probe per length, and
     * sorted by address, to find the entries inside a prefix by binary search.
     */
    private static final class KeyIndex {
        final Map<Long, KeyAt> byPrefix = new HashMap<>();
        final java.util.TreeSet<Integer> lengths = new java.util.TreeSet<>();
        final List<KeyAt> byAddress;

        KeyIndex(List<KeyAt> entries) {
            for (KeyAt e : entries) {
                byPrefix.putIfAbsent(prefixKey(e.prefix(), e.key().mask()), e);
                lengths.add(Integer.bitCount(e.key().mask()));
            }
            byAddress = new ArrayList<>(entries);
            byAddress.sort((x, y) -> Integer.compareUnsigned(x.prefix(), y.prefix()));
        }

        /** The longest entry whose prefix contains all of {@code address/mask} (first defined on a tie). */
        KeyAt longestCovering(int address, int mask) {
            for (int len : lengths.headSet(Integer.bitCount(mask), true).descendingSet()) {
                int m = Ipv4.maskOf(len);
                KeyAt e = byPrefix.get(prefixKey(address & m, m));
                if (e != null) {
                    return e;
                }
            }
            return null;
        }

        /** Entries strictly more specific than {@code address/mask} and inside it, in address order. */
        List<KeyAt> inside(int address, int mask) {
            int low = address & mask;
            int high = low | ~mask;
            int lo = 0;
            int hi = byAddress.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (Integer.compareUnsigned(byAddress.get(mid).prefix(), low) < 0) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            List<KeyAt> out = new ArrayList<>();
            for (int i = lo; i < byAddress.size() && Integer.compareUnsigned(byAddress.get(i).prefix(), high) <= 0;
                 i++) {
                if (Integer.bitCount(byAddress.get(i).key().mask()) > Integer.bitCount(mask)) {
                    out.add(byAddress.get(i));
                }
            }
            return out;
        }
    }

    private void keys() {
        List<KeyAt> entries = keyringEntries();
        Map<Long, KeyAt> byPrefix = new HashMap<>();
        for (KeyAt e : entries) {
            KeyAt earlier = byPrefix.putIfAbsent(prefixKey(e.prefix(), e.key().mask()), e);
            if (earlier != null && !earlier.keyring().equals(e.keyring())) {
                warning(s.at(e.key()), "keyring " + e.keyring() + " and keyring " + earlier.keyring() + " (line "
                        + s.lineOf(earlier.key()) + ") both have a key for " + prefix(e.key()) + ": the key of "
                        + earlier.keyring() + " is used, this one never");
            }
        }
        KeyIndex index = new KeyIndex(entries);
        for (PreSharedKey k : c.isakmpKeys()) {
            if (k instanceof PreSharedKey.ByAddress a) {
                KeyAt covering = index.longestCovering(a.address(), a.mask());
                if (covering != null) {
                    warning(s.at(a), "crypto isakmp key for " + prefix(a) + " is never used: keyring "
                            + covering.keyring() + " (line " + s.lineOf(covering.key()) + ") covers these peers with "
                            + prefix(covering.key()) + ", and keyrings are searched before crypto isakmp key");
                }
            }
        }
    }

    private static long prefixKey(int prefix, int mask) {
        return ((long) prefix << 32) | (mask & 0xffffffffL);
    }

    private static String prefix(PreSharedKey.ByAddress a) {
        return Ipv4.format(a.address() & a.mask()) + "/" + Integer.bitCount(a.mask());
    }

    // ---- profiles

    private void profiles() {
        KeyIndex keyrings = new KeyIndex(keyringEntries());
        List<KeyAt> globals = new ArrayList<>();
        for (PreSharedKey k : c.isakmpKeys()) {
            if (k instanceof PreSharedKey.ByAddress a) {
                globals.add(new KeyAt(a, null, 0));
            }
        }
        KeyIndex global = new KeyIndex(globals);
        Map<MatchIdentity, IsakmpProfile> seen = new HashMap<>();
        for (IsakmpProfile p : c.isakmpProfiles()) {
            for (MatchIdentity m : p.matches()) {
                IsakmpProfile first = seen.putIfAbsent(m, p);
                if (first != null && first != p) {
                    warning(s.at(m), "crypto isakmp profile " + p.name() + " matches the same identity as profile "
                            + first.name() + " (line " + s.lineOf(first) + "): " + first.name() + " is used");
                }
                if (p.keyring().isEmpty() || !(m instanceof MatchIdentity.Address(int address, int mask))) {
                    continue;
                }
                String keyring = p.keyring().get();
                KeyAt source = keyrings.longestCovering(address, mask);
                if (source == null) {
                    source = global.longestCovering(address, mask);
                }
                if (source != null && !keyring.equals(source.keyring())) {
                    warning(s.at(m), profileKeyMessage(p, address, mask, source));
                    continue;
                }
                for (KeyAt inside : keyrings.inside(address, mask)) {
                    if (!inside.keyring().equals(keyring)) {
                        warning(s.at(m), profileKeyMessage(p, inside.prefix(), inside.key().mask(), inside));
                        break;
                    }
                }
            }
        }
    }

    private String profileKeyMessage(IsakmpProfile p, int address, int mask, KeyAt source) {
        return "crypto isakmp profile " + p.name() + " uses keyring " + p.keyring().orElseThrow() + ", but peers in "
                + Ipv4.format(address & mask) + "/" + Integer.bitCount(mask) + " get their Main Mode key from "
                + source.describe() + " (line " + s.lineOf(source.key()) + "): the key is chosen by address "
                + "before the profile is known";
    }

    // ---- pools, groups

    private void misc() {
        List<IpLocalPool> pools = new ArrayList<>(c.localPools());
        pools.sort((x, y) -> Integer.compareUnsigned(x.first(), y.first()));
        for (int i = 1; i < pools.size(); i++) {
            IpLocalPool prev = pools.get(i - 1);
            IpLocalPool p = pools.get(i);
            if (Integer.compareUnsigned(p.first(), prev.last()) <= 0) {
                IpLocalPool later = s.lineOf(p) >= s.lineOf(prev) ? p : prev;
                IpLocalPool other = later == p ? prev : p;
                warning(s.at(later), "ip local pool " + later.name() + " " + Ipv4.format(later.first()) + " "
                        + Ipv4.format(later.last()) + " overlaps pool " + other.name() + " (line " + s.lineOf(other)
                        + "): an address could be handed out twice");
            }
        }
        for (ClientGroup g : c.clientGroups()) {
            if (g.key().isEmpty()) {
                warning(s.at(g), "client configuration group " + g.name() + " has no key: VPN clients of this group"
                        + " cannot authenticate with a pre-shared key");
            }
        }
    }

    // ---- not acted on

    private void passive() {
        for (PassiveLine p : c.passive()) {
            int under = p.body().size();
            // A banner's text spans lines: its first line names it.
            String text = p.text().contains("\n") ? p.text().substring(0, p.text().indexOf('\n')) + " ..." : p.text();
            note(s.at(p), "not acted on: " + text + switch (under) {
                case 0 -> "";
                case 1 -> " (and the line under it)";
                default -> " (and the " + under + " lines under it)";
            });
        }
        for (Interface i : c.interfaces()) {
            for (PassiveLine p : i.passive()) {
                note(s.at(p), "not acted on: " + p.text() + " (interface " + i.name() + ")");
            }
        }
        for (LineBlock l : c.lines()) {
            String name = "line " + l.kind().keyword() + " " + l.first() + (l.last() != l.first() ? " " + l.last()
                    : "");
            if (l.kind() != LineBlock.Kind.VTY) {
                note(s.at(l), "not acted on: " + name + " (only vty lines are served)");
            }
            for (PassiveLine p : l.passive()) {
                note(s.at(p), "not acted on: " + p.text() + " (" + name + ")");
            }
        }
    }
}
