package dev.vpnrouter.interop;

import dev.vpnrouter.client.VpnClientSession;
import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.ClientConfig;
import dev.vpnrouter.ike.cfg.VpnClientProfile;
import dev.vpnrouter.router.RouterRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import static dev.vpnrouter.interop.EngineStrongSwanInteropTest.seed;
import static dev.vpnrouter.interop.EngineStrongSwanInteropTest.startOurHub;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our VPN client (the Cisco VPN Client's role) against our hub running the seed's hub.cfg, in namespaces: Mode
 * Config, its own TUN with the pool address, routes, DNS file, traffic to the hub LAN through ESP, and a clean
 * disconnect that returns the pool address. Once in-process behind a NAT, once as the `vpnrouter client` command
 * without a NAT (raw ESP).
 */
@Interop
class OurClientInteropTest {
    static VpnClientProfile seedClient() {
        return VpnClientProfile.of(Ipv4.parse(Topology.HUB_OUTSIDE), SeedPeers.GROUP,
                SeedPeers.GROUP_KEY.getBytes(StandardCharsets.US_ASCII), SeedPeers.XAUTH_USER,
                SeedPeers.XAUTH_PASSWORD);
    }

    @Test
    @Timeout(150)
    void ourClientBehindNatGetsTheSeedSettingsAndReachesTheHubLan() throws Exception {
        Prerequisites.require("ip", "ping", "nft", "tshark");
        Path work = Topology.workDir("our-client-nat-" + ProcessHandle.current().pid());
        try (Topology t = Topology.builder(work).spokeDhcp(false).client(Topology.ClientMode.NAT).build()) {
            Tshark.Capture capture = t.own(Tshark.capture(t.hub(), Topology.OUTSIDE_IF, work.resolve("hub.pcap")));
            List<String> debug = new CopyOnWriteArrayList<>();
            RouterRuntime hub = startOurHub(t, seed("hub.cfg"), debug);
            Path resolv = Files.writeString(work.resolve("resolv.conf"), "nameserver 192.0.2.53\n");
            List<String> clientLog = new CopyOnWriteArrayList<>();
            VpnClientSession client = t.client().call(() -> VpnClientSession.start(new VpnClientSession.Options(
                    seedClient(), Ipv4.parse(Topology.CLIENT_BEHIND_NAT), "vpnr0", resolv, clientLog::add)));
            try {
                ClientConfig cfg = client.awaitConfigured(Duration.ofSeconds(30));
                ChildSa child = client.awaitTunnel(Duration.ofSeconds(15));
                assertThat(child).as("tunnel; client log:\n" + String.join("\n", clientLog) + "\nhub log:\n"
                        + String.join("\n", debug)).isNotNull();
                assertThat(Ipv4.format(cfg.address())).isEqualTo("10.5.5.1");
                assertThat(cfg.dns()).containsExactly(Ipv4.parse("1.1.1.1"), Ipv4.parse("2.2.2.2"));
                assertThat(cfg.wins()).containsExactly(Ipv4.parse("3.3.3.3"), Ipv4.parse("4.4.4.4"));
                assertThat(cfg.domain()).isEqualTo("cisco.com");
                assertThat(child.udpEncapsulated()).as("NAT-T behind the NAT").isTrue();
                assertThat(Files.readString(resolv)).contains("search cisco.com", "nameserver 1.1.1.1",
                        "nameserver 2.2.2.2");

                t.client().assertPing(Topology.HUB_HOST, 3, Duration.ofSeconds(10));
                t.hubHost().assertPing("10.5.5.1", 2, Duration.ofSeconds(10));
                String routes = t.client().run("ip", "-4", "route", "show");
                assertThat(routes).contains("0.0.0.0/1 dev vpnr0", "128.0.0.0/1 dev vpnr0", Topology.HUB_OUTSIDE
                        + " via").contains("src 10.5.5.1");
                assertThat(t.client().run("ip", "-4", "addr", "show", "dev", "vpnr0")).contains("10.5.5.1/32");
            } finally {
                client.close();
            }
            // The Delete reached the hub: no SA, the pool address is back; the client's changes are undone.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (hub.query(e -> e.childSas().size()) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat((int) hub.query(e -> e.childSas().size())).isZero();
            assertThat((int) hub.query(e -> e.addressPool("ippool").inUse())).isZero();
            assertThat(Files.readString(resolv)).isEqualTo("nameserver 192.0.2.53\n");
            assertThat(t.client().run("ip", "-4", "route", "show")).doesNotContain("vpnr0")
                    .doesNotContain(Topology.HUB_OUTSIDE + " via");

            Path pcap = capture.stop();
            assertThat(Tshark.count(pcap, "isakmp.exchangetype == 4")).as("Aggressive Mode").isEqualTo(3);
            assertThat(Tshark.count(pcap, "udp.port == 4500 && esp")).isGreaterThanOrEqualTo(10);
            assertThat(Tshark.isakmpProblems(pcap)).as("malformed ISAKMP in " + pcap).isEmpty();
        }
    }

    @Test
    @Timeout(150)
    void ourClientBehindNatRenewsAShortHubPhase1AndKeepsItsAddressAndTunnel() throws Exception {
        Prerequisites.require("ip", "ping", "nft", "tshark");
        Path work = Topology.workDir("our-client-renew-" + ProcessHandle.current().pid());
        try (Topology t = Topology.builder(work).spokeDhcp(false).client(Topology.ClientMode.NAT).build()) {
            Tshark.Capture capture = t.own(Tshark.capture(t.hub(), Topology.OUTSIDE_IF, work.resolve("hub.pcap")));
            List<String> debug = new CopyOnWriteArrayList<>();
            // Phase 1 of 60 s on the hub (IOS's least): the client learns it from Mode Config and renews at 51-54 s.
            RouterRuntime hub = startOurHub(t, seed("hub.cfg").replace("  group 2\n", "  group 2\n  lifetime 60\n"),
                    debug);
            List<String> clientLog = new CopyOnWriteArrayList<>();
            VpnClientSession client = t.client().call(() -> VpnClientSession.start(new VpnClientSession.Options(
                    seedClient(), Ipv4.parse(Topology.CLIENT_BEHIND_NAT), "vpnr0", null, clientLog::add)));
            try {
                ClientConfig cfg = client.awaitConfigured(Duration.ofSeconds(30));
                ChildSa first = client.awaitTunnel(Duration.ofSeconds(15));
                assertThat(first).as("tunnel; client log:\n" + String.join("\n", clientLog)).isNotNull();
                assertThat(Ipv4.format(cfg.address())).isEqualTo("10.5.5.1");
                t.client().assertPing(Topology.HUB_HOST, 2, Duration.ofSeconds(10));

                // Past the renewal and the old phase 1's end (60 s after it began).
                long deadline = System.nanoTime() + Duration.ofSeconds(80).toNanos();
                while (System.nanoTime() < deadline && !(debug.stream().anyMatch(l -> l.contains("renews phase 1"))
                        && (int) hub.query(e -> e.ikeSaCount()) == 1
                        && (long) hub.query(e -> e.counters().phase1Completed) == 2)) {
                    Thread.sleep(200);
                }
                assertThat(debug).as("hub log").anyMatch(l -> l.contains("gfullage at " + Topology.CLIENT_OUTSIDE)
                        && l.contains("renews phase 1 of conn-id 1, keeping 10.5.5.1"));
                assertThat((long) hub.query(e -> e.counters().phase1Completed)).isEqualTo(2);
                Thread.sleep(12_000); // the first phase 1 ends at 60 s
                assertThat((int) hub.query(e -> e.ikeSaCount())).as("the old phase 1 is gone").isEqualTo(1);
                assertThat((int) hub.query(e -> e.addressPool("ippool").inUse())).isEqualTo(1);
                assertThat(clientLog).anyMatch(l -> l.contains("renewed, address 10.5.5.1 kept"));
                // The same tunnel, the same address: nothing changed for the user.
                t.client().assertPing(Topology.HUB_HOST, 3, Duration.ofSeconds(10));
                List<ChildSa> now = client.runtime().query(e -> List.copyOf(e.childSas()));
                assertThat(now).contains(first);
                assertThat(t.client().run("ip", "-4", "addr", "show", "dev", "vpnr0")).contains("10.5.5.1/32");
            } finally {
                client.close();
            }
            Path pcap = capture.stop();
            assertThat(Tshark.count(pcap, "isakmp.exchangetype == 4")).as("two Aggressive Modes").isEqualTo(6);
            assertThat(Tshark.isakmpProblems(pcap)).as("malformed ISAKMP in " + pcap).isEmpty();
        }
    }

    @Test
    @Timeout(150)
    void theClientCommandConnectsWithoutNatInRawEspAndDisconnectsOnSigterm() throws Exception {
        Prerequisites.require("ip", "ping", "tshark");
        Path work = Topology.workDir("our-client-cmd-" + ProcessHandle.current().pid());
        try (Topology t = Topology.builder(work).spokeDhcp(false).client(Topology.ClientMode.DIRECT).build()) {
            Tshark.Capture capture = t.own(Tshark.capture(t.hub(), Topology.OUTSIDE_IF, work.resolve("hub.pcap")));
            List<String> debug = new CopyOnWriteArrayList<>();
            RouterRuntime hub = startOurHub(t, seed("hub.cfg"), debug);
            Path pcf = Files.writeString(work.resolve("hub.pcf"), "[main]\r\nDescription=seed hub\r\nHost="
                    + Topology.HUB_OUTSIDE + "\r\nAuthType=1\r\nGroupName=" + SeedPeers.GROUP + "\r\nGroupPwd=\r\n"
                    + "enc_GroupPwd=" + dev.vpnrouter.config.secret.CiscoClientPassword.encode(SeedPeers.GROUP_KEY,
                    new java.security.SecureRandom()) + "\r\nUsername=" + SeedPeers.XAUTH_USER + "\r\n");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    "dev.vpnrouter.app.Main", "client", "--pcf", pcf.toString()));
            Daemon client = t.client().start("vpnrouter-client", work.resolve("client.log"), command,
                    Map.of("VPNROUTER_PASSWORD", SeedPeers.XAUTH_PASSWORD));
            String log = client.awaitLog(Pattern.compile("Routes:.*"), Duration.ofSeconds(40));
            assertThat(log).contains("vpnrouter client: connected through vpnr0", "Client address:  10.5.5.1",
                    "DNS servers:     1.1.1.1 2.2.2.2", "WINS servers:    3.3.3.3 4.4.4.4",
                    "Default domain:  cisco.com", "Split networks:  none: all traffic goes through the tunnel",
                    "Routes:          203.0.113.2/32 via 192.0.2.1 dev out0, 0.0.0.0/1 dev vpnr0, 128.0.0.0/1 dev vpnr0")
                    .contains(", ESP, lifetime 3600 s");
            assertThat((int) hub.query(e -> e.addressPool("ippool").inUse())).isEqualTo(1);

            t.client().assertPing(Topology.HUB_HOST, 3, Duration.ofSeconds(10));

            client.stop(Duration.ofSeconds(10));
            assertThat(client.isAlive()).isFalse();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (hub.query(e -> e.addressPool("ippool").inUse()) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat((int) hub.query(e -> e.addressPool("ippool").inUse())).as("pool after SIGTERM").isZero();
            assertThat((int) hub.query(e -> e.childSas().size())).isZero();

            Path pcap = capture.stop();
            assertThat(Tshark.count(pcap, "esp && !udp")).as("raw ESP (protocol 50)").isGreaterThanOrEqualTo(6);
            assertThat(Tshark.count(pcap, "isakmp.exchangetype == 5")).as("Informational (Delete)")
                    .isGreaterThanOrEqualTo(1);
            assertThat(Tshark.isakmpProblems(pcap)).as("malformed ISAKMP in " + pcap).isEmpty();
        }
    }

    @Test
    @Timeout(150)
    void aSplitTunnelRoutesOnlyTheGroupsNetworksIntoTheTun() throws Exception {
        Prerequisites.require("ip", "ping");
        Path work = Topology.workDir("our-client-split-" + ProcessHandle.current().pid());
        try (Topology t = Topology.builder(work).spokeDhcp(false).client(Topology.ClientMode.DIRECT).build()) {
            List<String> debug = new CopyOnWriteArrayList<>();
            String hubCfg = seed("hub.cfg").replace("  pool ippool\n", "  pool ippool\n  acl 150\n")
                    .replace("ip local pool", "access-list 150 permit ip 10.1.0.0 0.0.255.255 any\nip local pool");
            assertThat(hubCfg).contains("acl 150");
            startOurHub(t, hubCfg, debug);
            VpnClientSession client = t.client().call(() -> VpnClientSession.start(new VpnClientSession.Options(
                    seedClient(), Ipv4.parse(Topology.CLIENT_OUTSIDE), "vpnr0", null, null)));
            try {
                ChildSa child = client.awaitConfigured(Duration.ofSeconds(30)) == null ? null
                        : client.awaitTunnel(Duration.ofSeconds(15));
                assertThat(child).as("tunnel; hub log:\n" + String.join("\n", debug)).isNotNull();
                assertThat(child.remote().ios()).isEqualTo("10.1.0.0/255.255.0.0/0/0");
                String routes = t.client().run("ip", "-4", "route", "show");
                assertThat(routes).contains("10.1.0.0/16 dev vpnr0").doesNotContain("0.0.0.0/1")
                        .doesNotContain(Topology.HUB_OUTSIDE + " via");
                t.client().assertPing(Topology.HUB_HOST, 3, Duration.ofSeconds(10));
            } finally {
                client.close();
            }
        }
    }
}
