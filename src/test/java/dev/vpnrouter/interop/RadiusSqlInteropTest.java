package dev.vpnrouter.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15's first "Done when": one hub of ours (the `run` command) whose configuration has no local users and no
 * client group, a real FreeRADIUS 3.2 on a real PostgreSQL 15 ({@link PostgresRadius}) on its inside LAN.
 * <ul>
 *   <li>vpnc behind a NAT and our `vpnrouter client` (without a NAT) log in: the group's key and the seed's DNS,
 *   WINS and domain come from radgroupreply's Cisco-AVPairs, Xauth from radcheck, each address from sqlippool (the
 *   radippool row that holds it names the user);</li>
 *   <li>a wrong password is refused (radpostauth has the Access-Reject) and vpnc gets no tunnel;</li>
 *   <li>after about 1 MB each way radacct has the Start, an Interim-Update with the octets so far and the Stop
 *   (User-Request) with the transfer's octets both ways, and the Stop gave the address back to the pool.</li>
 * </ul>
 * Then the hub runs a second configuration (the seed's local group and one local user, the same RADIUS server and
 * accounting) with FreeRADIUS stopped: {@code group radius local} lets the local user in, and the Start and Stop
 * the hub queued meanwhile reach radacct once FreeRADIUS is back.
 */
@Interop
class RadiusSqlInteropTest {
    private static final String SECRET = "radius-sql-secret";
    private static final String SQL_POOL_FIRST = "10.5.7.10";
    private static final String SQL_POOL_LAST = "10.5.7.59";
    private static final int PINGS = 800;
    private static final int PING_SIZE = 1200; // ICMP payload: 1228-byte IP packets

