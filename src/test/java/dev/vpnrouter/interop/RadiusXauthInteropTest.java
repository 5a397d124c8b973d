package dev.vpnrouter.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15: Xauth through RADIUS on the wire. Our hub runs the seed hub.cfg with its Xauth list changed to
 * {@code group radius local} and a RADIUS server on its inside LAN (a real FreeRADIUS 3.2); vpnc behind a NAT logs
 * in as a user only FreeRADIUS knows, gets its Mode Config with the Framed-IP-Address FreeRADIUS assigns and reaches
 * the hub LAN. The Access-Request carries the client's address as Calling-Station-Id and NAS-Port-Type Virtual.
 */
@Interop
class RadiusXauthInteropTest {
    private static final String SECRET = "radius-x-secret";

    @Test
    @Timeout(150)
    void vpncLogsInAsAUserOnlyFreeRadiusKnows() throws Exception {
        Prerequisites.require("ip", "ping", "nsenter", "vpnc", "nft", "freeradius");
        Path work = Topology.workDir("radius-xauth-" + ProcessHandle.current().pid());
        try (Topology t = Topology.builder(work).spokeDhcp(false).client(Topology.ClientMode.NAT).build()) {
            Path raddb = work.resolve("raddb");
            Files.createDirectories(raddb);
            Files.writeString(raddb.resolve("radiusd.conf"), new String(getClass().getResourceAsStream(
                    "/freeradius/radiusd.conf").readAllBytes(), StandardCharsets.UTF_8)
                    .replace("@LISTEN@", Topology.HUB_HOST).replace("@CLIENT@", Topology.HUB_INSIDE)
                    .replace("@SECRET@", SECRET));
            Files.write(raddb.resolve("users"), getClass().getResourceAsStream("/freeradius/users").readAllBytes());
            Daemon radius = t.hubHost().start("freeradius", work.resolve("freeradius.log"),
                    List.of("freeradius", "-X", "-d", raddb.toString()));
            Await.until("FreeRADIUS ready", Duration.ofSeconds(20), () -> log(radius),
                    l -> l.contains("Ready to process requests") || !radius.isAlive());

            String hubText = EngineStrongSwanInteropTest.seed("hub.cfg")
                    .replace("aaa authentication login clientauth local",
                            "aaa authentication login clientauth group radius local")
                    .replace("\nend", "\nradius server FR\n address ipv4 " + Topology.HUB_HOST
                            + " auth-port 1812 acct-port 1813\n key " + SECRET + "\nradius-server timeout 2\nend");
            Path hubCfg = work.resolve("hub.cfg");
            Files.writeString(hubCfg, hubText);
            Daemon hub = t.hub().startJava("our-hub", work.resolve("our-hub.out"), "dev.vpnrouter.app.Main", "run",
                    "--config", hubCfg.toString());
            hub.awaitLog(Pattern.compile("listening for IKE on "), Duration.ofSeconds(30));
            assertThat(hub.log()).doesNotContain("error");

            Vpnc vpnc = t.own(Vpnc.start(t.client(), work.resolve("vpnc"), Vpnc.Config.seed(Topology.HUB_OUTSIDE)
                    .withCredentials("radiususer", "radiuspw")));
            Vpnc.Received received = vpnc.awaitConnected(Duration.ofSeconds(40));
            assertThat(received.variable("INTERNAL_IP4_ADDRESS")).as("FreeRADIUS's Framed-IP-Address")
                    .isEqualTo("10.5.5.42");
            t.client().assertPing(Topology.HUB_HOST, 3, Duration.ofSeconds(15));

            assertThat(log(radius)).contains("Login OK: [radiususer]")
                    .contains("Calling-Station-Id = \"" + Topology.CLIENT_OUTSIDE + "\"")
                    .contains("NAS-Port-Type = Virtual");
            hub.stop(Duration.ofSeconds(15));
        }
    }

