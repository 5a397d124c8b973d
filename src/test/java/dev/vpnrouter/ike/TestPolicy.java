package dev.vpnrouter.ike;

import dev.vpnrouter.config.model.AaaMethod;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.cfg.AddressPoolConfig;
import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.ClientGroup;
import dev.vpnrouter.ike.cfg.EnginePolicy;
import dev.vpnrouter.ike.cfg.EspProposal;
import dev.vpnrouter.ike.cfg.IkeProposal;
import dev.vpnrouter.ike.cfg.LocalUser;
import dev.vpnrouter.ike.cfg.PeerProfile;
import dev.vpnrouter.ike.cfg.PresharedKey;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.ike.crypto.HashAlgorithm;
import dev.vpnrouter.ike.wire.IdPayload;
import dev.vpnrouter.ike.wire.IdType;
import dev.vpnrouter.ike.wire.IpsecAttribute;
import dev.vpnrouter.ike.wire.Phase1Attribute;
import dev.vpnrouter.ike.wire.TransformId;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Hand-built engine policies shaped like the seed's hub and spoke configs, for engine tests. */
final class TestPolicy implements EnginePolicy {
    static final IkeProposal POLICY_10 = new IkeProposal(10, Phase1Attribute.Encryption.TRIPLE_DES_CBC, 0,
            HashAlgorithm.SHA1, Phase1Attribute.AuthMethod.PRE_SHARED_KEY, 2, 86_400);
    static final EspProposal MYSET = new EspProposal("myset", TransformId.Esp.ESP_3DES, 0,
            IpsecAttribute.AuthAlgorithm.HMAC_SHA, true);

    String hostname = "Router";
    List<IkeProposal> proposals = new ArrayList<>(List.of(POLICY_10));
    /** (address, mask, key, keyring[, no-xauth]) entries, longest mask first. */
    final List<Object[]> keys = new ArrayList<>();
    final List<Object[]> profiles = new ArrayList<>();
    final List<ChildPolicy> map = new ArrayList<>();
    int dpd;
    /** crypto isakmp client configuration group NAME, by name. */
    final Map<String, ClientGroup> groups = new HashMap<>();
    /** username NAME ..., by name. */
    final Map<String, LocalUser> users = new HashMap<>();
    /** aaa authentication login LIST methods... */
    final Map<String, List<AaaMethod>> loginLists = new HashMap<>();
    /** aaa authorization network NAME ... */
    final Map<String, List<AaaMethod>> networkLists = new HashMap<>();
    /** aaa accounting network NAME start-stop ... */
    final Map<String, List<AaaMethod>> accountingLists = new HashMap<>();
    /** aaa accounting update periodic N. */
    int accountingPeriodicMinutes;
    /** ip local pool NAME ..., by name. */
    final Map<String, AddressPoolConfig> pools = new HashMap<>();
    int xauthTimeoutSeconds = 60;
    boolean aggressiveModeDisabled;
    dev.vpnrouter.ike.cfg.PeerLimits peerLimits = dev.vpnrouter.ike.cfg.PeerLimits.DEFAULT;
    int inNegotiationLimit = EnginePolicy.DEFAULT_IN_NEGOTIATION_LIMIT;
    /** How often a password was checked against the users (what hashing would cost). */
    int authentications;
    String applicationVersion = "Cisco IOS Software compatible vpnrouter";

    static final int HUB_POOL_FIRST = Ipv4.parse("10.5.5.1");
    static final int HUB_POOL_LAST = Ipv4.parse("10.5.5.254");

    static TestPolicy seedHub() {
        TestPolicy p = new TestPolicy();
        p.hostname = "Hub";
        p.keys.add(new Object[] {0, 0, "cisco123", "spokes"});
        // hub.cfg: crypto isakmp profile VPNclient / match identity group testgroup / client authentication list
        // clientauth / isakmp authorization list groupauthor / client configuration address respond
        p.profiles.add(new Object[] {new PeerProfile("VPNclient", null, true, "testgroup", false, 0, 0, "clientauth",
                true), "group", "testgroup"});
        p.profiles.add(new Object[] {new PeerProfile("L2L", "spokes", false, null, false, 0, 0), "address", 0, 0});
        p.map.add(new ChildPolicy("mymap", 10, true, "dynmap", 5, List.of(), List.of(), null, List.of(MYSET), 0, 0,
                0, "VPNclient", false));
        p.map.add(new ChildPolicy("mymap", 10, true, "dynmap", 10, List.of(), List.of(), null, List.of(MYSET), 0, 0,
                0, "L2L", false));
        // crypto isakmp client configuration group testgroup: key cisco321, dns 1.1.1.1 2.2.2.2,
        // wins 3.3.3.3 4.4.4.4, domain cisco.com, pool ippool
        p.groups.put("testgroup", ClientGroup.basic("testgroup", "cisco321".getBytes(StandardCharsets.US_ASCII),
                List.of(Ipv4.parse("1.1.1.1"), Ipv4.parse("2.2.2.2")),
                List.of(Ipv4.parse("3.3.3.3"), Ipv4.parse("4.4.4.4")), "cisco.com", "ippool"));
        // username gfullage password 7 0201024E070A0E2649 (type 7 of "gfullage")
        p.users.put("gfullage", new LocalUser("gfullage", LocalUser.TYPE7, "0201024E070A0E2649"));
        // aaa authentication login clientauth local
        p.loginLists.put("clientauth", List.of(AaaMethod.of(AaaMethod.Kind.LOCAL)));
        // ip local pool ippool 10.5.5.1 10.5.5.254
        p.pools.put("ippool", AddressPoolConfig.of("ippool", HUB_POOL_FIRST, HUB_POOL_LAST));
        return p;
    }

