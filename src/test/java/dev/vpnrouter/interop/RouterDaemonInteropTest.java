package dev.vpnrouter.interop;

import dev.vpnrouter.common.Ipv4;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our router as its own process ({@link dev.vpnrouter.router.RouterDaemon} through {@link SeedRouterMain}) in the
 * topology, with real strongSwan peers: the one-line start summary, refusal of a second instance on the same
 * ports, SIGTERM sending Deletes, and a spoke following a new DHCP address (issue 6's running criteria, with a
 * seed-equivalent policy until {@code vpnrouter run --config} can compile the seed configs).
 */
class RouterDaemonInteropTest {
    private static final Pattern LISTENING = Pattern.compile("IKE listening on ");

    @Test
    @Timeout(150)
    void hubProcessRefusesASecondInstanceAndSendsDeletesOnSigterm() throws Exception {
        Prerequisites.require("ip", "charon", "swanctl", "nsenter", "dnsmasq", "udhcpc");
        Path work = Topology.workDir("router-daemon-hub-" + ProcessHandle.current().pid());
        try (Topology t = Topology.builder(work).build()) {
            Daemon hub = t.hub().startJava("our-hub", work.resolve("our-hub.out"), SeedRouterMain.class.getName(),
                    "hub", Topology.OUTSIDE_IF);
            String summary = hub.awaitLog(LISTENING, Duration.ofSeconds(30));
            assertThat(summary).contains("vpnrouter Hub: IKE listening on 203.0.113.2 udp/500 and udp/4500 (NAT-T)");

            Daemon second = t.hub().startJava("second-hub", work.resolve("second-hub.out"),
                    SeedRouterMain.class.getName(), "hub", Topology.OUTSIDE_IF);
            assertThat(second.awaitExit(Duration.ofSeconds(30))).as(second.log()).isEqualTo(1);
            assertThat(second.log().strip()).isEqualTo("vpnrouter cannot listen on 203.0.113.2: UDP 203.0.113.2:500 "
                    + "is taken (is another vpnrouter or an IKE daemon running here?) or not a local address: "
                    + "Address already in use");
            assertThat(hub.isAlive()).as("the first instance keeps running").isTrue();

            StrongSwan swan = t.own(StrongSwan.start(t.spoke(), work.resolve("swan-spoke"),
                    SeedPeers.spoke(Topology.HUB_OUTSIDE)));
            swan.initiate(SeedPeers.SPOKE_CHILD, Duration.ofSeconds(30));
            swan.awaitEstablished(SeedPeers.SPOKE_CONN, SeedPeers.SPOKE_CHILD, Duration.ofSeconds(10));

            hub.stop(Duration.ofSeconds(10)); // SIGTERM
            assertThat(hub.isAlive()).isFalse();
            assertThat(hub.log()).contains("vpnrouter Hub: stopped");
            Await.until("strongSwan to drop the SA after our Deletes", Duration.ofSeconds(10), () -> {
                try {
                    return swan.swanctl("--list-sas").stdout();
                } catch (java.io.IOException e) {
                    return e.toString();
                }
            }, sas -> !sas.contains("ESTABLISHED"));
            assertThat(swan.log()).contains("received DELETE for IKE_SA");
        }
    }

    @Test
    @Timeout(150)
    void spokeProcessFollowsANewDhcpAddress() throws Exception {
        Prerequisites.require("ip", "charon", "swanctl", "nsenter", "dnsmasq", "udhcpc");
        Path work = Topology.workDir("router-daemon-spoke-" + ProcessHandle.current().pid());
        try (Topology t = Topology.builder(work).build()) {
            String first = t.spokeOutside();
            StrongSwan swan = t.own(StrongSwan.start(t.hub(), work.resolve("swan-hub"),
                    SeedPeers.hub(Topology.HUB_OUTSIDE)));
            Daemon spoke = t.spoke().startJava("our-spoke", work.resolve("our-spoke.out"),
                    SeedRouterMain.class.getName(), "spoke", Topology.OUTSIDE_IF, Topology.HUB_OUTSIDE);
            assertThat(spoke.awaitLog(LISTENING, Duration.ofSeconds(30))).contains("on " + first + " udp/500");
            String sas = swan.awaitEstablished(SeedPeers.HUB_L2L_CONN, SeedPeers.HUB_L2L_CHILD,
                    Duration.ofSeconds(30));
            assertThat(sas).contains(first);

            // The ISP hands out another address: udhcpc flushes the old one and configures the new.
            int wanted = Ipv4.parse(first) == Ipv4.parse(Topology.DHCP_LAST) ? Ipv4.parse(Topology.DHCP_FIRST)
                    : Ipv4.parse(Topology.DHCP_LAST);
            String second = Ipv4.format(t.dhcp().lease(t.spoke(), Topology.OUTSIDE_IF, wanted,
                    Duration.ofSeconds(20)));
            assertThat(second).isNotEqualTo(first);

            long renumbered = System.nanoTime();
            spoke.awaitLog(Pattern.compile("outside address changed from " + Pattern.quote(first) + " to "
                    + Pattern.quote(second)), Duration.ofSeconds(10));
            Await.until("an SA from the new address " + second, Duration.ofSeconds(30), () -> {
                try {
                    return swan.swanctl("--list-sas", "--ike", SeedPeers.HUB_L2L_CONN).stdout();
                } catch (java.io.IOException e) {
                    return e.toString();
                }
            }, s -> establishedFrom(s, second));
            assertThat(Duration.ofNanos(System.nanoTime() - renumbered)).as("back up within 30 s")
                    .isLessThan(Duration.ofSeconds(30));
            assertThat(spoke.isAlive()).isTrue();
        }
    }

    /** True when {@code swanctl --list-sas} shows an ESTABLISHED IKE SA with {@code remote} and an INSTALLED child. */
    private static boolean establishedFrom(String listSas, String remote) {
        for (String block : listSas.split("\n(?=\\S)")) {
            if (block.contains("ESTABLISHED") && block.contains("remote '" + remote + "'")
                    && block.contains("INSTALLED")) {
                return true;
            }
        }
        return false;
    }
}
