package dev.vpnrouter.interop;

import dev.vpnrouter.net.LinkConfig;
import dev.vpnrouter.router.LinuxDataPlane;
import dev.vpnrouter.router.RouterRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A crypto map changed at run time ({@code configure terminal}) moves the TUN routes with it: a new static entry's
 * remote network is routed into the TUN at once, so its first packet triggers IKE, as on IOS; a removed one leaves.
 */
@Interop
class CryptoMapRoutesInteropTest {
    @Test
    @Timeout(60)
    void staticNetworksFollowTheCryptoMap() throws Exception {
        Prerequisites.require("ip", "dnsmasq", "udhcpc");
        Path work = Topology.workDir("crypto-map-routes-" + ProcessHandle.current().pid());
        try (Topology t = Topology.builder(work).build()) {
            List<String> log = new CopyOnWriteArrayList<>();
            String seed = EngineStrongSwanInteropTest.seed("spoke.cfg");
            RouterRuntime spoke = t.own(EngineStrongSwanInteropTest.startOurs(t.spoke(),
                    EngineStrongSwanInteropTest.policy(seed), t.spokeOutside(), null, log));
            LinuxDataPlane esp = EngineStrongSwanInteropTest.startEsp(t, t.spoke(), spoke, Topology.SPOKE_INSIDE,
                    log);
            LinkConfig links = LinkConfig.in(t.spoke().name());
            assertThat(links.ip("route", "show", "table", Integer.toString(LinuxDataPlane.PEER_TABLE), "dev", esp.tunName())).contains("10.1.0.0/16");

            String moved = seed.replace("access-list 100 permit ip 10.2.0.0 0.0.255.255 10.1.0.0 0.0.255.255",
                    "access-list 100 permit ip 10.2.0.0 0.0.255.255 10.9.0.0 0.0.255.255");
            assertThat(moved).isNotEqualTo(seed);
            // From the spoke's namespace, as the runtime's loop thread runs configure terminal there.
            t.spoke().call(() -> {
                esp.setCryptoMap(EngineStrongSwanInteropTest.policy(moved).cryptoMap());
                return null;
            });
            String routes = links.ip("route", "show", "table", Integer.toString(LinuxDataPlane.PEER_TABLE), "dev", esp.tunName());
            assertThat(routes).contains("10.9.0.0/16").doesNotContain("10.1.0.0/16");
            assertThat(log).noneMatch(l -> l.contains("route change") && l.contains("failed"));
        }
    }
}
