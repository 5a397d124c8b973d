package dev.vpnrouter.interop;

import dev.vpnrouter.net.Command;
import dev.vpnrouter.app.ExecCli;
import dev.vpnrouter.cli.remote.ExecServers;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.ike.cfg.ConfigPolicy;
import dev.vpnrouter.router.LinuxDataPlane;
import dev.vpnrouter.router.RouterRuntime;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exec CLI on a live hub (issue 6): our hub runs hub.cfg in its namespace with a strongSwan spoke; an
 * operator logs in over SSH as a local user and runs the seed's verification commands, sees the counters grow
 * after pings, clears the SAs and watches the spoke negotiate again under {@code debug crypto isakmp}.
 */
@Interop
class ExecCliInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Pattern ENCAPS = Pattern.compile("#pkts encaps: (\\d+)");

    private static long encaps(String screen) {
        Matcher m = ENCAPS.matcher(screen);
        assertThat(m.find()).as("#pkts encaps in:\n" + screen).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    @Timeout(180)
    void anOperatorOnSshSeesTheLiveHubAndClearsItsSas() throws Exception {
        Prerequisites.require("ip", "ping", "charon", "swanctl", "nsenter", "vpnc", "nft", "ssh");
        Path work = Topology.workDir("exec-cli-" + ProcessHandle.current().pid());
        String hubText = Files.readString(Path.of("examples/seed/hub.cfg"))
                .replace("username gfullage", "username admin privilege 15 password 0 letmein\nusername gfullage");
        RouterConfig hubConfig = ConfigLoader.load(hubText).config();
        try (Topology t = Topology.builder(work).client(Topology.ClientMode.NAT).build()) {
            List<String> debug = new CopyOnWriteArrayList<>();
            RouterRuntime hub = t.own(EngineStrongSwanInteropTest.startOurs(t.hub(), new ConfigPolicy(hubConfig),
                    Topology.HUB_OUTSIDE, work.resolve("keys.csv"), debug));
            LinuxDataPlane esp = EngineStrongSwanInteropTest.startEsp(t, t.hub(), hub, Topology.HUB_INSIDE, debug);
            // What "vpnrouter run --ssh-port 2222" starts, inside the hub's namespace.
            ExecServers cli = t.hub().call(() -> ExecCli.start(hub, esp,
                    t.own(dev.vpnrouter.router.RouterLogging.attach(hub, hubConfig, () -> 0)), hubConfig, null, null,
                    2222, null, work.resolve("ssh-host-key"), true));
            StrongSwan spoke = t.own(StrongSwan.start(t.spoke(), work.resolve("spoke"),
                    SeedPeers.spoke(Topology.HUB_OUTSIDE)));
            SshClient client = SshClient.setUpDefaultClient();
            client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
            client.start();
            try (cli; client) {
                spoke.initiate(SeedPeers.SPOKE_CHILD, Duration.ofSeconds(40));
                EngineStrongSwanInteropTest.awaitChildren(hub, 1, Duration.ofSeconds(10), debug);
                t.spokeHost().assertPing(Topology.HUB_HOST, 3, Duration.ofSeconds(10));
                Vpnc vpnc = t.own(Vpnc.start(t.client(), work.resolve("vpnc"),
                        Vpnc.Config.seed(Topology.HUB_OUTSIDE)));
                EngineStrongSwanInteropTest.awaitVpnc(vpnc, debug);

                ClientSession session = t.hub().call(() -> client.connect("admin", "127.0.0.1", 2222).verify(WAIT)
                        .getSession());
                session.addPasswordIdentity("letmein");
                session.auth().verify(WAIT);
                try (VtyTerminal term = new VtyTerminal(session, "#")) {
                    term.type("terminal length 0", "Hub#");
                    String isakmp = term.type("show crypto isakmp sa detail", "Hub#");
                    assertThat(isakmp).contains("C-id  Local           Remote          I-VRF    Encr Hash Auth DH "
                            + "Lifetime Cap.");
                    assertThat(isakmp).containsPattern("1     203\\.0\\.113\\.2 +198\\.51\\.100\\.\\d+ +3des sha  psk  2  "
                            + "\\d\\d:\\d\\d:\\d\\d");
                    // The VPN client behind its NAT: Xauth (X), Mode Config (C), NAT-T (N), no psk shown.
                    assertThat(isakmp).containsPattern("\\d     203\\.0\\.113\\.2 +" + Topology.CLIENT_OUTSIDE.replace(".",
                            "\\.") + " +3des sha {7}2  \\d\\d:\\d\\d:\\d\\d [CDNX]*C[CDNX]*");
                    assertThat(term.type("show crypto ipsec sa | include ident", "Hub#")).contains(
                            "remote ident (addr/mask/prot/port): (10.5.5.1/255.255.255.255/0/0)");
                    assertThat(term.type("show crypto session detail", "Hub#")).contains("Username: gfullage",
                            "Group: testgroup", "Assigned address: 10.5.5.1", "Session status: UP-ACTIVE");
                    assertThat(term.type("show ip local pool", "Hub#")).contains(
                            " ippool                   10.5.5.1        10.5.5.254       253       1");
                    String ipsec = term.type("show crypto ipsec sa peer " + t.spokeOutside(), "outbound pcp sas:");
                    assertThat(ipsec).contains("interface: FastEthernet0/0", "Crypto map tag: mymap, local addr. "
                            + "203.0.113.2", "local  ident (addr/mask/prot/port): (10.1.0.0/255.255.0.0/0/0)",
                            "remote ident (addr/mask/prot/port): (10.2.0.0/255.255.0.0/0/0)",
                            "transform: esp-3des esp-sha-hmac ,", "in use settings = {Tunnel UDP-Encaps, }");
                    long before = encaps(ipsec);
                    assertThat(before).isGreaterThanOrEqualTo(3);
                    t.spokeHost().assertPing(Topology.HUB_HOST, 4, Duration.ofSeconds(10));
                    long after = encaps(term.type("show crypto ipsec sa | include pkts", "Hub#"));
                    assertThat(after).as("counters grow after a ping").isGreaterThanOrEqualTo(before + 4);
                    assertThat(term.type("show ip interface brief", "Hub#"))
                            .contains("FastEthernet0/0            203.0.113.2     YES NVRAM  up");

                    term.type("terminal monitor", "Hub#");
                    assertThat(term.type("debug crypto isakmp", "Hub#")).contains("Crypto ISAKMP debugging is on");
                    term.type("clear crypto session", "Hub#");
                    assertThat(term.type("show crypto isakmp sa", "Hub#")).doesNotContain("QM_IDLE");
                    spoke.initiate(SeedPeers.SPOKE_CHILD, Duration.ofSeconds(40));
                    EngineStrongSwanInteropTest.awaitChildren(hub, 1, Duration.ofSeconds(10), debug);
                    // The reconnect's state lines arrived on the vty, stamped as hub.cfg says (datetime msec).
                    String monitor = term.type("show crypto ipsec sa | include pkts encaps", "Hub#");
                    String all = term.screen.toString(StandardCharsets.UTF_8);
                    assertThat(all).containsPattern("[A-Z][a-z]{2} [ 0-9]\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}: ISAKMP "
                            + "\\(0:\\d+\\): Old State = IKE_R_MM1 New State = IKE_R_MM2");
                    assertThat(encaps(monitor)).as("a new SA: the counters start again").isLessThan(after);

                    // clear crypto sa: the IPsec SAs go (Deletes to the peer), the ISAKMP SA stays, and the peer's
                    // next Quick Mode brings counters that start from zero.
                    t.spokeHost().assertPing(Topology.HUB_HOST, 3, Duration.ofSeconds(10));
                    long beforeClear = encaps(term.type("show crypto ipsec sa | include pkts encaps", "Hub#"));
                    term.type("clear crypto sa", "Hub#");
                    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (hub.query(e -> e.childSas().size()) > 0 && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                    }
                    assertThat((int) hub.query(e -> e.childSas().size())).as("IPsec SAs after clear crypto sa")
                            .isZero();
                    assertThat(term.type("show crypto isakmp sa", "Hub#")).contains("QM_IDLE");
                    spoke.initiate(SeedPeers.SPOKE_CHILD, Duration.ofSeconds(40));
                    EngineStrongSwanInteropTest.awaitChildren(hub, 1, Duration.ofSeconds(10), debug);
                    t.spokeHost().assertPing(Topology.HUB_HOST, 2, Duration.ofSeconds(10));
                    long afterClear = encaps(term.type("show crypto ipsec sa | include pkts encaps", "Hub#"));
                    assertThat(afterClear).as("counters restart after clear crypto sa").isPositive()
                            .isLessThan(beforeClear);
                    assertThat(term.type("undebug all", "Hub#")).contains("All possible debugging has been turned off");
                }

                // Scripts use OpenSSH's exec requests (issue 16): one command, its output, exit 0.
                Path askpass = work.resolve("askpass");
                Files.writeString(askpass, "#!/bin/sh\necho letmein\n");
                askpass.toFile().setExecutable(true);
                Command.Result exec = t.hub().exec(WAIT, "env", "SSH_ASKPASS=" + askpass, "SSH_ASKPASS_REQUIRE=force",
                        "DISPLAY=none", "setsid", "-w", "ssh", "-p", "2222", "-o", "StrictHostKeyChecking=no", "-o",
                        "UserKnownHostsFile=/dev/null", "-o", "PubkeyAuthentication=no", "-o", "BatchMode=no",
                        "-o", "NumberOfPasswordPrompts=1", "admin@127.0.0.1", "show crypto isakmp sa");
                assertThat(exec.ok()).as(exec.toString()).isTrue();
                assertThat(exec.stdout()).contains("dst             src             state         conn-id slot",
                        "QM_IDLE");
                Files.writeString(askpass, "#!/bin/sh\necho wrong\n");
                Command.Result refused = t.hub().exec(WAIT, "env", "SSH_ASKPASS=" + askpass,
                        "SSH_ASKPASS_REQUIRE=force", "DISPLAY=none", "setsid", "-w", "ssh", "-p", "2222", "-o",
                        "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o",
                        "PubkeyAuthentication=no", "-o", "NumberOfPasswordPrompts=1", "admin@127.0.0.1",
                        "show version");
                assertThat(refused.ok()).as("a wrong password over OpenSSH").isFalse();
                assertThat(refused.stdout()).doesNotContain("uptime");
            }
        }
    }
}
