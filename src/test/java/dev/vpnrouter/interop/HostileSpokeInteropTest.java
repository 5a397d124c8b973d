package dev.vpnrouter.interop;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.net.Command;
import dev.vpnrouter.router.LinuxDataPlane;
import dev.vpnrouter.router.RouterRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13's adversarial ring. Our hub runs the seed's hub.cfg unchanged: {@code dynmap 10} takes any spoke that
 * knows the wildcard key {@code cisco123} and has no {@code match address}, so a spoke names its own network. A
 * legitimate strongSwan spoke (10.2.0.0/16) and vpnc (10.5.5.1 from the pool) are up and passing traffic when a
 * rogue strongSwan spoke with the same key claims, one after another, the default route, the hub's LAN, the
 * spoke's network, a supernet of it, the client's pool address and the spoke's outside address. Each claim must
 * be refused in Quick Mode (INVALID_ID_INFORMATION, one hub log line naming why), the hub's routes and rules must
 * stay exactly what the legitimate peers brought, and both keep reaching the hub's LAN.
 */
@Interop
class HostileSpokeInteropTest {
    /** The legitimate spoke's outside address: the topology's static one (built with spokeDhcp(false)). */
    private static final String LEGIT_SPOKE = Topology.DHCP_FIRST;
    private static final String CLIENT_ADDRESS = "10.5.5.1";
    private static final String PEER_TABLE = Integer.toString(LinuxDataPlane.PEER_TABLE);

    /**
     * What the rogue puts in its local_ts, the same network as the hub logs it, and the end of the hub's refusal
     * line. Each network is chosen so that the intended rule is the first to refuse it (e.g. the supernet is
     * 10.2.0.0/15, not 10.0.0.0/8, which would already overlap the hub's connected 10.1.0.0/23).
     */
    record Claim(String network, String ios, String because) {
    }

    private static final List<Claim> CLAIMS = List.of(
            new Claim("0.0.0.0/0", "0.0.0.0/0.0.0.0", "is the default route"),
            new Claim("10.1.0.0/23", "10.1.0.0/255.255.254.0",
                    "overlaps the connected network 10.1.0.0/23 of FastEthernet0/1"),
            new Claim(SeedPeers.SPOKE_LAN, "10.2.0.0/255.255.0.0",
                    "overlaps a network peer " + LEGIT_SPOKE + " has negotiated"),
            new Claim("10.2.0.0/15", "10.2.0.0/255.254.0.0",
                    "overlaps a network peer " + LEGIT_SPOKE + " has negotiated"),
            new Claim(CLIENT_ADDRESS + "/32", CLIENT_ADDRESS + "/255.255.255.255", "overlaps the local pool ippool"),
            // Its route would pull the spoke's own IKE and ESP packets into the rogue's tunnel.
            new Claim("198.51.100.0/24", "198.51.100.0/255.255.255.0",
                    "holds the outside address of peer " + LEGIT_SPOKE));

    /** The hub's routing state: the main table, every table, and the rules that pick them. */
    record Routing(String main, String all, String rules) {
        static Routing of(NetNs hub) throws IOException {
            return new Routing(hub.links().ip("route", "show", "table", "main"),
                    hub.links().ip("route", "show", "table", "all"), hub.links().ip("rule"));
        }
    }