    @Test
    @Timeout(400)
    void vpncAndOurClientThroughFreeRadiusOnPostgresqlThenLocalFallbackWithQueuedAccounting() throws Exception {
        Prerequisites.require("ip", "ping", "nsenter", "vpnc", "nft");
        PostgresRadius.requirePrograms();
        Path work = Topology.workDir("radius-sql-" + ProcessHandle.current().pid());
        try (Topology t = Topology.builder(work).spokeDhcp(false).client(Topology.ClientMode.NAT).build();
             PostgresRadius aaa = PostgresRadius.start(t.hubHost(), work, PostgresRadius.Settings.of(
                     Topology.HUB_HOST, SECRET, Topology.HUB_INSIDE))) {
            // The IPsec group as RADIUS keeps it (the group name is the User-Name, password "cisco"), its policy in
            // radgroupreply through a RADIUS group of its own.
            aaa.addUser(SeedPeers.GROUP, "cisco");
            aaa.addUserToGroup(SeedPeers.GROUP, "ipsec-testgroup");
            for (String pair : List.of("ipsec:tunnel-password=" + SeedPeers.GROUP_KEY, "ipsec:key-exchange=ike",
                    "ipsec:addr-pool=sqlpool", "ipsec:dns-servers=1.1.1.1 2.2.2.2", "ipsec:wins-servers=3.3.3.3 4.4.4.4",
                    "ipsec:default-domain=cisco.com")) {
                aaa.addGroupReply("ipsec-testgroup", "Cisco-AVPair", "+=", pair);
            }
            // The VPN users, in a RADIUS group that draws addresses from sqlippool and allows one login each.
            aaa.addPool("vpnusers", "sqlpool", SQL_POOL_FIRST, SQL_POOL_LAST);
            aaa.addGroupCheck("vpnusers", "Simultaneous-Use", ":=", "1");
            for (String user : List.of("alice", "bob")) {
                aaa.addUser(user, user + "-pw");
                aaa.addUserToGroup(user, "vpnusers");
            }

            String seed = EngineStrongSwanInteropTest.seed("hub.cfg");
            String radiusServer = "radius server FR\n address ipv4 " + Topology.HUB_HOST
                    + " auth-port 1812 acct-port 1813\n key " + SECRET + "\nradius-server timeout 2\n"
                    + "radius-server retransmit 1\n";
            String accounting = "aaa accounting network acct start-stop group radius\n"
                    + "aaa accounting update periodic 1";
            String hubText = seed
                    .replaceAll("(?s)crypto isakmp client configuration group testgroup\\n.*?pool ippool\\n", "")
                    .replace("username gfullage password 7 0201024E070A0E2649\n", "")
                    .replace("aaa authentication login clientauth local",
                            "aaa authentication login clientauth group radius local\n" + accounting)
                    .replace("aaa authorization network groupauthor local",
                            "aaa authorization network groupauthor group radius")
                    .replace("  client authentication list clientauth",
                            "  client authentication list clientauth\n  client accounting list acct")
                    // The pool the group's ipsec:addr-pool names covers radippool's range: the hub takes a
                    // Framed-IP-Address only inside the pool in force, and only while it is free here.
                    .replace("ip local pool ippool 10.5.5.1 10.5.5.254",
                            "ip local pool sqlpool " + SQL_POOL_FIRST + " " + SQL_POOL_LAST)
                    .replace("\nend", "\n" + radiusServer + "end");
            assertThat(hubText).doesNotContain("client configuration group").doesNotContain("username ")
                    .contains("ip local pool sqlpool", "client accounting list acct");
            Path hubCfg = work.resolve("hub-sql.cfg");
            Files.writeString(hubCfg, hubText);
            Daemon hub = t.hub().startJava("our-hub", work.resolve("our-hub.out"), "dev.vpnrouter.app.Main", "run",
                    "--config", hubCfg.toString());
            hub.awaitLog(Pattern.compile("listening for IKE on "), Duration.ofSeconds(30));

            // A wrong password: FreeRADIUS says Access-Reject, vpnc gets no tunnel.
            Vpnc wrong = t.own(Vpnc.start(t.client(), work.resolve("vpnc-wrong"),
                    Vpnc.Config.seed(Topology.HUB_OUTSIDE).withCredentials("alice", "not-her-password")));
            Await.until("the refused vpnc gone", Duration.ofSeconds(40), wrong::isAlive, alive -> !alive);
            assertThat(Files.exists(work.resolve("vpnc-wrong").resolve("connect.done"))).isFalse();
            assertThat(aaa.postAuth("alice")).containsExactly("Access-Reject");
            assertThat(aaa.leases()).noneMatch(PostgresRadius.Lease::held);

            // vpnc behind the NAT as alice: group from RADIUS, address from sqlippool.
            Vpnc vpnc = t.own(Vpnc.start(t.client(), work.resolve("vpnc"), Vpnc.Config.seed(Topology.HUB_OUTSIDE)
                    .withCredentials("alice", "alice-pw")));
            Vpnc.Received received = vpnc.awaitConnected(Duration.ofSeconds(40));
            assertThat(received.dns()).containsExactly("1.1.1.1", "2.2.2.2");
            assertThat(received.wins()).containsExactly("3.3.3.3", "4.4.4.4");
            assertThat(received.defaultDomain()).isEqualTo("cisco.com");
            String aliceAddress = received.variable("INTERNAL_IP4_ADDRESS");
            PostgresRadius.Lease aliceLease = lease(aaa, "alice").orElseThrow();
            assertThat(aliceLease.address()).as("vpnc's address is sqlippool's").isEqualTo(aliceAddress);
            assertThat(aliceLease.held()).isTrue();
            assertThat(aliceLease.callingStation()).isEqualTo(Topology.CLIENT_OUTSIDE);

            // Our client as bob, from the spoke's namespace (no NAT): its own sqlippool address.
            Path pcf = Files.writeString(work.resolve("hub.pcf"), "[main]\r\nDescription=SQL hub\r\nHost="
                    + Topology.HUB_OUTSIDE + "\r\nAuthType=1\r\nGroupName=" + SeedPeers.GROUP + "\r\nGroupPwd=\r\n"
                    + "enc_GroupPwd=" + dev.vpnrouter.config.secret.CiscoClientPassword.encode(SeedPeers.GROUP_KEY,
                    new java.security.SecureRandom()) + "\r\nUsername=bob\r\n");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    "dev.vpnrouter.app.Main", "client", "--pcf", pcf.toString()));
            Daemon ourClient = t.spoke().start("vpnrouter-client", work.resolve("client.log"), command,
                    Map.of("VPNROUTER_PASSWORD", "bob-pw"));
            String clientLog = ourClient.awaitLog(Pattern.compile("Routes:.*"), Duration.ofSeconds(40));
            PostgresRadius.Lease bobLease = lease(aaa, "bob").orElseThrow();
            assertThat(bobLease.address()).isNotEqualTo(aliceAddress);
            assertThat(clientLog).contains("Client address:  " + bobLease.address(),
                    "DNS servers:     1.1.1.1 2.2.2.2", "WINS servers:    3.3.3.3 4.4.4.4", "Default domain:  cisco.com");
            t.spoke().assertPing(Topology.HUB_HOST, 3, Duration.ofSeconds(10));
            ourClient.stop(Duration.ofSeconds(10));
            Await.until("bob's Stop in radacct", Duration.ofSeconds(20), () -> session(aaa, "bob"),
                    s -> s.isPresent() && s.get().stopped());
            assertThat(lease(aaa, "bob").orElseThrow().held()).as("the Stop gave bob's address back").isFalse();