    /**
     * Issue 15: a hub whose configuration has no client group and no local users. FreeRADIUS holds both: the
     * profile's isakmp authorization list asks it for testgroup (its key and the seed's DNS, WINS and domain as
     * Cisco-AVPairs, one of them malformed and not applied), Xauth asks it for the user. vpnc gets the group's Mode
     * Config (and its Framed-IP-Address) and reaches the hub LAN.
     */
    @Test
    @Timeout(150)
    void vpncGetsItsGroupAndItsLoginFromFreeRadiusAlone() throws Exception {
        Prerequisites.require("ip", "ping", "nsenter", "vpnc", "nft", "freeradius");
        Path work = Topology.workDir("radius-group-" + ProcessHandle.current().pid());
        try (Topology t = Topology.builder(work).spokeDhcp(false).client(Topology.ClientMode.NAT).build()) {
            Path raddb = work.resolve("raddb");
            Files.createDirectories(raddb);
            Files.writeString(raddb.resolve("radiusd.conf"), new String(getClass().getResourceAsStream(
                    "/freeradius/radiusd.conf").readAllBytes(), StandardCharsets.UTF_8)
                    .replace("@LISTEN@", Topology.HUB_HOST).replace("@CLIENT@", Topology.HUB_INSIDE)
                    .replace("@SECRET@", SECRET));
            Files.write(raddb.resolve("users"), getClass().getResourceAsStream("/freeradius/users").readAllBytes());
            Daemon radius = t.hubHost().start("freeradius", work.resolve("freeradius.log"),
                    List.of("freeradius", "-X", "-d", raddb.toString()));
            Await.until("FreeRADIUS ready", Duration.ofSeconds(20), () -> log(radius),
                    l -> l.contains("Ready to process requests") || !radius.isAlive());

            String seed = EngineStrongSwanInteropTest.seed("hub.cfg");
            String hubText = seed
                    .replaceAll("(?s)crypto isakmp client configuration group testgroup\\n.*?pool ippool\\n", "")
                    .replace("username gfullage password 7 0201024E070A0E2649\n", "")
                    .replace("aaa authentication login clientauth local",
                            "aaa authentication login clientauth group radius")
                    .replace("aaa authorization network groupauthor local",
                            "aaa authorization network groupauthor group radius")
                    .replace("\nend", "\nradius server FR\n address ipv4 " + Topology.HUB_HOST
                            + " auth-port 1812 acct-port 1813\n key " + SECRET + "\nradius-server timeout 2\nend");
            assertThat(hubText).doesNotContain("client configuration group").doesNotContain("username ")
                    .contains("isakmp authorization list groupauthor");
            Path hubCfg = work.resolve("hub.cfg");
            Files.writeString(hubCfg, hubText);
            Daemon hub = t.hub().startJava("our-hub", work.resolve("our-hub.out"), "dev.vpnrouter.app.Main", "run",
                    "--config", hubCfg.toString());
            hub.awaitLog(Pattern.compile("listening for IKE on "), Duration.ofSeconds(30));
            assertThat(hub.log()).as("a group only the servers hold is no configuration error").doesNotContain("error");

            Vpnc vpnc = t.own(Vpnc.start(t.client(), work.resolve("vpnc"), Vpnc.Config.seed(Topology.HUB_OUTSIDE)
                    .withCredentials("radiususer", "radiuspw")));
            Vpnc.Received received = vpnc.awaitConnected(Duration.ofSeconds(40));
            assertThat(received.dns()).containsExactly("1.1.1.1", "2.2.2.2");
            assertThat(received.wins()).containsExactly("3.3.3.3", "4.4.4.4");
            assertThat(received.defaultDomain()).isEqualTo("cisco.com");
            assertThat(received.banner()).isEqualTo("Group policy from FreeRADIUS");
            assertThat(received.variable("INTERNAL_IP4_ADDRESS")).as("FreeRADIUS's Framed-IP-Address")
                    .isEqualTo("10.5.5.42");
            t.client().assertPing(Topology.HUB_HOST, 3, Duration.ofSeconds(15));
            assertThat(log(radius)).contains("Login OK: [testgroup]").contains("Login OK: [radiususer]");
            assertThat(hub.log()).contains("max-users not applied");
            hub.stop(Duration.ofSeconds(15));
        }
    }

    private static String log(Daemon d) {
        try {
            return Files.readString(d.logFile());
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
