package dev.vpnrouter.interop;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.net.Command;
import dev.vpnrouter.net.RtNetlink;
import dev.vpnrouter.router.LinuxDataPlane;
import dev.vpnrouter.router.RouterRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14: nothing on the SA path starts a process. Our spoke (seed spoke.cfg) brings its tunnel up to our hub
 * (seed hub.cfg, dynamic map); the hub routes the spoke's network into its TUN in table 4500 when the SA comes and
 * takes the route out when it goes, through rtnetlink: the JVM starts no program meanwhile ({@link
 * Command#started()}, which counts every {@code ip} the edge runs). The route is read through a netlink socket of
 * the test's own, so the check itself starts nothing either; traffic then shows the route is the one in use.
 */
@Interop
class SaRoutesInteropTest {
    private static final int SPOKE_NET = Ipv4.parse("10.2.0.0");

    @Test
    @Timeout(120)
    void peerRoutesFollowSasWithoutStartingAProcess() throws Exception {
        Prerequisites.require("ip", "ping");
        Path work = Topology.workDir("sa-routes-" + ProcessHandle.current().pid());
        try (Topology t = Topology.builder(work).spokeDhcp(false).build()) {
            List<String> log = new CopyOnWriteArrayList<>();
            RouterRuntime hub = t.own(EngineStrongSwanInteropTest.startOurs(t.hub(),
                    EngineStrongSwanInteropTest.policy(EngineStrongSwanInteropTest.seed("hub.cfg")),
                    Topology.HUB_OUTSIDE, null, log));
            LinuxDataPlane hubEsp = EngineStrongSwanInteropTest.startEsp(t, t.hub(), hub, Topology.HUB_INSIDE, log);
            RouterRuntime spoke = t.own(EngineStrongSwanInteropTest.startOurs(t.spoke(),
                    EngineStrongSwanInteropTest.policy(EngineStrongSwanInteropTest.seed("spoke.cfg")),
                    t.spokeOutside(), null, log));
            EngineStrongSwanInteropTest.startEsp(t, t.spoke(), spoke, Topology.SPOKE_INSIDE, log);
            RtNetlink hubRoutes = t.own(t.hub().call(RtNetlink::open));
            int tun = hubRoutes.linkIndex(hubEsp.tunName());
            assertThat(spokeRoutes(hubRoutes, tun)).as("no SA yet, no route").isZero();

            long started = Command.started();
            spoke.submit(e -> e.connectAll(System.currentTimeMillis()));
            EngineStrongSwanInteropTest.awaitChildren(spoke, 1, Duration.ofSeconds(20), log);
            EngineStrongSwanInteropTest.awaitChildren(hub, 1, Duration.ofSeconds(10), log);
            // The hub's listener ran on its loop thread before the engine answered the query above.
            assertThat(spokeRoutes(hubRoutes, tun)).as("the spoke's network routed into the hub's TUN").isOne();
            assertThat(Command.started()).as("programs started while the SAs came up").isEqualTo(started);

            hub.submit(e -> e.clearIpsec(System.currentTimeMillis()));
            Await.until("the hub's SAs to go", Duration.ofSeconds(10), () -> hub.query(e -> e.childSas().size()),
                    n -> n == 0);
            assertThat(spokeRoutes(hubRoutes, tun)).as("the route left with the last SA").isZero();
            assertThat(Command.started()).as("programs started while the SAs went").isEqualTo(started);
            assertThat(log).noneMatch(l -> l.contains("route change failed"));

            // The same path again, now with traffic (ping starts programs: counting is over): the route in table
            // 4500 is what carries the hub LAN's packets into the tunnel.
            t.spokeHost().ping(Topology.HUB_HOST, 3, Duration.ofSeconds(5));
            EngineStrongSwanInteropTest.awaitChildren(hub, 1, Duration.ofSeconds(15), log);
            t.hubHost().assertPing(Topology.SPOKE_HOST, 3, Duration.ofSeconds(10));
            assertThat(t.hub().links().ip("route", "show", "table", Integer.toString(LinuxDataPlane.PEER_TABLE)))
                    .contains("10.2.0.0/16 dev " + hubEsp.tunName() + " proto static scope link");
        }
    }

    private static long spokeRoutes(RtNetlink netlink, int tun) {
        try {
            return netlink.routes(LinuxDataPlane.PEER_TABLE).stream()
                    .filter(r -> r.network() == SPOKE_NET && r.prefixLength() == 16 && r.ifindex() == tun).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