            // About 1 MB each way through vpnc's tunnel; radacct follows: Start, Interim-Update, Stop.
            PostgresRadius.Session started = Await.until("alice's Start in radacct", Duration.ofSeconds(15),
                    () -> session(aaa, "alice"), Optional::isPresent).orElseThrow();
            assertThat(started.framedAddress()).isEqualTo(aliceAddress);
            assertThat(started.nas()).isEqualTo(Topology.HUB_OUTSIDE);
            assertThat(started.callingStation()).isEqualTo(Topology.CLIENT_OUTSIDE);
            var ping = t.client().exec(Duration.ofSeconds(60), "ping", "-q", "-c", String.valueOf(PINGS), "-i",
                    "0.005", "-s", String.valueOf(PING_SIZE), Topology.HUB_HOST);
            assertThat(ping.exitCode()).as(ping.toString()).isZero();
            long sent = (long) PINGS * (PING_SIZE + 28);
            PostgresRadius.Session interim = Await.until("alice's Interim-Update in radacct", Duration.ofSeconds(90),
                    () -> session(aaa, "alice"), s -> s.isPresent() && s.get().updatedAfterStart()).orElseThrow();
            assertThat(interim.stopped()).isFalse();
            assertThat(interim.inputOctets()).as("Interim octets from the client").isGreaterThanOrEqualTo(sent);
            assertThat(interim.outputOctets()).as("Interim octets to the client").isGreaterThanOrEqualTo(sent);

            vpnc.close(); // its Delete
            PostgresRadius.Session stop = Await.until("alice's Stop in radacct", Duration.ofSeconds(20),
                    () -> session(aaa, "alice"), s -> s.isPresent() && s.get().stopped()).orElseThrow();
            assertThat(stop.sessionId()).isEqualTo(started.sessionId());
            assertThat(stop.terminateCause()).isEqualTo("User-Request");
            assertThat(stop.inputOctets()).as("octets from the client").isBetween(sent, sent + 200_000);
            assertThat(stop.outputOctets()).as("octets to the client").isBetween(sent, sent + 200_000);
            assertThat(lease(aaa, "alice").orElseThrow().held()).as("the Stop gave alice's address back").isFalse();
            assertThat(aaa.sessions()).hasSize(2);
            hub.stop(Duration.ofSeconds(15));

            // FreeRADIUS down, a hub with the seed's local group and user: group radius local falls back to
            // local, and the accounting queued meanwhile reaches radacct once FreeRADIUS is back.
            String fallbackText = seed
                    .replace("aaa authentication login clientauth local",
                            "aaa authentication login clientauth group radius local\n" + accounting)
                    .replace("  client authentication list clientauth",
                            "  client authentication list clientauth\n  client accounting list acct")
                    .replace("\nend", "\n" + radiusServer + "end");
            Path fallbackCfg = work.resolve("hub-fallback.cfg");
            Files.writeString(fallbackCfg, fallbackText);
            aaa.stopRadius();
            Daemon fallbackHub = t.hub().startJava("our-hub-fallback", work.resolve("our-hub-fallback.out"),
                    "dev.vpnrouter.app.Main", "run", "--config", fallbackCfg.toString());
            fallbackHub.awaitLog(Pattern.compile("listening for IKE on "), Duration.ofSeconds(30));
            Vpnc local = t.own(Vpnc.start(t.client(), work.resolve("vpnc-local"),
                    Vpnc.Config.seed(Topology.HUB_OUTSIDE)));
            Vpnc.Received localReceived = local.awaitConnected(Duration.ofSeconds(60));
            assertThat(localReceived.variable("INTERNAL_IP4_ADDRESS")).as("the local pool").isEqualTo("10.5.5.1");
            t.client().assertPing(Topology.HUB_HOST, 3, Duration.ofSeconds(10));
            local.close();
            Thread.sleep(3_000); // the Stop joins the Start in the hub's queue
            assertThat(session(aaa, SeedPeers.XAUTH_USER)).as("nothing reached radacct while FreeRADIUS was down")
                    .isEmpty();
            aaa.startRadius();
            PostgresRadius.Session queued = Await.until("the queued Start and Stop in radacct",
                    Duration.ofSeconds(60), () -> session(aaa, SeedPeers.XAUTH_USER),
                    s -> s.isPresent() && s.get().stopped()).orElseThrow();
            assertThat(queued.framedAddress()).isEqualTo("10.5.5.1");
            assertThat(queued.terminateCause()).isEqualTo("User-Request");
            assertThat(queued.inputOctets()).as("the pings' octets").isPositive();
            fallbackHub.stop(Duration.ofSeconds(15));
        }
    }

    private static Optional<PostgresRadius.Lease> lease(PostgresRadius aaa, String user) {
        try {
            return aaa.leases().stream().filter(l -> l.poolKey().equals(user)).findFirst();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Optional<PostgresRadius.Session> session(PostgresRadius aaa, String user) {
        try {
            return aaa.sessions().stream().filter(s -> s.user().equals(user)).findFirst();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
