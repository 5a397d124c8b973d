package dev.vpnrouter.interop;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.radius.Attribute;
import dev.vpnrouter.radius.RadiusClient;
import dev.vpnrouter.radius.RadiusClient.Outcome;
import dev.vpnrouter.radius.RadiusClient.Request;
import dev.vpnrouter.radius.RadiusClient.Server;
import dev.vpnrouter.radius.RadiusPacket;
import dev.vpnrouter.radius.RadiusTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our RADIUS client against a real FreeRADIUS 3.2 in its own namespace: an Access-Accept with the reply's
 * Framed-IP-Address and Cisco-AVPair, an Access-Reject for a wrong password, an Accounting-Response, failover from
 * a silent server to the live one, NoAnswer with a wrong secret (FreeRADIUS drops a request whose
 * Message-Authenticator does not verify), and tshark decoding every packet without complaint.
 */
@Interop
class FreeRadiusInteropTest {
    private static final String SECRET = "s3cret-shared";
    private static final int HUB = Ipv4.parse("192.0.2.1");
    private static final int RADIUS = Ipv4.parse("192.0.2.10");
    private static final int SILENT = Ipv4.parse("192.0.2.99");

    private static Request login(String user, String password) {
        return Request.access(List.of(Attribute.text(Attribute.USER_NAME, user),
                        Attribute.ipv4(Attribute.NAS_IP_ADDRESS, HUB),
                        Attribute.integer(Attribute.NAS_PORT_TYPE, Attribute.NAS_PORT_TYPE_VIRTUAL),
                        Attribute.text(Attribute.CALLING_STATION_ID, "198.51.100.7")),
                password.getBytes(StandardCharsets.UTF_8));
    }

