package dev.vpnrouter.sim;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.model.Interface;
import dev.vpnrouter.config.model.InterfaceAddress;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.IkeEffect;
import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.ConfigPolicy;

import java.util.ArrayList;
import java.util.List;

/**
 * Predicts whether the LAN-to-LAN tunnels two configurations describe will come up, by running the real engines
 * against each other on the simulated network, and says why not in the routers' own terms. Because it is the
 * running router's code, the prediction cannot disagree with the router.
 */
public final class TunnelPredictor {
    /** Where a spoke whose outside address comes from DHCP is placed (TEST-NET-2). */
    public static final int DEFAULT_DHCP_ADDRESS = Ipv4.parse("198.51.100.10");
    static final long VIRTUAL_DEADLINE_MILLIS = 120_000;

    /**
     * The outcome: up or not, one line per tunnel, the reasons each side gave for refusing, and warnings about what
     * comes up but may not do what was meant.
     */
    public record Verdict(boolean up, List<String> tunnels, List<String> reasons, List<String> warnings) {
        public Verdict(boolean up, List<String> tunnels, List<String> reasons) {
            this(up, tunnels, reasons, List.of());
        }
    }

    private TunnelPredictor() {
    }

    /** Whether the router starts tunnels itself: a static crypto map entry with a peer. */
    public static boolean initiates(RouterConfig config) {
        return new ConfigPolicy(config).cryptoMap().stream().anyMatch(e -> !e.dynamic() && !e.peers().isEmpty());
    }

    /**
     * Runs hub and spoke: the spoke initiates every selector pair of its static crypto map entries, as the first
     * matching packet would make it do.
     */
    public static Verdict predict(RouterConfig hubConfig, RouterConfig spokeConfig, int dhcpAddress) {
        ConfigPolicy hubPolicy = new ConfigPolicy(hubConfig);
        ConfigPolicy spokePolicy = new ConfigPolicy(spokeConfig);
        String hubName = hubPolicy.hostname();
        String spokeName = spokePolicy.hostname();
        List<String> reasons = new ArrayList<>();
        Integer hubAddress = outsideAddress(hubConfig, hubPolicy, null);
        Integer spokeAddress = outsideAddress(spokeConfig, spokePolicy, dhcpAddress);
        if (hubAddress == null) {
            reasons.add(hubName + ": no interface with a crypto map and an address: nothing listens for IKE");
        }
        if (spokeAddress == null) {
            reasons.add(spokeName + ": no interface with a crypto map: it never initiates");
        }
        List<ChildPolicy> initiating = spokePolicy.cryptoMap().stream()
                .filter(e -> !e.dynamic() && !e.peers().isEmpty()).toList();
        if (spokeAddress != null && initiating.isEmpty()) {
            reasons.add(spokeName + ": its crypto map has no static entry with a peer: it never initiates");
        }
        for (ChildPolicy e : initiating) {
            if (hubAddress != null && !e.peers().contains(hubAddress)) {
                reasons.add(spokeName + ": crypto map " + e.describe() + " sets peer "
                        + e.peers().stream().map(Ipv4::format).toList() + ", but " + hubName + "'s outside address is "
                        + Ipv4.format(hubAddress));
            }
            if (e.selectors().isEmpty()) {
                reasons.add(spokeName + ": crypto map " + e.describe() + " has no usable match address ACL");
            }
        }
        if (!reasons.isEmpty()) {
            return new Verdict(false, List.of(), reasons);
        }

        SimScheduler clock = new SimScheduler(0);
        SimNetwork net = new SimNetwork(clock, 1, FaultModel.PERFECT);
        SimRouter hub = new SimRouter(hubName, net, hubAddress, hubPolicy, 1);
        SimRouter spoke = new SimRouter(spokeName, net, spokeAddress, spokePolicy, 2);
        collectRefusals(hub, hubName, reasons);
        collectRefusals(spoke, spokeName, reasons);
        spoke.run(engine -> engine.connectAll(0));
        int expected = initiating.stream().mapToInt(e -> e.selectors().size()).sum();
        clock.runUntil(() -> spoke.children().size() >= expected && hub.children().size() >= expected,
                VIRTUAL_DEADLINE_MILLIS);
        // Let the last messages land (a refusal may follow the initiator's success).
        clock.runUntil(clock.now() + 2_000);

        List<String> tunnels = new ArrayList<>();
        boolean allUp = true;
        for (ChildPolicy e : initiating) {
            for (ChildPolicy.SelectorPair pair : e.selectors()) {
                ChildSa s = find(spoke.children(), pair.local().ios(), pair.remote().ios());
                ChildSa h = find(hub.children(), pair.remote().ios(), pair.local().ios());
                boolean up = s != null && h != null;
                allUp &= up;
                tunnels.add((up ? "UP   " : "DOWN ") + spokeName + " " + pair.local().ios() + " <-> " + hubName + " "
                        + pair.remote().ios() + (up ? " (" + s.transform().iosTransform() + ", " + hubName
                        + " crypto map " + h.policy().describe() + ")" : ""));
            }
        }
        if (!allUp && reasons.isEmpty()) {
            reasons.add("no answer: the negotiation did not finish in " + VIRTUAL_DEADLINE_MILLIS / 1000
                    + " s of virtual time");
        }
        return new Verdict(allUp, tunnels, allUp ? List.of() : List.copyOf(reasons),
                uncoveredHubNetworks(hubConfig, hubName, spokeName, initiating));
    }