    /** A VPN client host: no keys, profiles or crypto map of its own; its connection comes from a profile. */
    static TestPolicy client() {
        TestPolicy p = new TestPolicy();
        p.hostname = "Client";
        return p;
    }

    static TestPolicy seedSpoke(int hub, String acl) {
        TestPolicy p = new TestPolicy();
        p.hostname = "Spoke";
        p.keys.add(new Object[] {hub, -1, "cisco123", "default"});
        String[] parts = acl.split(" ");
        TrafficSelector local = TrafficSelector.subnet(Ipv4.parse(parts[0]), Ipv4.parse(parts[1]));
        TrafficSelector remote = TrafficSelector.subnet(Ipv4.parse(parts[2]), Ipv4.parse(parts[3]));
        p.map.add(new ChildPolicy("mymap", 10, false, null, 0, List.of(hub),
                ChildPolicy.permits(List.of(new ChildPolicy.SelectorPair(local, remote))), "100", List.of(MYSET), 0, 0, 0, null, false));
        return p;
    }

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
        for (Object[] k : keys) {
            int mask = (int) k[1];
            if ((peerAddress & mask) == ((int) k[0] & mask)) {
                return new PresharedKey(((String) k[2]).getBytes(StandardCharsets.UTF_8), (String) k[3],
                        k.length > 4 && (boolean) k[4]);
            }
        }
        return null;
    }

    @Override
    public boolean profilesConfigured() {
        return !profiles.isEmpty();
    }

    @Override
    public PeerProfile profileFor(IdPayload identity, int peerAddress) {
        for (Object[] entry : profiles) {
            PeerProfile profile = (PeerProfile) entry[0];
            switch ((String) entry[1]) {
                case "group" -> {
                    if (identity.idType() == IdType.KEY_ID && identity.text().equals(entry[2])) {
                        return profile;
                    }
                }
                case "address" -> {
                    int mask = (int) entry[3];
                    if (identity.idType() == IdType.IPV4_ADDR && (identity.ipv4Address() & mask) == ((int) entry[2]
                            & mask)) {
                        return profile;
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
        return null;
    }

    @Override
    public List<AaaMethod> accountingMethods(String list) {
        return accountingLists.getOrDefault(list, List.of());
    }

    @Override
    public int accountingPeriodicMinutes() {
        return accountingPeriodicMinutes;
    }

    @Override
    public List<AaaMethod> networkMethods(String list) {
        return networkLists.getOrDefault(list, List.of());
    }

    @Override
    public List<ChildPolicy> cryptoMap() {
        return List.copyOf(map); // a new list: tests change the map in place, and the engine must see it
    }

    @Override
    public int dpdIntervalSeconds() {
        return dpd;
    }

    @Override
    public ClientGroup clientGroup(String name) {
        return groups.get(name);
    }

    @Override
    public LocalUser localUser(String name) {
        for (LocalUser u : users.values()) {
            if (u.name().equalsIgnoreCase(name)) {
                return u;
            }
        }
        return null;
    }

    @Override
    public List<AaaMethod> loginMethods(String list) {
        return loginLists.getOrDefault(list, List.of());
    }

    @Override
    public AddressPoolConfig addressPool(String name) {
        return pools.get(name);
    }

    @Override
    public List<String> addressPoolNames() {
        return pools.keySet().stream().sorted().toList();
    }

    @Override
    public int xauthTimeoutSeconds() {
        return xauthTimeoutSeconds;
    }

    @Override
    public boolean authenticate(String list, String user, String password) {
        authentications++;
        return EnginePolicy.super.authenticate(list, user, password);
    }

    @Override
    public int inNegotiationLimit() {
        return inNegotiationLimit;
    }

    @Override
    public dev.vpnrouter.ike.cfg.PeerLimits peerLimits() {
        return peerLimits;
    }

    @Override
    public boolean aggressiveModeDisabled() {
        return aggressiveModeDisabled;
    }

    @Override
    public String applicationVersion() {
        return applicationVersion;
    }
}
