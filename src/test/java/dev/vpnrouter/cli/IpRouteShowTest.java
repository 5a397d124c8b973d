package dev.vpnrouter.cli;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.EspProposal;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code show ip route}: connected, static, and a spoke's network as a static route only with reverse-route. */
class IpRouteShowTest {
    private static final int HUB = Ipv4.parse("10.48.67.181");
    private static final int SPOKE = Ipv4.parse("198.51.100.7");
    private static final List<InterfaceStatus> HUB_INTERFACES = List.of(
            new InterfaceStatus("FastEthernet0/0", true, HUB, Ipv4.parse("255.255.255.224"), false, null, "mymap"),
            new InterfaceStatus("FastEthernet0/1", true, Ipv4.parse("10.1.1.1"), Ipv4.parse("255.255.254.0"),
                    false, null, null));

    private static ChildSa spokeSa(boolean reverseRoute) {
        ChildPolicy entry = new ChildPolicy("mymap", 10, true, "dynmap", 10, List.of(), List.of(), null,
                List.of(new EspProposal("myset", 3, 0, 2, true)), 0, 0, 0, "L2L", reverseRoute);
        return new ChildSa(1, 1, entry, HUB, SPOKE, 0, 0,
                TrafficSelector.subnet(Ipv4.parse("10.1.0.0"), Ipv4.parse("255.255.0.0")),
                TrafficSelector.subnet(Ipv4.parse("10.2.0.0"), Ipv4.parse("255.255.0.0")),
                entry.proposals().getFirst(), 1, new byte[0], 2, new byte[0], 3600, 0, 0, false);
    }

    @Test
    void theSeedHubsTableAndAReverseRoute() throws IOException {
        RouterConfig hub = ConfigLoader.load(Files.readString(Path.of("examples/seed/hub.cfg"))).config();
        String without = SystemShow.ipRoute(HUB_INTERFACES, hub, List.of(spokeSa(false)));
        assertThat(without).contains("Gateway of last resort is 10.48.66.181 to network 0.0.0.0\n\n")
                .contains("     10.0.0.0/8 is variably subnetted, 2 subnets, 2 masks\n"
                        + "C       10.1.0.0/23 is directly connected, FastEthernet0/1\n"
                        + "C       10.48.67.160/27 is directly connected, FastEthernet0/0\n")
                .contains("S*   0.0.0.0/0 [1/0] via 10.48.66.181\n")
                .doesNotContain("10.2.0.0");
        String with = SystemShow.ipRoute(HUB_INTERFACES, hub, List.of(spokeSa(true)));
        assertThat(with).contains("     10.0.0.0/8 is variably subnetted, 3 subnets, 3 masks\n"
                + "C       10.1.0.0/23 is directly connected, FastEthernet0/1\n"
                + "S       10.2.0.0/16 [1/0] via 198.51.100.7\n"
                + "C       10.48.67.160/27 is directly connected, FastEthernet0/0\n");
    }
}