    /**
     * The hub's inside networks (connected, outside the crypto map interface) that no permit line of the spoke's
     * entries toward it reaches: traffic from the spoke's LAN to them does not enter the tunnel.
     */
    static List<String> uncoveredHubNetworks(RouterConfig hubConfig, String hubName, String spokeName,
            List<ChildPolicy> initiating) {
        List<String> out = new ArrayList<>();
        for (Interface i : hubConfig.interfaces()) {
            if (i.shutdown() || i.cryptoMap().isPresent()
                    || !(i.address() instanceof InterfaceAddress.Static(int address, int mask))) {
                continue;
            }
            dev.vpnrouter.ike.cfg.TrafficSelector inside = dev.vpnrouter.ike.cfg.TrafficSelector.subnet(address, mask);
            for (ChildPolicy e : initiating) {
                boolean covered = e.selectors().stream().anyMatch(p -> inside.within(p.remote()));
                if (!covered) {
                    out.add(spokeName + ": crypto map " + e.describe() + (e.aclName() == null ? "" : " (ACL "
                            + e.aclName() + ")") + " does not cover " + hubName + "'s inside network "
                            + Ipv4.format(address & mask) + "/" + Ipv4.prefixLength(mask) + " of " + i.name()
                            + ": traffic to it does not enter the tunnel");
                }
            }
        }
        return out;
    }

    /** Where the predicted VPN client sits (RFC 2544 benchmark range: never a real peer). */
    public static final int CLIENT_ADDRESS = Ipv4.parse("198.18.0.2");

