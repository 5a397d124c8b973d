package dev.vpnrouter.interop;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeSaView;
import dev.vpnrouter.router.RouterRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code vpnrouter run --config FILE} as its own process in the seed topology (issue 6, "Running"): the start-up
 * summary, IOS diagnostics for a bad line without refusing to run, a second instance refused, SIGTERM sending
 * Deletes the peer honours and exit 0, and our spoke following a new DHCP address while our hub ends up with one
 * ISAKMP SA for it. The configs are the seed's, with only the hub address changed to the test network's.
 */
@Interop
class RunCommandInteropTest {
    private static final String[] PROGRAMS = {"ip", "ping", "charon", "swanctl", "nsenter", "dnsmasq", "udhcpc"};
    private static final Pattern LISTENING = Pattern.compile("listening for IKE on ");

    private static Path writeSeed(Path work, String name, String extra) throws IOException {
        Path file = work.resolve(name);
        Files.writeString(file, EngineStrongSwanInteropTest.seed(name).replace("\nend", extra + "\nend"));
        return file;
    }

    private static Daemon run(NetNs ns, Path work, String label, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("run"));
        all.addAll(List.of(args));
        return ns.startJava(label, work.resolve(label + ".out"), "dev.vpnrouter.app.Main", all.toArray(String[]::new));
    }

    @Test
    @Timeout(180)
    void hubProcessReportsBadLinesRefusesASecondInstanceAndSendsDeletesOnSigterm() throws Exception {
        Prerequisites.require(PROGRAMS);
        Path work = Topology.workDir("run-hub-" + ProcessHandle.current().pid());
        try (Topology t = Topology.builder(work).build()) {
            // A line IOS would reject: diagnosed with its caret, and the router runs with the rest.
            Path hubCfg = writeSeed(work, "hub.cfg", "\ncrypto isakmp frobnicate 7");
            // No --interface: FastEthernet0/0's configured address 203.0.113.2 is on out0.
            Daemon hub = run(t.hub(), work, "our-hub", "--config", hubCfg.toString());
            String log = hub.awaitLog(LISTENING, Duration.ofSeconds(30));
            assertThat(log).contains("hub.cfg:").contains("error").contains("crypto isakmp frobnicate 7\n")
                    .contains("running with the lines that loaded");
            String summary = line(log, "listening for IKE on ");
            assertThat(summary).isEqualTo("vpnrouter: Hub listening for IKE on 203.0.113.2 udp/500 and udp/4500 "
                    + "(NAT-T), 16384 KiB receive buffer; FastEthernet0/0=out0 (address 203.0.113.2); ESP raw and in UDP, cleartext through "
                    + "vpnr0");

            Daemon second = run(t.hub(), work, "second-hub", "--config", hubCfg.toString());
            assertThat(second.awaitExit(Duration.ofSeconds(30))).as(second.log()).isEqualTo(1);
            assertThat(second.log()).contains("vpnrouter: not starting: UDP 203.0.113.2:500 is taken (is another "
                    + "vpnrouter or an IKE daemon running here?)");
            assertThat(hub.isAlive()).as("the first instance keeps running").isTrue();

            StrongSwan swan = t.own(StrongSwan.start(t.spoke(), work.resolve("swan-spoke"),
                    SeedPeers.spoke(Topology.HUB_OUTSIDE)));
            swan.initiate(SeedPeers.SPOKE_CHILD, Duration.ofSeconds(40));
            swan.awaitEstablished(SeedPeers.SPOKE_CONN, SeedPeers.SPOKE_CHILD, Duration.ofSeconds(10));
            t.spokeHost().assertPing(Topology.HUB_HOST, 2, Duration.ofSeconds(10));

            hub.stop(Duration.ofSeconds(15)); // SIGTERM
            assertThat(hub.awaitExit(Duration.ofSeconds(1))).as(hub.logTail(20)).isZero();
            assertThat(hub.log()).contains("vpnrouter: SIGTERM: stopping")
                    .contains("vpnrouter: Hub stopped; Deletes sent for 1 ISAKMP SA(s)");
            Await.until("strongSwan to drop its SAs after our Deletes", Duration.ofSeconds(10),
                    listSas(swan), sas -> !sas.contains("ESTABLISHED"));
            assertThat(swan.log()).contains("received DELETE for IKE_SA");
        }
    }

    @Test
    @Timeout(180)
    void spokeProcessFollowsANewDhcpAddressAndTheHubKeepsOneSaForIt() throws Exception {
        Prerequisites.require(PROGRAMS);
        Path work = Topology.workDir("run-dhcp-" + ProcessHandle.current().pid());
        try (Topology t = Topology.builder(work).build()) {
            String first = t.spokeOutside();
            List<String> hubLog = new CopyOnWriteArrayList<>();
            RouterRuntime hub = t.own(EngineStrongSwanInteropTest.startOurs(t.hub(),
                    EngineStrongSwanInteropTest.policy(EngineStrongSwanInteropTest.seed("hub.cfg")),
                    Topology.HUB_OUTSIDE, work.resolve("hub-keys.csv"), hubLog));
            EngineStrongSwanInteropTest.startEsp(t, t.hub(), hub, Topology.HUB_INSIDE, hubLog);

            // No --interface: ip address dhcp goes to the interface of the default route udhcpc installed (out0).
            Path spokeCfg = writeSeed(work, "spoke.cfg", "");
            Daemon spoke = run(t.spoke(), work, "our-spoke", "--config", spokeCfg.toString(), "--debug");
            String summary = line(spoke.awaitLog(LISTENING, Duration.ofSeconds(30)), "listening for IKE on ");
            assertThat(summary).contains("Spoke listening for IKE on " + first + " udp/500")
                    .contains("FastEthernet0/0=out0 (default route), address determined by DHCP, followed");

            // The first packet from the spoke LAN brings the tunnel up (static crypto map), then traffic passes.
            t.spokeHost().ping(Topology.HUB_HOST, 3, Duration.ofSeconds(5));
            t.spokeHost().assertPing(Topology.HUB_HOST, 3, Duration.ofSeconds(15));
            assertThat(formatted(spokeSas(hub))).as("hub SAs before renumbering").containsExactly(first);

            // The ISP hands out another address: udhcpc flushes the old one and configures the new.
            int wanted = Ipv4.parse(first) == Ipv4.parse(Topology.DHCP_LAST) ? Ipv4.parse(Topology.DHCP_FIRST)
                    : Ipv4.parse(Topology.DHCP_LAST);
            String second = Ipv4.format(t.dhcp().lease(t.spoke(), Topology.OUTSIDE_IF, wanted,
                    Duration.ofSeconds(20)));
            long renumbered = System.nanoTime();
            assertThat(second).isNotEqualTo(first);
            spoke.awaitLog(Pattern.compile("outside address changed from " + Pattern.quote(first) + " to "
                    + Pattern.quote(second)), Duration.ofSeconds(10));

            Await.until("the hub to hold an established SA with the spoke's new address " + second,
                    Duration.ofSeconds(30), () -> formatted(spokeSas(hub)), s -> s.equals(List.of(second)));
            t.spokeHost().assertPing(Topology.HUB_HOST, 3, Duration.ofSeconds(15));
            t.hubHost().assertPing(Topology.SPOKE_HOST, 2, Duration.ofSeconds(10));
            assertThat(Duration.ofNanos(System.nanoTime() - renumbered)).as("back up within 30 s")
                    .isLessThan(Duration.ofSeconds(30));

            // One ISAKMP SA for the spoke, on its new address; none left over from the old one.
            List<IkeSaView> all = hub.query(e -> List.copyOf(e.ikeSas()));
            assertThat(all).as("hub ISAKMP SAs: " + describe(all)).hasSize(1);
            assertThat(Ipv4.format(all.getFirst().peerAddress())).isEqualTo(second);
            int children = hub.query(e -> e.childSas().size());
            assertThat(children).as("one IPsec SA pair").isEqualTo(1);
            assertThat(spoke.log()).contains("ISAKMP SA(s) deleted (Deletes sent:");
            assertThat(spoke.isAlive()).isTrue();
        }
    }

    /**
     * The same renumbering against a strongSwan hub (seed-equivalent swanctl config): our spoke's Deletes leave
     * from the new address, strongSwan finds its IKE SA by the cookies and drops it, and the spoke's new SA is the
     * only one it holds.
     */
    @Test
    @Timeout(180)
    void spokeProcessFollowsANewDhcpAddressWithAStrongSwanHub() throws Exception {
        Prerequisites.require(PROGRAMS);
        Path work = Topology.workDir("run-dhcp-swan-" + ProcessHandle.current().pid());
        try (Topology t = Topology.builder(work).build()) {
            String first = t.spokeOutside();
            StrongSwan swan = t.own(StrongSwan.start(t.hub(), work.resolve("swan-hub"),
                    SeedPeers.hub(Topology.HUB_OUTSIDE)));
            Daemon spoke = run(t.spoke(), work, "our-spoke", "--config", writeSeed(work, "spoke.cfg", "").toString(),
                    "--interface", "FastEthernet0/0=out0", "--debug");
            assertThat(line(spoke.awaitLog(LISTENING, Duration.ofSeconds(30)), "listening for IKE on "))
                    .contains("on " + first + " udp/500").contains("FastEthernet0/0=out0 (--interface)");
            t.spokeHost().ping(Topology.HUB_HOST, 3, Duration.ofSeconds(5));
            swan.awaitEstablished(SeedPeers.HUB_L2L_CONN, SeedPeers.HUB_L2L_CHILD, Duration.ofSeconds(20));

            int wanted = Ipv4.parse(first) == Ipv4.parse(Topology.DHCP_LAST) ? Ipv4.parse(Topology.DHCP_FIRST)
                    : Ipv4.parse(Topology.DHCP_LAST);
            String second = Ipv4.format(t.dhcp().lease(t.spoke(), Topology.OUTSIDE_IF, wanted,
                    Duration.ofSeconds(20)));
            long renumbered = System.nanoTime();
            Await.until("strongSwan to hold exactly one IKE SA, with " + second, Duration.ofSeconds(30),
                    listSas(swan), sas -> ikeSaRemotes(sas).equals(List.of(second)) && sas.contains("INSTALLED"));
            assertThat(Duration.ofNanos(System.nanoTime() - renumbered)).isLessThan(Duration.ofSeconds(30));
            t.spokeHost().assertPing(Topology.HUB_HOST, 3, Duration.ofSeconds(15));
            assertThat(swan.log()).contains("received DELETE for IKE_SA");
        }
    }

    /** The remote addresses of the IKE SAs in {@code swanctl --list-sas} output, in order. */
    private static List<String> ikeSaRemotes(String listSas) {
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m = Pattern.compile("remote '[^']*' @ ([0-9.]+)\\[").matcher(listSas);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Peer addresses of the hub's established ISAKMP SAs, as ints. */
    private static List<Integer> spokeSas(RouterRuntime hub) {
        return hub.query(e -> {
            List<Integer> out = new ArrayList<>();
            for (IkeSaView sa : e.ikeSas()) {
                if (sa.established()) {
                    out.add(sa.peerAddress());
                }
            }
            return out;
        });
    }

    private static List<String> formatted(List<Integer> addresses) {
        return addresses.stream().map(Ipv4::format).toList();
    }

    private static String describe(List<IkeSaView> sas) {
        List<String> out = new ArrayList<>();
        sas.forEach(s -> out.add(Ipv4.format(s.peerAddress()) + " " + s.iosState()));
        return out.toString();
    }

    private static Supplier<String> listSas(StrongSwan swan) {
        return () -> {
            try {
                return swan.swanctl("--list-sas").stdout();
            } catch (IOException e) {
                return e.toString();
            }
        };
    }

    private static String line(String log, String containing) {
        for (String l : log.split("\n")) {
            if (l.contains(containing)) {
                return l;
            }
        }
        throw new AssertionError("no line with '" + containing + "' in:\n" + log);
    }
}
