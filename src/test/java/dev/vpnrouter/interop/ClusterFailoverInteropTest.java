package dev.vpnrouter.interop;

import dev.vpnrouter.net.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15, the cluster's "Done when", in namespaces: two of our hubs ({@code vpnrouter run}, each its own process,
 * the seed's hub.cfg on its own outside address, both listing both as {@code backup-gateway}), our spoke ({@code
 * vpnrouter run}, the seed's spoke.cfg with {@code set peer} hub 1 then hub 2) and our client ({@code vpnrouter
 * client --pcf}). Both come up through hub 1; hub 1 is killed with SIGKILL; both are back through hub 2 within their
 * DPD period plus 10 s (spoke {@code keepalive 10 3}: 25 s; client {@code keepalive 20 5}: 45 s) and traffic
 * passes. Users and pools are local to each hub (the RADIUS/PostgreSQL variant waits for the sql harness).
 * <pre>
 *  hub1-host 10.1.1.10 ─ in0 [hub1] out0 203.0.113.2/24 ── 203.0.113.1 ┐
 *  hub2-host 10.1.1.10 ─ in0 [hub2] out0 198.51.100.2/24 ─ 198.51.100.1 ┤ [inet]
 *  spoke-host 10.2.2.10 ─ in0 [spoke] out0 192.0.2.2/25 ─── 192.0.2.1 ┤
 *  [client] out0 192.0.2.130/26 ─────────────────────────── 192.0.2.129 ┤
 *  [client2] out0 192.0.2.194/26 ────────────────────────── 192.0.2.193 ┘
 * </pre>
 * Each hub has a LAN of its own with the same addresses (10.1.1.1/23, a host 10.1.1.10), as two sites behind one
 * name would.
 */
@Interop
class ClusterFailoverInteropTest {
    private static final String[] PROGRAMS = {"ip", "ping"};
    private static final Pattern LISTENING = Pattern.compile("listening for IKE on ");
    static final String HUB1 = "203.0.113.2";
    static final String HUB2 = "198.51.100.2";
    static final String SPOKE = "192.0.2.2";
    static final String CLIENT = "192.0.2.130";
    /** A second client, for a second login of the same user. */
    static final String CLIENT2 = "192.0.2.194";
    /** FreeRADIUS on PostgreSQL, in inet (both hubs reach it by their default routes). */
    static final String RADIUS = "203.0.113.1";
    static final String SECRET = "cluster-radius-secret";
    static final String SQL_POOL_FIRST = "10.5.7.10";
    static final String SQL_POOL_LAST = "10.5.7.59";
    static final String HUB_HOST = "10.1.1.10";
    /** DPD period (keepalive + 5 retries) of the spoke's config and of our client (ConfigPolicy.forVpnClient). */
    static final Duration SPOKE_DPD = Duration.ofSeconds(10 + 5 * 3);
    static final Duration CLIENT_DPD = Duration.ofSeconds(20 + 5 * 5);
    static final Duration MARGIN = Duration.ofSeconds(10);

    /** The namespaces and links of the picture above; closes them all. */
    static final class Cluster implements AutoCloseable {
        final List<NetNs> all = new ArrayList<>();
        final List<AutoCloseable> owned = new ArrayList<>();
        NetNs inet;
        NetNs hub1;
        NetNs hub1Host;
        NetNs hub2;
        NetNs hub2Host;
        NetNs spoke;
        NetNs spokeHost;
        NetNs client;
        NetNs client2;