    /**
     * Runs the hub against a VPN client of {@code group} logging in as {@code user}, as the Cisco client would:
     * Aggressive Mode with the group key, Xauth, Mode Config, Quick Mode. {@code groupKey} null: the key the hub's
     * group has (the question is then whether the hub's configuration lets the client in); {@code password} null:
     * the user's password from the hub's config when it can be recovered (type 0 or 7).
     */
    public static Verdict predictClient(RouterConfig hubConfig, String group, String user, String password,
            String groupKey) {
        ConfigPolicy hubPolicy = new ConfigPolicy(hubConfig);
        String hubName = hubPolicy.hostname();
        List<String> reasons = new ArrayList<>();
        Integer hubAddress = outsideAddress(hubConfig, hubPolicy, null);
        if (hubAddress == null) {
            return new Verdict(false, List.of(), List.of(hubName
                    + ": no interface with a crypto map and an address: nothing listens for IKE"));
        }
        String key = groupKey;
        if (key == null) {
            key = hubConfig.clientGroup(group).flatMap(g -> g.key()).orElse(null);
            if (key == null) {
                reasons.add(hubName + ": " + (hubConfig.clientGroup(group).isPresent() ? "client configuration group "
                        + group + " has no key" : "no 'crypto isakmp client configuration group " + group + "'")
                        + "; predicting with a key the hub cannot know");
                key = "no-such-key";
            }
        }
        String pass = password;
        if (pass == null && user != null) {
            pass = hubConfig.user(user).flatMap(u -> u.password().clearText()).orElse(null);
            if (pass == null) {
                reasons.add(hubName + ": " + (hubConfig.user(user).isPresent() ? "user " + user
                        + " has a secret the prediction cannot reverse: give group:user:password"
                        : "no 'username " + user + "' in the configuration") + "; predicting with a wrong password");
                pass = "not-the-password";
            }
        }
        SimScheduler clock = new SimScheduler(0);
        SimNetwork net = new SimNetwork(clock, 1, FaultModel.PERFECT);
        SimRouter hub = new SimRouter(hubName, net, hubAddress, hubPolicy, 1);
        SimVpnClient client = new SimVpnClient("client", net, CLIENT_ADDRESS, dev.vpnrouter.ike.cfg.VpnClientProfile
                .of(hubAddress, group, key.getBytes(java.nio.charset.StandardCharsets.UTF_8), user, pass), 3);
        collectRefusals(hub, hubName, reasons);
        collectRefusals(client, "client", reasons);
        client.connect();
        clock.runUntil(() -> !client.children().isEmpty() && !hub.children().isEmpty(), VIRTUAL_DEADLINE_MILLIS);
        clock.runUntil(clock.now() + 2_000);
        ChildSa c = client.children().isEmpty() ? null : client.children().getFirst();
        ChildSa h = hub.children().isEmpty() ? null : hub.children().getFirst();
        boolean up = c != null && h != null;
        String who = "client " + group + (user == null ? "" : "/" + user);
        List<String> tunnels = new ArrayList<>();
        if (up) {
            tunnels.add("UP   " + who + " " + c.local().ios() + " <-> " + hubName + " " + c.remote().ios() + " ("
                    + c.transform().iosTransform() + ", " + hubName + " crypto map " + h.policy().describe() + ")");
            tunnels.add("     Mode Config: " + client.config().describe());
            boolean xauth = hub.engine().ikeSas().stream().anyMatch(sa -> sa.xauthUser() != null);
            if (!xauth) {
                tunnels.add("     note: no Xauth was asked: anyone with the group key gets in (and the group key "
                        + "can be cracked offline from one Aggressive Mode answer)");
            }
        } else {
            tunnels.add("DOWN " + who + " <-> " + hubName);
            if (reasons.isEmpty()) {
                String last = client.engine().counters().lastFailure;
                reasons.add(last != null ? "client: " + last : "no answer: the negotiation did not finish in "
                        + VIRTUAL_DEADLINE_MILLIS / 1000 + " s of virtual time");
            }
        }
        return new Verdict(up, tunnels, up ? List.of() : List.copyOf(reasons));
    }

    private static ChildSa find(List<ChildSa> children, String local, String remote) {
        for (ChildSa c : children) {
            if (c.local().ios().equals(local) && c.remote().ios().equals(remote)) {
                return c;
            }
        }
        return null;
    }

    private static void collectRefusals(SimRouter router, String name, List<String> reasons) {
        router.onEffect(effect -> {
            if (effect instanceof IkeEffect.Refused refused) {
                String reason = name + ": " + refused.reason();
                if (!reasons.contains(reason)) {
                    reasons.add(reason);
                }
            }
        });
    }

    /** The address of the interface carrying the crypto map; a DHCP interface gets {@code dhcpAddress}. */
    static Integer outsideAddress(RouterConfig config, ConfigPolicy policy, Integer dhcpAddress) {
        if (policy.outsideInterface() == null) {
            return null;
        }
        Interface outside = config.iface(policy.outsideInterface()).orElseThrow();
        return switch (outside.address()) {
            case InterfaceAddress.Static s -> s.address();
            case InterfaceAddress.Dhcp d -> dhcpAddress;
            case InterfaceAddress.None n -> null;
        };
    }
}
