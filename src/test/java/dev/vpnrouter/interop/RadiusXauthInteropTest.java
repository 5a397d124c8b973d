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

    /**
     * Issue 15: a token-card user. FreeRADIUS answers the PIN with an Access-Challenge ("Enter the next passcode"
     * and a State); our hub asks the client again for XAUTH_PASSCODE with that message, our client ({@code
     * vpnrouter client --passcode-file}) answers, and the passcode goes back with the State: FreeRADIUS accepts it
     * with its Framed-IP-Address and the client reaches the hub LAN. The same user with a wrong passcode is
     * rejected after the challenge and gets no tunnel. vpnc, answering at its passcode prompt, gets in too.
     */
    @Test
    @Timeout(150)
    void ourClientAnswersTheServersChallengeWithTheNextPasscode() throws Exception {
        Prerequisites.require("ip", "ping", "nsenter", "freeradius", "vpnc", "setsid");
        Path work = Topology.workDir("radius-challenge-" + ProcessHandle.current().pid());
        try (Topology t = Topology.builder(work).spokeDhcp(false).client(Topology.ClientMode.DIRECT).build()) {
            Daemon radius = startFreeRadius(t, work);
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

            Path wrong = Files.writeString(work.resolve("wrong.codes"), "111111\n");
            Daemon refused = ourClient(t, work, "refused", wrong);
            Await.until("the wrong passcode refused", Duration.ofSeconds(40), () -> log(refused),
                    l -> !refused.isAlive());
            assertThat(log(refused)).doesNotContain("connected through");
            assertThat(log(radius)).contains("Login incorrect").contains("tokenuser");

            Path codes = Files.writeString(work.resolve("token.codes"), "654321\n");
            Daemon client = ourClient(t, work, "token", codes);
            String out = client.awaitLog(Pattern.compile("Routes:.*"), Duration.ofSeconds(40));
            assertThat(out).contains("Client address:  10.5.5.43");
            t.client().assertPing(Topology.HUB_HOST, 3, Duration.ofSeconds(15));
            assertThat(log(radius)).contains("Login OK: [tokenuser]")
                    .contains("State = 0x6e6578742d70617373636f6465");
            client.stop(Duration.ofSeconds(10)); // its Delete gives 10.5.5.43 back

            // vpnc answers the same challenge as a person at its prompt ("Passcode for VPN tokenuser@...").
            Vpnc vpnc = t.own(Vpnc.startAnswering(t.client(), work.resolve("vpnc"), Vpnc.Config.seed(
                    Topology.HUB_OUTSIDE).withCredentials("tokenuser", "pin1234"), List.of("654321")));
            Vpnc.Received received = vpnc.awaitConnected(Duration.ofSeconds(40));
            assertThat(received.variable("INTERNAL_IP4_ADDRESS")).isEqualTo("10.5.5.43");
            assertThat(vpnc.log()).contains("Enter the next passcode").contains("Passcode for VPN tokenuser@");
            t.client().assertPing(Topology.HUB_HOST, 3, Duration.ofSeconds(15));
            hub.stop(Duration.ofSeconds(15));
        }
    }

    /** {@code vpnrouter client} as tokenuser (PIN pin1234) with {@code passcodes}, in the client namespace. */
    private static Daemon ourClient(Topology t, Path work, String name, Path passcodes) throws java.io.IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.vpnrouter.app.Main", "client", "--host", Topology.HUB_OUTSIDE, "--group", SeedPeers.GROUP,
                "--user", "tokenuser", "--passcode-file", passcodes.toString(), "--timeout", "20", "--debug");
        return t.client().start("vpnrouter-client-" + name, work.resolve("client-" + name + ".log"), command,
                java.util.Map.of("VPNROUTER_PASSWORD", "pin1234", "VPNROUTER_GROUP_KEY", SeedPeers.GROUP_KEY));
    }

    /** FreeRADIUS with the test resources' configuration on the hub's LAN host, ready to answer. */
    private Daemon startFreeRadius(Topology t, Path work) throws Exception {
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
        return radius;
    }

    private static String log(Daemon d) {
        try {
            return Files.readString(d.logFile());
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