        Cluster() throws IOException {
            try {
                inet = ns("inet");
                hub1 = ns("hub1");
                hub1Host = ns("hub1-host");
                hub2 = ns("hub2");
                hub2Host = ns("hub2-host");
                spoke = ns("spoke");
                spokeHost = ns("spoke-host");
                client = ns("client");
                client2 = ns("client2");
                outside("hub1", hub1, "203.0.113.1", HUB1, 24);
                outside("hub2", hub2, "198.51.100.1", HUB2, 24);
                outside("spoke", spoke, "192.0.2.1", SPOKE, 25);
                outside("client", client, "192.0.2.129", CLIENT, 26);
                outside("client2", client2, "192.0.2.193", CLIENT2, 26);
                lan(hub1, hub1Host, "10.1.1.1", HUB_HOST, 23);
                lan(hub2, hub2Host, "10.1.1.1", HUB_HOST, 23);
                lan(spoke, spokeHost, "10.2.2.2", "10.2.2.10", 24);
                for (NetNs ns : List.of(inet, hub1, hub2, spoke)) {
                    ns.enableForwarding();
                }
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        private NetNs ns(String role) throws IOException {
            NetNs ns = NetNs.create(role);
            all.add(ns);
            ns.disableIpv6();
            return ns;
        }

        private void outside(String name, NetNs router, String inetAddress, String address, int prefix)
                throws IOException {
            inet.veth(name, router, Topology.OUTSIDE_IF);
            inet.addAddress(name, inetAddress + "/" + prefix);
            router.addAddress(Topology.OUTSIDE_IF, address + "/" + prefix);
            router.defaultRoute(inetAddress);
        }

        private static void lan(NetNs router, NetNs host, String routerAddress, String hostAddress, int prefix)
                throws IOException {
            router.veth(Topology.INSIDE_IF, host, Topology.HOST_IF);
            router.addAddress(Topology.INSIDE_IF, routerAddress + "/" + prefix);
            host.addAddress(Topology.HOST_IF, hostAddress + "/" + prefix);
            host.defaultRoute(routerAddress);
        }

        <T extends AutoCloseable> T own(T resource) {
            owned.add(resource);
            return resource;
        }

        @Override
        public void close() {
            for (AutoCloseable r : owned.reversed()) {
                try {
                    r.close();
                } catch (Exception e) {
                    System.err.println("closing " + r + ": " + e);
                }
            }
            all.reversed().forEach(NetNs::close);
        }
    }

    /** The seed hub on {@code outside}, with DPD and both hubs as backup gateways for the client group. */
    static String hubConfig(String outside) throws IOException {
        return Files.readString(Path.of("examples/seed/hub.cfg"))
                .replace("10.48.67.181 255.255.255.224", outside + " 255.255.255.0")
                .replace("  pool ippool\n", "  pool ippool\n  backup-gateway " + HUB1 + "\n  backup-gateway " + HUB2
                        + "\n")
                .replace("crypto isakmp policy 10\n", "crypto isakmp keepalive 10 3\ncrypto isakmp policy 10\n");
    }

    /** The seed spoke on a fixed address, with DPD and {@code set peer} hub 1 then hub 2. */
    static String spokeConfig() throws IOException {
        return Files.readString(Path.of("examples/seed/spoke.cfg"))
                .replace("crypto isakmp key cisco123 address 10.48.67.181\n", "crypto isakmp keepalive 10 3\n"
                        + "crypto isakmp key cisco123 address " + HUB1 + "\ncrypto isakmp key cisco123 address "
                        + HUB2 + "\n")
                .replace("  set peer 10.48.67.181\n", "  set peer " + HUB1 + "\n  set peer " + HUB2 + "\n")
                .replace("  ip address dhcp\n", "  ip address " + SPOKE + " 255.255.255.128\n");
    }

    /** Each hub's Prometheus endpoint, on its namespace's loopback. */
    static final int METRICS_PORT = 9478;

    private static Daemon run(Cluster c, NetNs ns, Path work, String label, String config) throws IOException {
        Path file = Files.writeString(work.resolve(label + ".cfg"), config);
        Daemon d = c.own(ns.startJava(label, work.resolve(label + ".out"), "dev.vpnrouter.app.Main", "run",
                "--config", file.toString(), "--control-socket", work.resolve(label + ".sock").toString(),
                "--metrics-port", String.valueOf(METRICS_PORT)));
        d.awaitLog(LISTENING, Duration.ofSeconds(60));
        return d;
    }

    /** A hub's metrics ({@code GET /metrics} inside its namespace). */
    private static dev.vpnrouter.metrics.PrometheusTextAccess metrics(NetNs hub) throws IOException {
        MetricsInteropTest.Response r = MetricsInteropTest.get(hub, new java.net.InetSocketAddress("127.0.0.1",
                METRICS_PORT), dev.vpnrouter.metrics.MetricsServer.PATH);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return dev.vpnrouter.metrics.PrometheusTextAccess.parse(r.body());
    }

    /** An exec command through a hub's control socket ({@code echo LINE | vpnrouter console --socket S}). */
    private static String exec(Path work, String hub, String line) throws IOException {
        List<String> command = List.of("sh", "-c", "echo '" + line + "' | '" + Path.of(System.getProperty(
                "java.home"), "bin", "java") + "' --enable-native-access=ALL-UNNAMED -cp '"
                + System.getProperty("java.class.path") + "' dev.vpnrouter.app.Main console --socket '"
                + work.resolve(hub + ".sock") + "'");
        Command.Result r = Command.run(Duration.ofSeconds(60), command);
        assertThat(r.ok()).as(r.describe()).isTrue();
        return r.stdout();
    }

    /**
     * {@code vpnrouter client --pcf} in {@code ns}, to {@code host}, as {@code user} (the .pcf names no backup
     * server: the list comes from the hub).
     */
    private static Daemon client(Cluster c, NetNs ns, Path work, String label, String host, String user,
            String password, String... options) throws IOException {
        Path pcf = Files.writeString(work.resolve(label + ".pcf"), "[main]\r\nHost=" + host + "\r\nAuthType=1\r\n"
                + "GroupName=" + SeedPeers.GROUP + "\r\nGroupPwd=" + SeedPeers.GROUP_KEY + "\r\nUsername=" + user
                + "\r\nEnableBackup=0\r\nBackupServer=\r\n");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.vpnrouter.app.Main", "client", "--pcf", pcf.toString()));
        command.addAll(List.of(options));
        return c.own(ns.start("vpnrouter-" + label, work.resolve(label + ".out"), command,
                Map.of("VPNROUTER_PASSWORD", password)));
    }

    /** A second login of {@code user} from client2 through {@code hub}: refused, the client gives up. */
    private static void secondLoginRefused(Cluster c, Path work, String label, String hub, String user,
            String password) throws IOException {
        Daemon second = client(c, c.client2, work, label, hub, user, password, "--timeout", "15");
        assertThat(second.awaitExit(Duration.ofSeconds(40))).as(second.logTail(20)).isEqualTo(1);
        assertThat(second.log()).contains("vpnrouter client: not connected").doesNotContain("Client address:");
    }

    /** The hub configuration with users, group policy, addresses and sessions in FreeRADIUS on PostgreSQL. */
    static String sqlHubConfig(String outside) throws IOException {
        String radiusServer = "radius server FR\n address ipv4 " + RADIUS + " auth-port 1812 acct-port 1813\n key "
                + SECRET + "\nradius-server timeout 2\nradius-server retransmit 1\n";
        String text = hubConfig(outside)
                .replaceAll("(?s)crypto isakmp client configuration group testgroup\\n.*?backup-gateway "
                        + Pattern.quote(HUB2) + "\\n", "")
                .replace("username gfullage password 7 0201024E070A0E2649\n", "")
                .replace("aaa authentication login clientauth local", "aaa authentication login clientauth group "
                        + "radius\naaa accounting network acct start-stop group radius\naaa accounting update "
                        + "periodic 1")
                .replace("aaa authorization network groupauthor local", "aaa authorization network groupauthor group "
                        + "radius")
                .replace("  client authentication list clientauth", "  client authentication list clientauth\n"
                        + "  client accounting list acct")
                // The hub takes a Framed-IP-Address only inside the pool in force: it covers radippool's range.
                .replace("ip local pool ippool 10.5.5.1 10.5.5.254", "ip local pool sqlpool " + SQL_POOL_FIRST + " "
                        + SQL_POOL_LAST)
                .replace("\nend", "\n" + radiusServer + "end");
        assertThat(text).doesNotContain("client configuration group").doesNotContain("username ")
                .contains("ip local pool sqlpool", "client accounting list acct", "address ipv4 " + RADIUS);
        return text;
    }

    /** Pings once a second until one answer comes or {@code deadline} (nanoTime) passes; the time it took. */
    private static Duration pingUntilAnswered(NetNs from, String target, long since, long deadline)
            throws IOException {
        while (System.nanoTime() < deadline) {
            if (from.ping(target, 1, Duration.ofSeconds(1)).ok()) {
                return Duration.ofNanos(System.nanoTime() - since);
            }
        }
        throw new AssertionError("no answer from " + target + " to " + from.role() + " in time\n"
                + from.diagnostics());
    }

    @Test
    @Timeout(300)
    void theSpokeAndTheClientAreBackThroughHub2AfterHub1IsKilled() throws Exception {
        Prerequisites.require(PROGRAMS);
        Path work = Topology.workDir("cluster-failover-" + ProcessHandle.current().pid());
        try (Cluster c = new Cluster()) {
            Daemon hub1 = run(c, c.hub1, work, "hub1", hubConfig(HUB1));
            Daemon hub2 = run(c, c.hub2, work, "hub2", hubConfig(HUB2));
            Daemon spoke = run(c, c.spoke, work, "spoke", spokeConfig());

            // The spoke's first packet brings its entry up with its first peer, hub 1.
            pingUntilAnswered(c.spokeHost, HUB_HOST, System.nanoTime(), System.nanoTime()
                    + Duration.ofSeconds(30).toNanos());
            c.spokeHost.assertPing(HUB_HOST, 3, Duration.ofSeconds(10));

            Daemon client = client(c, c.client, work, "client", HUB1, SeedPeers.XAUTH_USER,
                    SeedPeers.XAUTH_PASSWORD);
            String log = client.awaitLog(Pattern.compile("Routes:.*"), Duration.ofSeconds(60));
            assertThat(log).contains("vpnrouter client: connected through vpnr0", "Client address:  10.5.5.1",
                    "Routes:          " + HUB1 + "/32 via 192.0.2.129 dev out0");
            c.client.assertPing(HUB_HOST, 3, Duration.ofSeconds(10));

            // Each hub shows its own sessions: all on hub 1, none on hub 2.
            assertThat(exec(work, "hub1", "show crypto session")).contains("Peer: " + SPOKE).contains("Peer: "
                    + CLIENT);
            assertThat(exec(work, "hub2", "show crypto session")).doesNotContain("Peer: ");
            // And its own metrics: hub 1 holds the spoke's and the client's SAs, hub 2 none.
            assertThat(metrics(c.hub1).value("vpnrouter_ike_sas_up")).isEqualTo(2);
            assertThat(metrics(c.hub2).value("vpnrouter_ike_sas_up")).isZero();
            assertThat(metrics(c.hub2).value("vpnrouter_pool_addresses_in_use", "pool", "ippool")).isZero();

            long killed = System.nanoTime();
            ProcessHandle.of(hub1.pid()).orElseThrow().destroyForcibly(); // SIGKILL: no Deletes, nothing
            assertThat(hub1.awaitExit(Duration.ofSeconds(10))).isEqualTo(137);

            Duration spokeBack = pingUntilAnswered(c.spokeHost, HUB_HOST, killed,
                    killed + SPOKE_DPD.plus(MARGIN).toNanos());
            String clientLog = client.awaitLog(Pattern.compile("connected through the backup gateway "
                    + Pattern.quote(HUB2)), Duration.ofNanos(killed + CLIENT_DPD.plus(MARGIN).toNanos()
                    - System.nanoTime()));
            Duration clientBack = Duration.ofNanos(System.nanoTime() - killed);
            c.client.assertPing(HUB_HOST, 3, Duration.ofSeconds(10));
            c.spokeHost.assertPing(HUB_HOST, 3, Duration.ofSeconds(10));
            c.hub2Host.assertPing("10.2.2.10", 2, Duration.ofSeconds(10));
            c.hub2Host.assertPing("10.5.5.1", 2, Duration.ofSeconds(10));
            System.out.println("cluster failover: spoke back through hub 2 in " + spokeBack.toMillis()
                    + " ms (bound " + SPOKE_DPD.plus(MARGIN).toMillis() + "), client in at most "
                    + clientBack.toMillis() + " ms (bound " + CLIENT_DPD.plus(MARGIN).toMillis() + "); load "
                    + Files.readString(Path.of("/proc/loadavg")).strip());
            // Hub 2's pool is its own: the first client there gets the first address too.
            assertThat(clientLog).contains("connected through the backup gateway " + HUB2 + ", address 10.5.5.1");
            assertThat(client.isAlive()).isTrue();
            assertThat(spoke.isAlive()).isTrue();
            String sessions = exec(work, "hub2", "show crypto session");
            assertThat(sessions).contains("Peer: " + SPOKE).contains("Peer: " + CLIENT);
            dev.vpnrouter.metrics.PrometheusTextAccess after = metrics(c.hub2);
            assertThat(after.value("vpnrouter_ike_sas_up")).isEqualTo(2);
            assertThat(after.value("vpnrouter_ipsec_sas_up")).isEqualTo(2);
            assertThat(after.value("vpnrouter_pool_addresses_in_use", "pool", "ippool")).isEqualTo(1);
            assertThat(hub2.isAlive()).isTrue();
        }
    }

    /**
     * The same with FreeRADIUS on PostgreSQL ({@link PostgresRadius}, in inet) for both hubs: the group policy
     * (backup gateways included) and users in SQL, addresses from sqlippool, Simultaneous-Use := 1 over radacct.
     * The client keeps its address through hub 2; radippool never gives anyone a second address; a second login of
     * the user from elsewhere is refused on hub 1, and on hub 2 before and after the failover.
     */
    @Test
    @Timeout(400)
    void withFreeRadiusOnPostgresqlTheClientKeepsItsAddressAndMaxLoginsHoldsOnEitherHub() throws Exception {
        Prerequisites.require(PROGRAMS);
        PostgresRadius.requirePrograms();
        Path work = Topology.workDir("cluster-failover-sql-" + ProcessHandle.current().pid());
        try (Cluster c = new Cluster()) {
            PostgresRadius aaa = c.own(PostgresRadius.start(c.inet, work, PostgresRadius.Settings.of(RADIUS, SECRET,
                    HUB1, HUB2)));
            aaa.addUser(SeedPeers.GROUP, "cisco");
            aaa.addUserToGroup(SeedPeers.GROUP, "ipsec-testgroup");
            for (String pair : List.of("ipsec:tunnel-password=" + SeedPeers.GROUP_KEY, "ipsec:key-exchange=ike",
                    "ipsec:addr-pool=sqlpool", "ipsec:dns-servers=1.1.1.1 2.2.2.2", "ipsec:default-domain=cisco.com",
                    "ipsec:backup-gateway=" + HUB1, "ipsec:backup-gateway=" + HUB2)) {
                aaa.addGroupReply("ipsec-testgroup", "Cisco-AVPair", "+=", pair);
            }
            aaa.addPool("vpnusers", "sqlpool", SQL_POOL_FIRST, SQL_POOL_LAST);
            aaa.addGroupCheck("vpnusers", "Simultaneous-Use", ":=", "1");
            aaa.addUser("alice", "alice-pw");
            aaa.addUserToGroup("alice", "vpnusers");

            Daemon hub1 = run(c, c.hub1, work, "hub1", sqlHubConfig(HUB1));
            Daemon hub2 = run(c, c.hub2, work, "hub2", sqlHubConfig(HUB2));
            run(c, c.spoke, work, "spoke", spokeConfig());
            pingUntilAnswered(c.spokeHost, HUB_HOST, System.nanoTime(), System.nanoTime()
                    + Duration.ofSeconds(30).toNanos());

            Daemon client = client(c, c.client, work, "client", HUB1, "alice", "alice-pw");
            String log = client.awaitLog(Pattern.compile("Routes:.*"), Duration.ofSeconds(60));
            PostgresRadius.Lease lease = Await.until("alice's lease", Duration.ofSeconds(5), () -> leaseOf(aaa,
                    "alice"), l -> l != null && l.held());
            String address = lease.address();
            assertThat(log).contains("Client address:  " + address, "DNS servers:     1.1.1.1 2.2.2.2");
            c.client.assertPing(HUB_HOST, 3, Duration.ofSeconds(10));
            Await.until("alice's Start in radacct", Duration.ofSeconds(15), () -> sessions(aaa, "alice"),
                    l -> l.size() == 1);
            assertOneAddressEach(aaa);

            // max-logins: alice again, from client2, through either hub.
            secondLoginRefused(c, work, "second-hub1", HUB1, "alice", "alice-pw");
            secondLoginRefused(c, work, "second-hub2", HUB2, "alice", "alice-pw");
            assertThat(aaa.radius().log()).contains("Multiple logins (max 1)");
            assertOneAddressEach(aaa);

            long killed = System.nanoTime();
            ProcessHandle.of(hub1.pid()).orElseThrow().destroyForcibly(); // no Stop reaches radacct
            assertThat(hub1.awaitExit(Duration.ofSeconds(10))).isEqualTo(137);
            Duration spokeBack = pingUntilAnswered(c.spokeHost, HUB_HOST, killed,
                    killed + SPOKE_DPD.plus(MARGIN).toNanos());
            String clientLog = client.awaitLog(Pattern.compile("connected through the backup gateway "
                    + Pattern.quote(HUB2)), Duration.ofNanos(killed + CLIENT_DPD.plus(MARGIN).toNanos()
                    - System.nanoTime()));
            Duration clientBack = Duration.ofNanos(System.nanoTime() - killed);
            System.out.println("cluster failover (RADIUS/SQL): spoke back through hub 2 in " + spokeBack.toMillis()
                    + " ms, client in at most " + clientBack.toMillis() + " ms; load "
                    + Files.readString(Path.of("/proc/loadavg")).strip());
            assertThat(clientLog).as("the client keeps its address").contains("connected through the backup gateway "
                    + HUB2 + ", address " + address);
            c.client.assertPing(HUB_HOST, 3, Duration.ofSeconds(10));
            c.hub2Host.assertPing(address, 2, Duration.ofSeconds(10));
            assertThat(leaseOf(aaa, "alice")).satisfies(l -> {
                assertThat(l.address()).isEqualTo(address);
                assertThat(l.nas()).isEqualTo(HUB2);
                assertThat(l.held()).isTrue();
            });
            assertOneAddressEach(aaa);

            // Still one login for alice: from elsewhere through hub 2, refused.
            Await.until("alice's Start from hub 2 in radacct", Duration.ofSeconds(15), () -> sessions(aaa, "alice"),
                    l -> l.stream().anyMatch(s -> s.nas().equals(HUB2)));
            secondLoginRefused(c, work, "second-after", HUB2, "alice", "alice-pw");
            assertOneAddressEach(aaa);
            assertThat(client.isAlive()).isTrue();
            assertThat(hub2.isAlive()).isTrue();
            String sessions = exec(work, "hub2", "show crypto session");
            assertThat(sessions).contains("Peer: " + SPOKE).contains("Peer: " + CLIENT).doesNotContain(CLIENT2);
        }
    }

    private static PostgresRadius.Lease leaseOf(PostgresRadius aaa, String user) {
        try {
            return aaa.leases().stream().filter(l -> l.poolKey().equals(user)).findFirst().orElse(null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<PostgresRadius.Session> sessions(PostgresRadius aaa, String user) {
        try {
            return aaa.sessions().stream().filter(s -> s.user().equals(user)).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** radippool: no user holds two addresses (a row is one address, so no address is held twice either). */
    private static void assertOneAddressEach(PostgresRadius aaa) throws IOException {
        List<PostgresRadius.Lease> held = aaa.leases().stream().filter(PostgresRadius.Lease::held).toList();
        assertThat(held.stream().map(PostgresRadius.Lease::poolKey).toList()).as("held leases " + held)
                .doesNotHaveDuplicates();
        assertThat(held.stream().map(PostgresRadius.Lease::address).toList()).doesNotHaveDuplicates();
    }
}