    private static String log(Daemon d) {
        try {
            return Files.readString(d.logFile());
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static Outcome await(java.util.concurrent.CompletableFuture<Outcome> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    private static RadiusPacket answered(Outcome o) {
        assertThat(o).isInstanceOf(Outcome.Answered.class);
        return ((Outcome.Answered) o).response();
    }

    /** FreeRADIUS in {@code ns} on 192.0.2.10, our hub 192.0.2.1 its one client; running when this returns. */
    private Daemon startFreeRadius(NetNs ns, Path work) throws Exception {
        Path conf = work.resolve("raddb");
        Files.createDirectories(conf);
        String radiusd = new String(getClass().getResourceAsStream("/freeradius/radiusd.conf").readAllBytes(),
                StandardCharsets.UTF_8).replace("@LISTEN@", Ipv4.format(RADIUS)).replace("@CLIENT@",
                Ipv4.format(HUB)).replace("@SECRET@", SECRET);
        Files.writeString(conf.resolve("radiusd.conf"), radiusd);
        Files.write(conf.resolve("users"), getClass().getResourceAsStream("/freeradius/users").readAllBytes());
        Daemon server = ns.start("freeradius", work.resolve("freeradius.log"),
                List.of("freeradius", "-X", "-d", conf.toString()));
        Await.until("FreeRADIUS ready", Duration.ofSeconds(20), () -> log(server),
                log -> log.contains("Ready to process requests") || !server.isAlive());
        assertThat(server.isAlive()).as(log(server)).isTrue();
        return server;
    }

    /**
     * A vty login list {@code group radius local} through the configuration's RADIUS server, as an SSH login
     * runs it: FreeRADIUS's user gets in, its wrong password is refused without asking local, and with
     * FreeRADIUS stopped the local user gets in while the RADIUS user does not.
     */
    @Test
    @Timeout(120)
    void vtyLoginsThroughTheConfiguredRadiusServer() throws Exception {
        Prerequisites.require("ip", "freeradius");
        Path work = Topology.workDir("freeradius-vty-" + ProcessHandle.current().pid());
        dev.vpnrouter.config.model.RouterConfig config = dev.vpnrouter.config.ConfigLoader.load("""
                interface FastEthernet0/0
                 ip address 192.0.2.1 255.255.255.0
                aaa new-model
                aaa authentication login vty group radius local
                username admin privilege 15 password 0 adminpw
                radius server FR
                 address ipv4 192.0.2.10 auth-port 1812 acct-port 1813
                 key %s
                radius-server timeout 1
                radius-server retransmit 1
                ip radius source-interface FastEthernet0/0
                line vty 0 4
                 login authentication vty
                """.formatted(SECRET)).config();
        try (NetNs.Pair pair = NetNs.Pair.linked("nas", "192.0.2.1/24", "radius", "192.0.2.10/24", "rad0")) {
            Daemon server = startFreeRadius(pair.right(), work);
            try (dev.vpnrouter.radius.RadiusLogins radius = new dev.vpnrouter.radius.RadiusLogins(
                    dev.vpnrouter.config.RadiusGroups.of(config))) {
                java.util.function.BiFunction<String, String, java.util.Optional<dev.vpnrouter.cli.remote.VtyLogin
                        .Granted>> login = (user, password) -> {
                            try {
                                return pair.left().call(() -> dev.vpnrouter.cli.remote.VtyLogin.check(config, user,
                                        password, (g, u, p) -> radius.login(g, u, p, HUB, "198.51.100.7")));
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        };
                assertThat(login.apply("gfullage", "cisco123"))
                        .contains(new dev.vpnrouter.cli.remote.VtyLogin.Granted("gfullage", 1));
                assertThat(login.apply("gfullage", "wrong")).isEmpty();
                assertThat(login.apply("admin", "adminpw")).as("RADIUS said no: local is not asked").isEmpty();
                server.stop(Duration.ofSeconds(5));
                assertThat(login.apply("admin", "adminpw")).as("RADIUS silent: local decides")
                        .contains(new dev.vpnrouter.cli.remote.VtyLogin.Granted("admin", 15));
                assertThat(login.apply("gfullage", "cisco123")).isEmpty();
                // show aaa servers' counters: one accept, two rejects, then two logins to a stopped server.
                assertThat(radius.servers()).singleElement().satisfies(st -> {
                    assertThat(st.name()).isEqualTo("FR");
                    assertThat(st.requests()).isEqualTo(5);
                    assertThat(st.accepts()).isEqualTo(1);
                    assertThat(st.rejects()).isEqualTo(2);
                    assertThat(st.timeouts()).isEqualTo(2);
                    assertThat(st.retransmissions()).isEqualTo(2);
                    assertThat(st.badAuthenticators() + st.malformed() + st.unexpected()).isZero();
                    assertThat(st.dead()).as("no radius-server deadtime").isFalse();
                });
            }
            assertThat(log(server)).contains("Calling-Station-Id = \"198.51.100.7\"")
                    .contains("NAS-Port-Type = Virtual").contains("NAS-IP-Address = 192.0.2.1");
        }
    }

    @Test
    @Timeout(120)
    void loginsRejectsAccountingAndFailoverAgainstARealFreeRadius() throws Exception {
        Prerequisites.require("ip", "freeradius", "tshark");
        Path work = Topology.workDir("freeradius-" + ProcessHandle.current().pid());
        try (NetNs.Pair pair = NetNs.Pair.linked("nas", "192.0.2.1/24", "radius", "192.0.2.10/24", "rad0")) {
            NetNs hub = pair.left();
            Daemon server = startFreeRadius(pair.right(), work);
            try (Tshark.Capture capture = Tshark.capture(hub, "rad0", work.resolve("radius.pcap"))) {
                Server live = new Server("live", RADIUS, 1812, SECRET.getBytes(StandardCharsets.UTF_8));
                Server liveAcct = new Server("live", RADIUS, 1813, SECRET.getBytes(StandardCharsets.UTF_8));
                Server silent = new Server("silent", SILENT, 1812, SECRET.getBytes(StandardCharsets.UTF_8));
                RadiusClient.Settings quick = new RadiusClient.Settings(500, 1, 60_000, 64, false);

                try (RadiusTransport group = hub.call(() -> new RadiusTransport(new RadiusClient(
                        List.of(silent, live), quick, new SecureRandom()), 0))) {
                    long start = System.nanoTime();
                    RadiusPacket accept = answered(await(group.submit(login("gfullage", "cisco123"))));
                    assertThat(System.nanoTime() - start).as("one timeout and one retransmission to the silent one "
                            + "first").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1_000));
                    assertThat(accept.code()).isEqualTo(RadiusPacket.ACCESS_ACCEPT);
                    assertThat(accept.first(Attribute.FRAMED_IP_ADDRESS).asInteger())
                            .isEqualTo(Ipv4.parse("10.5.5.9") & 0xffffffffL);
                    assertThat(accept.ciscoAvPairs()).containsExactly("ipsec:dns-servers=10.2.2.2");
                    // The silent server is dead now: the next login goes straight to the live one.
                    start = System.nanoTime();
                    RadiusPacket reject = answered(await(group.submit(login("gfullage", "wrong"))));
                    assertThat(reject.code()).isEqualTo(RadiusPacket.ACCESS_REJECT);
                    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.MILLISECONDS.toNanos(500));
                    List<RadiusTransport.ServerState> states = group.servers().get(5, TimeUnit.SECONDS);
                    assertThat(states.get(0).dead()).isTrue();
                    assertThat(states.get(0).timeouts()).isEqualTo(1);
                    assertThat(states.get(1).accepts()).isEqualTo(1);
                    assertThat(states.get(1).rejects()).isEqualTo(1);
                    assertThat(states.get(1).badAuthenticators()).isZero();
                }

                try (RadiusTransport accounting = hub.call(() -> new RadiusTransport(new RadiusClient(
                        List.of(liveAcct), quick, new SecureRandom()), HUB))) {
                    RadiusPacket ok = answered(await(accounting.submit(Request.accounting(List.of(
                            Attribute.integer(Attribute.ACCT_STATUS_TYPE, 1),
                            Attribute.text(Attribute.ACCT_SESSION_ID, "0000002A"),
                            Attribute.text(Attribute.USER_NAME, "gfullage"),
                            Attribute.ipv4(Attribute.FRAMED_IP_ADDRESS, Ipv4.parse("10.5.5.9")),
                            Attribute.ipv4(Attribute.NAS_IP_ADDRESS, HUB))))));
                    assertThat(ok.code()).isEqualTo(RadiusPacket.ACCOUNTING_RESPONSE);
                }

                Server wrongKey = new Server("live", RADIUS, 1812, "not-the-secret".getBytes(StandardCharsets.UTF_8));
                try (RadiusTransport bad = hub.call(() -> new RadiusTransport(new RadiusClient(List.of(wrongKey),
                        quick, new SecureRandom()), 0))) {
                    assertThat(await(bad.submit(login("gfullage", "cisco123")))).isInstanceOf(Outcome.NoAnswer.class);
                }
                Path pcap = capture.stop();
                assertThat(Tshark.count(pcap, "radius")).isGreaterThanOrEqualTo(8);
                assertThat(Tshark.problems(pcap, "radius")).isEmpty();
                assertThat(Tshark.count(pcap, "radius.code == 2")).isEqualTo(1);
                assertThat(Tshark.count(pcap, "radius.code == 3")).isEqualTo(1);
                assertThat(Tshark.count(pcap, "radius.code == 5")).isEqualTo(1);
            }
            assertThat(Files.readString(server.logFile())).contains("Dropping packet without response because of "
                    + "error: Received packet from 192.0.2.1 with invalid Message-Authenticator!");
        }
    }
}
