package dev.vpnrouter.cli;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.ConfigWriter;
import dev.vpnrouter.config.model.AccessList;
import dev.vpnrouter.config.model.AclEntry;
import dev.vpnrouter.config.model.CryptoMap;
import dev.vpnrouter.config.model.DhGroupId;
import dev.vpnrouter.config.model.DynamicMap;
import dev.vpnrouter.config.model.IkeAuthentication;
import dev.vpnrouter.config.model.IkeEncryption;
import dev.vpnrouter.config.model.IkeHash;
import dev.vpnrouter.config.model.IpLocalPool;
import dev.vpnrouter.config.model.IpsecGlobals;
import dev.vpnrouter.config.model.IpsecMode;
import dev.vpnrouter.config.model.IsakmpPolicy;
import dev.vpnrouter.config.model.IsakmpProfile;
import dev.vpnrouter.config.model.MapEntry;
import dev.vpnrouter.config.model.MapPeer;
import dev.vpnrouter.config.model.MatchIdentity;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.config.model.TransformSet;
import dev.vpnrouter.ike.AddressPool;
import dev.vpnrouter.ike.ChildSa;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The show commands that print configuration as IOS 12.4 lays it out: {@code show crypto isakmp policy},
 * {@code show crypto isakmp profile}, {@code show crypto ipsec transform-set}, {@code show crypto map},
 * {@code show crypto dynamic-map}, {@code show ip local pool}. Pure functions of the configuration model (and,
 * where IOS mixes in run-time state, of the SAs and pools).
 */
final class CryptoConfigShow {
    private CryptoConfigShow() {
    }

    /** {@code show crypto isakmp policy}: the configured suites by priority, then IOS's default suite. */
    static String isakmpPolicy(RouterConfig c) {
        StringBuilder sb = new StringBuilder("\nGlobal IKE policy\n");
        List<IsakmpPolicy> policies = new ArrayList<>(c.isakmpPolicies());
        policies.sort((a, b) -> Integer.compare(a.priority(), b.priority()));
        for (IsakmpPolicy p : policies) {
            sb.append("Protection suite of priority ").append(p.priority()).append('\n');
            suite(sb, p);
        }
        sb.append("Default protection suite\n");
        suite(sb, IsakmpPolicy.defaults(65536));
        return sb.toString();
    }

    private static void suite(StringBuilder sb, IsakmpPolicy p) {
        sb.append("\tencryption algorithm:\t").append(encryption(p.encryption())).append('\n');
        sb.append("\thash algorithm:\t\t").append(hash(p.hash())).append('\n');
        sb.append("\tauthentication method:\t").append(authentication(p.authentication())).append('\n');
        sb.append("\tDiffie-Hellman group:\t").append(group(p.group())).append('\n');
        sb.append("\tlifetime:\t\t").append(p.lifetimeSeconds()).append(" seconds, no volume limit\n");
    }

    static String encryption(IkeEncryption e) {
        return switch (e) {
            case DES -> "DES - Data Encryption Standard (56 bit keys).";
            case TRIPLE_DES -> "Three key triple DES";
            case AES_128, AES_192, AES_256 -> "AES - Advanced Encryption Standard (" + e.keyBits() + " bit keys).";
        };
    }

    static String hash(IkeHash h) {
        return switch (h) {
            case MD5 -> "Message Digest 5";
            case SHA -> "Secure Hash Standard";
            case SHA256 -> "Secure Hash Standard 2 (256 bit)";
            case SHA384 -> "Secure Hash Standard 2 (384 bit)";
            case SHA512 -> "Secure Hash Standard 2 (512 bit)";
        };
    }

    static String authentication(IkeAuthentication a) {
        return switch (a) {
            case PRE_SHARE -> "Pre-Shared Key";
            case RSA_SIG -> "Rivest-Shamir-Adleman Signature";
            case RSA_ENCR -> "Rivest-Shamir-Adleman Encryption";
        };
    }

    static String group(DhGroupId g) {
        String bits = switch (g) {
            case GROUP1 -> "768 bit";
            case GROUP2 -> "1024 bit";
            case GROUP5 -> "1536 bit";
            case GROUP14 -> "2048 bit";
            case GROUP15 -> "3072 bit";
            case GROUP16 -> "4096 bit";
            case GROUP19 -> "256 bit ecp";
            case GROUP20 -> "384 bit ecp";
            case GROUP21 -> "521 bit ecp";
            case GROUP24 -> "2048 bit, 256 bit subgroup";
        };
        return "#" + g.number() + " (" + bits + ")";
    }