    @Test
    @Timeout(150)
    void aRogueSpokeWithTheWildcardKeyClaimsNothingThatIsNotItsOwn() throws Exception {
        Prerequisites.require("ip", "ping", "charon", "swanctl", "nsenter", "vpnc", "tshark");
        Path work = Topology.workDir("hostile-spoke-" + ProcessHandle.current().pid());
        try (Topology t = Topology.builder(work).spokeDhcp(false).client(Topology.ClientMode.DIRECT).rogue(true)
                .build()) {
            List<String> hubLog = new CopyOnWriteArrayList<>();
            RouterRuntime hub = EngineStrongSwanInteropTest.startOurHub(t,
                    EngineStrongSwanInteropTest.seed("hub.cfg"), hubLog);

            // The legitimate peers first: their networks are what the rogue then tries to take.
            StrongSwan spoke = t.own(StrongSwan.start(t.spoke(), work.resolve("spoke"),
                    SeedPeers.spoke(Topology.HUB_OUTSIDE)));
            Vpnc vpnc = t.own(Vpnc.start(t.client(), work.resolve("vpnc"),
                    Vpnc.Config.seed(Topology.HUB_OUTSIDE).withNatMode(Vpnc.NatMode.NONE)));
            spoke.initiate(SeedPeers.SPOKE_CHILD, Duration.ofSeconds(30));
            Vpnc.Received received = EngineStrongSwanInteropTest.awaitVpnc(vpnc, hubLog);
            assertThat(received.variable("INTERNAL_IP4_ADDRESS")).isEqualTo(CLIENT_ADDRESS);
            assertLegitimatePeersReachTheHubLan(t, hubLog);
            assertThat(peerTable(t)).as("table %s with the legitimate peers up", PEER_TABLE)
                    .containsExactlyInAnyOrder(SeedPeers.SPOKE_LAN, CLIENT_ADDRESS);
            Routing before = Routing.of(t.hub());

            Tshark.Capture capture = t.own(Tshark.capture(t.hub(), Topology.OUTSIDE_IF, work.resolve("hub.pcap")));
            StrongSwan rogue = t.own(StrongSwan.start(t.rogue(), work.resolve("rogue"),
                    SeedPeers.spoke(Topology.HUB_OUTSIDE, CLAIMS.getFirst().network())));
            int refusedSoFar = 0;
            for (Claim claim : CLAIMS) {
                rogue.reload(SeedPeers.spoke(Topology.HUB_OUTSIDE, claim.network()));
                assertRefused(rogue, claim, ++refusedSoFar, hubLog);
                assertThat(Routing.of(t.hub())).as("the hub's routes and rules after the claim of %s",
                        claim.network()).isEqualTo(before);
                assertThat(peerTable(t)).as("table %s after the claim of %s", PEER_TABLE, claim.network())
                        .containsExactlyInAnyOrder(SeedPeers.SPOKE_LAN, CLIENT_ADDRESS);
                assertLegitimatePeersReachTheHubLan(t, hubLog);
            }
            // The rogue got through phase 1 (it knows the key): the refusals are its claims', nothing else's.
            assertThat(rogue.listSas()).contains("ESTABLISHED").doesNotContain("INSTALLED");
            List<ChildSa> children = hub.query(e -> e.childSas());
            assertThat(children).extracting(c -> Ipv4.format(c.peerAddress()))
                    .as("the hub's IPsec SAs").containsOnly(LEGIT_SPOKE, Topology.CLIENT_OUTSIDE);

            assertTheNotifiesOnTheWire(capture.stop(), work.resolve("keys.csv"));

            // A control: a network nobody holds is the rogue's to claim, and it then shows in the peer table, so
            // the refusals above are the claim rule's and the table checks can see a change.
            // charon (libipsec) installs its route only with an address of its own in the network it claims.
            t.rogue().addAddress("lo", "10.66.0.1/16");
            rogue.reload(SeedPeers.spoke(Topology.HUB_OUTSIDE, "10.66.0.0/16"));
            rogue.initiate(SeedPeers.SPOKE_CHILD, Duration.ofSeconds(15));
            // charon is done when it sends QM3; the hub installs the SA (and its route) when QM3 arrives.
            Await.until("the rogue's own network in table " + PEER_TABLE, Duration.ofSeconds(5), () -> {
                try {
                    return peerTable(t);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, table -> table.contains("10.66.0.0/16"));
            assertThat(peerTable(t)).containsExactlyInAnyOrder(SeedPeers.SPOKE_LAN, CLIENT_ADDRESS, "10.66.0.0/16");
            Routing after = Routing.of(t.hub());
            assertThat(after.main()).as("the main table").isEqualTo(before.main());
            assertThat(after.rules()).as("the rules").isEqualTo(before.rules());
            assertLegitimatePeersReachTheHubLan(t, hubLog);
            long errors = hub.query(e -> e.counters().internalErrors);
            assertThat(errors).isZero();
        }
    }

    /**
     * strongSwan's CHILD_SA fails on the hub's INVALID_ID_INFORMATION, and the hub said why in exactly one line.
     * The charon log is cumulative, so the {@code n}th refused claim must leave the {@code n}th notify there.
     */
    private static void assertRefused(StrongSwan rogue, Claim claim, int n, List<String> hubLog) throws IOException {
        Command.Result initiate = rogue.swanctl(Duration.ofSeconds(20), "--initiate", "--child",
                SeedPeers.SPOKE_CHILD, "--timeout", "15");
        assertThat(initiate.ok()).as("strongSwan's CHILD_SA claiming %s came up:\n%s\nour hub's log:\n%s",
                claim.network(), initiate.describe(), String.join("\n", hubLog)).isFalse();
        assertThat(countOf(rogue.log(), "received INVALID_ID_INFORMATION error notify"))
                .as("INVALID_ID_INFORMATION notifies in %s after the claim of %s", rogue.logFile(), claim.network())
                .isEqualTo(n);
        String line = "IPSEC(validate_proposal_request): phase 2: peer " + Topology.ROGUE_OUTSIDE + " claims "
                + claim.ios() + "/0/0 under crypto map mymap 10 (dynmap 10) (no match address), which "
                + claim.because();
        List<String> log = Await.until("the hub's refusal of " + claim.network(), Duration.ofSeconds(5),
                () -> List.copyOf(hubLog), lines -> lines.contains(line));
        assertThat(log).as("the hub's refusal lines for %s", claim.network()).containsOnlyOnce(line);
    }

    /**
     * Wireshark, decrypting with our key log, sees one INVALID_ID_INFORMATION notify (type 18) from the hub per
     * claim, and nothing malformed. The notify travels in an encrypted Informational exchange of the rogue's IKE
     * SA, the last of the three the key log holds (the spoke's and vpnc's were up before the rogue started).
     */
    private static void assertTheNotifiesOnTheWire(Path pcap, Path keyLog) throws IOException {
        List<String> keys = Files.readAllLines(keyLog);
        assertThat(keys).as("IKE SAs in %s", keyLog).hasSize(3);
        String[] rogue = keys.getLast().split(",");
        String option = Tshark.ikev1Decryption(rogue[0], rogue[1]);
        assertThat(Tshark.count(pcap, "ip.src == " + Topology.HUB_OUTSIDE + " && isakmp.notify.msgtype == 18",
                "-o", option)).as("INVALID_ID_INFORMATION notifies from the hub in %s", pcap)
                .isEqualTo(CLAIMS.size());
        assertThat(Tshark.isakmpProblems(pcap, "-o", option)).as("malformed ISAKMP in %s", pcap).isEmpty();
    }

    /** The first word of each route in vpnrouter's peer table: the networks peers brought. */
    private static Set<String> peerTable(Topology t) throws IOException {
        return t.hub().links().ip("route", "show", "table", PEER_TABLE).lines().filter(l -> !l.isBlank())
                .map(l -> l.split("\\s+")[0]).collect(Collectors.toSet());
    }

    /** Pings from the spoke's LAN and from vpnc to the hub's LAN; on failure with the hub's state and log. */
    private static void assertLegitimatePeersReachTheHubLan(Topology t, List<String> hubLog) throws IOException {
        try {
            t.spokeHost().assertPing(Topology.HUB_HOST, 3, Duration.ofSeconds(5));
            t.client().assertPing(Topology.HUB_HOST, 3, Duration.ofSeconds(5));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + t.hub().diagnostics() + "--- our hub's log ---\n"
                    + String.join("\n", hubLog), e);
        }
    }

    private static int countOf(String text, String what) {
        int count = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            count++;
        }
        return count;
    }
}
