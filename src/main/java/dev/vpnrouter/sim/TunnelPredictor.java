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

    /** The outcome: up or not, one line per tunnel, and the reasons each side gave for refusing. */
    public record Verdict(boolean up, List<String> tunnels, List<String> reasons) {
    }

    private TunnelPredictor() {
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
        return new Verdict(allUp, tunnels, allUp ? List.of() : List.copyOf(reasons));
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
            if (effect instanceof IkeEffect.Debug d && d.line().startsWith("%CRYPTO-6-IKMP_REFUSED: ")) {
                String reason = name + ": " + d.line().substring("%CRYPTO-6-IKMP_REFUSED: ".length())
                        .replaceFirst("^peer [0-9.]+: ", "");
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