    /** {@code show crypto isakmp profile}. */
    static String isakmpProfile(RouterConfig c) {
        StringBuilder sb = new StringBuilder();
        for (IsakmpProfile p : c.isakmpProfiles()) {
            sb.append("ISAKMP PROFILE ").append(p.name()).append('\n');
            p.description().ifPresent(d -> sb.append("   Description: ").append(d).append('\n'));
            sb.append("   Identities matched are:\n");
            for (MatchIdentity m : p.matches()) {
                sb.append("    ").append(identity(m)).append('\n');
            }
            sb.append("   Certificate maps matched are:\n");
            sb.append("   keyring(s): ").append(p.keyring().orElse("<none>")).append('\n');
            sb.append("   trustpoint(s): <all>\n");
            p.clientAuthenticationList().ifPresent(l -> sb.append("   Client authentication list: ").append(l)
                    .append('\n'));
            p.isakmpAuthorizationList().ifPresent(l -> sb.append("   ISAKMP authorization list: ").append(l)
                    .append('\n'));
            if (p.clientConfigurationRespond() || p.clientConfigurationInitiate()) {
                sb.append("   Client configuration address: ")
                        .append(p.clientConfigurationInitiate() ? "initiate" : "")
                        .append(p.clientConfigurationInitiate() && p.clientConfigurationRespond() ? " " : "")
                        .append(p.clientConfigurationRespond() ? "respond" : "").append('\n');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String identity(MatchIdentity m) {
        return switch (m) {
            case MatchIdentity.Address a -> "ip-address " + Ipv4.format(a.address())
                    + (a.mask() == 0 || a.mask() == -1 ? "" : " " + Ipv4.format(a.mask()));
            case MatchIdentity.Group g -> "group " + g.name();
            case MatchIdentity.Host h -> "fqdn " + h.fqdn();
            case MatchIdentity.HostDomain h -> "fqdn domain " + h.domain();
            case MatchIdentity.User u -> "user-fqdn " + u.fqdn();
            case MatchIdentity.UserDomain u -> "user-fqdn domain " + u.domain();
        };
    }

    /** {@code show crypto ipsec transform-set}. */
    static String transformSets(RouterConfig c) {
        StringBuilder sb = new StringBuilder();
        for (TransformSet t : c.transformSets()) {
            sb.append("Transform set ").append(t.name()).append(": { ").append(transforms(t)).append("  }\n");
            sb.append("   will negotiate = { ").append(t.mode() == IpsecMode.TUNNEL ? "Tunnel" : "Transport")
                    .append(",  },\n\n");
        }
        return sb.toString();
    }

    private static String transforms(TransformSet t) {
        List<String> words = new ArrayList<>();
        t.cipher().ifPresent(x -> words.add(x.keyword()));
        t.integrity().ifPresent(x -> words.add(x.keyword()));
        return String.join(" ", words);
    }

    /**
     * {@code show crypto map [tag M]}: each entry with its peers, ACL, current peer (from the live SAs), lifetime,
     * PFS and transform sets, then the interfaces using the map.
     */
    /** The engine's current peer of a static entry by map name and sequence, 0 when not known. */
    interface CurrentPeers {
        int of(String mapName, int sequence);
    }

    static String cryptoMaps(RouterConfig c, List<ChildSa> children, CurrentPeers current, String onlyMap) {
        StringBuilder sb = new StringBuilder();
        for (CryptoMap m : c.cryptoMaps()) {
            if (onlyMap != null && !m.name().equals(onlyMap)) {
                continue;
            }
            for (MapEntry e : m.entries()) {
                sb.append("Crypto Map \"").append(m.name()).append("\" ").append(e.sequence())
                        .append(" ipsec-isakmp\n");
                if (e.dynamicMap().isPresent()) {
                    sb.append("\tDynamic map template tag: ").append(e.dynamicMap().get()).append('\n');
                } else {
                    e.description().ifPresent(d -> sb.append("\tDescription: ").append(d).append('\n'));
                    for (MapPeer p : e.peers()) {
                        sb.append("\tPeer = ").append(peer(p)).append('\n');
                    }
                    int peer = current.of(m.name(), e.sequence());
                    entryBody(sb, c, e, peer != 0 ? peer : currentPeer(children, m.name(), e.sequence(), e));
                }
            }
            sb.append("\tInterfaces using crypto map ").append(m.name()).append(":\n");
            c.interfaces().stream().filter(i -> i.cryptoMap().map(m.name()::equals).orElse(false))
                    .forEach(i -> sb.append("\t\t").append(i.name()).append('\n'));
            sb.append('\n');
        }
        return sb.toString();
    }

    /** {@code show crypto dynamic-map [tag M]}. */
    static String dynamicMaps(RouterConfig c, String onlyMap) {
        StringBuilder sb = new StringBuilder();
        for (DynamicMap m : c.dynamicMaps()) {
            if (onlyMap != null && !m.name().equals(onlyMap)) {
                continue;
            }
            for (MapEntry e : m.entries()) {
                sb.append("Crypto Map Template\"").append(m.name()).append("\" ").append(e.sequence()).append('\n');
                entryBody(sb, c, e, 0);
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private static void entryBody(StringBuilder sb, RouterConfig c, MapEntry e, int currentPeer) {
        e.isakmpProfile().ifPresent(p -> sb.append("\tISAKMP Profile: ").append(p).append('\n'));
        if (e.matchAddress().isPresent()) {
            String name = e.matchAddress().get();
            AccessList acl = c.accessList(name).orElse(null);
            sb.append('\t').append(acl != null && acl.kind() == AccessList.Kind.STANDARD ? "Standard" : "Extended")
                    .append(" IP access list ").append(name).append('\n');
            if (acl != null) {
                for (AclEntry line : acl.entries()) {
                    if (!(line instanceof AclEntry.Remark)) {
                        sb.append("\t    access-list ").append(name).append(' ').append(ConfigWriter.aclEntry(line))
                                .append('\n');
                    }
                }
            }
        } else {
            sb.append("\tNo matching address list set.\n");
        }
        sb.append("\tCurrent peer: ").append(Ipv4.format(currentPeer)).append('\n');
        int seconds = e.lifetimeSeconds().orElse(c.ipsec().lifetimeSeconds());
        long kilobytes = e.lifetimeKilobytes().orElse(c.ipsec().lifetimeKilobytes());
        sb.append("\tSecurity association lifetime: ")
                .append(kilobytes == IpsecGlobals.KILOBYTES_DISABLED ? "disabled" : Long.toString(kilobytes))
                .append(" kilobytes/").append(seconds).append(" seconds\n");
        sb.append("\tPFS (Y/N): ").append(e.pfs().isPresent() ? "Y" : "N").append('\n');
        e.pfs().ifPresent(g -> sb.append("\tDH group:  group").append(g.number()).append('\n'));
        sb.append("\tTransform sets={ \n");
        for (String t : e.transformSets()) {
            sb.append("\t\t").append(t).append(",\n");
        }
        sb.append("\t}\n");
        if (e.reverseRoute()) {
            sb.append("\tReverse Route Injection Enabled\n");
        }
    }

    private static int currentPeer(List<ChildSa> children, String map, int sequence, MapEntry e) {
        for (ChildSa child : children.reversed()) {
            if (child.policy() != null && child.policy().mapName().equals(map) && child.policy().sequence() == sequence
                    && !child.policy().dynamic()) {
                return child.peerAddress();
            }
        }
        for (MapPeer p : e.peers()) {
            if (p instanceof MapPeer.Address a) {
                return a.address();
            }
        }
        return 0;
    }

    private static String peer(MapPeer p) {
        return switch (p) {
            case MapPeer.Address a -> Ipv4.format(a.address());
            case MapPeer.Hostname h -> h.hostname();
        };
    }

    /** {@code show ip local pool}: each pool's ranges with free and used addresses, then who holds what. */
    static String ipLocalPools(RouterConfig c, Function<String, AddressPool> pools, String onlyPool) {
        Map<String, List<IpLocalPool>> byName = new LinkedHashMap<>();
        for (IpLocalPool p : c.localPools()) {
            byName.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p);
        }
        StringBuilder sb = new StringBuilder();
        if (onlyPool == null) {
            sb.append(String.format(" %-24s %-15s %-15s %4s %7s%n", "Pool", "Begin", "End", "Free", "In use"));
        }
        for (Map.Entry<String, List<IpLocalPool>> e : byName.entrySet()) {
            if (onlyPool != null && !e.getKey().equals(onlyPool)) {
                continue;
            }
            if (onlyPool != null) {
                sb.append(String.format(" %-24s %-15s %-15s %4s %7s%n", "Pool", "Begin", "End", "Free", "In use"));
            }
            AddressPool run = pools.apply(e.getKey());
            String name = e.getKey();
            for (IpLocalPool range : e.getValue()) {
                long size = Integer.toUnsignedLong(range.last()) - Integer.toUnsignedLong(range.first()) + 1;
                long used = 0;
                if (run != null) {
                    used = e.getValue().size() == 1 ? run.inUse() : usedIn(run, range);
                }
                sb.append(String.format(" %-24s %-15s %-15s %4d %7d%n", name, Ipv4.format(range.first()),
                        Ipv4.format(range.last()), size - used, used));
                name = "";
            }
            if (onlyPool != null && run != null && run.inUse() > 0) {
                sb.append("Inuse addresses:\n");
                for (IpLocalPool range : e.getValue()) {
                    for (long a = Integer.toUnsignedLong(range.first()); a <= Integer.toUnsignedLong(range.last());
                            a++) {
                        String owner = run.owner((int) a);
                        if (owner != null) {
                            sb.append(String.format("    %-15s %s%n", Ipv4.format((int) a), owner));
                        }
                    }
                }
            }
        }
        return sb.toString();
    }

    private static long usedIn(AddressPool pool, IpLocalPool range) {
        long n = 0;
        for (long a = Integer.toUnsignedLong(range.first()); a <= Integer.toUnsignedLong(range.last()); a++) {
            if (pool.isAllocated((int) a)) {
                n++;
            }
        }
        return n;
    }
}
