package dev.vpnrouter.interop;

import dev.vpnrouter.app.ExecCli;
import dev.vpnrouter.cli.remote.ExecServers;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.ike.cfg.ConfigPolicy;
import dev.vpnrouter.net.Command;
import dev.vpnrouter.router.LinuxDataPlane;
import dev.vpnrouter.router.RouterLogging;
import dev.vpnrouter.router.RouterRuntime;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operating surface on a live hub (issue 16): our hub runs the seed hub.cfg in its namespace with a strongSwan
 * spoke and vpnc connected, SSH on its vty lines. A level-1 vty user runs a pathological {@code | include} over and
 * over while the spoke pings and a new vpnc connects; OpenSSH's exec request prints a table; {@code access-class}
 * and {@code transport input}, set through {@code configure terminal}, refuse connections; {@code exec-timeout 0 30}
 * hangs up an idle session after 30 s (measured while the other steps run).
 */
@Interop
class OperatingSurfaceInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int SSH_PORT = 2222;
    /** Ten {@code .*} before a Z no line has: backtracking in the billions of steps on every line of 80. */
    private static final String PATHOLOGICAL = "show version | include .*.*.*.*.*.*.*.*.*.*Z";
    /** Bounds of the filter loop that runs while the spoke pings and vpnc connects. */
    private static final int MAX_FILTER_RUNS = 200;
    private static final Duration MAX_FILTER_PHASE = Duration.ofSeconds(60);
    private static final String USER = SeedPeers.XAUTH_USER;
    private static final String PASSWORD = SeedPeers.XAUTH_PASSWORD;

    @Test
    @Timeout(240)
    void noRegexStallsTheHubAndTheVtyLinesAreEnforcedAsConfigured() throws Exception {
        Prerequisites.require("ip", "ping", "charon", "swanctl", "nsenter", "vpnc", "nft", "ssh", "setsid");
        Path work = Topology.workDir("surface-" + ProcessHandle.current().pid());
        // The seed, plus an operator who may configure (the seed's only user is the VPN user, at level 1).
        String hubText = Files.readString(Path.of("examples/seed/hub.cfg"))
                .replace("username gfullage", "username admin privilege 15 password 0 letmein\nusername gfullage");
        RouterConfig hubConfig = ConfigLoader.load(hubText).config();
        try (Topology t = Topology.builder(work).client(Topology.ClientMode.NAT).rogue(true).build()) {
            List<String> debug = new CopyOnWriteArrayList<>();
            RouterRuntime hub = t.own(EngineStrongSwanInteropTest.startOurs(t.hub(), new ConfigPolicy(hubConfig),
                    Topology.HUB_OUTSIDE, work.resolve("keys.csv"), debug));
            LinuxDataPlane esp = EngineStrongSwanInteropTest.startEsp(t, t.hub(), hub, Topology.HUB_INSIDE, debug);
            // What "vpnrouter run --ssh-port 2222" starts, inside the hub's namespace: SSH on every address.
            ExecServers cli = t.hub().call(() -> ExecCli.start(hub, esp,
                    t.own(RouterLogging.attach(hub, hubConfig, () -> 0)), hubConfig, null, null, SSH_PORT, null,
                    work.resolve("ssh-host-key"), true));
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

                configure(t, client, "line vty 0 4", "exec-timeout 0 30");
                // 4. A session nobody types in: its hang-up is awaited at the end, the other steps run meanwhile.
                // Timed from before the login: the hub's clock starts somewhere between it and the shell's open.
                long idleOpened = System.nanoTime();
                ClientSession idleSession = login(t, client, USER, PASSWORD);
                ChannelShell idle = idleSession.createShellChannel();
                idle.setIn(new PipedInputStream(new PipedOutputStream()));
                idle.setOut(new ByteArrayOutputStream());
                idle.setErr(new ByteArrayOutputStream());
                idle.open().verify(WAIT);
                CompletableFuture<Long> idleClosed = CompletableFuture.supplyAsync(() -> {
                    idle.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(90));
                    return System.nanoTime();
                });

                // 1. The pathological filter, back to back, at level 1, while the router does its work.
                try (VtyTerminal user = new VtyTerminal(login(t, client, USER, PASSWORD), "Hub>")) {
                    user.type("terminal length 0", "Hub>");
                    AtomicBoolean stop = new AtomicBoolean();
                    AtomicReference<Throwable> filterFailure = new AtomicReference<>();
                    List<Long> filterMillis = new CopyOnWriteArrayList<>();
                    Thread filters = Thread.ofPlatform().name("pathological-filter").start(() -> {
                        long end = System.nanoTime() + MAX_FILTER_PHASE.toNanos();
                        try {
                            while (!stop.get() && filterMillis.size() < MAX_FILTER_RUNS && System.nanoTime() < end) {
                                long start = System.nanoTime();
                                String out = user.type(PATHOLOGICAL, "Hub>");
                                assertThat(out).contains("% Filter timed out");
                                filterMillis.add((System.nanoTime() - start) / 1_000_000);
                            }
                        } catch (Throwable e) {
                            filterFailure.set(e);
                        }
                    });
                    Await.until("the first filter run", WAIT, filterMillis::size, n -> n >= 1);
                    long phaseStart = System.nanoTime();
                    // The spoke's pings all come back, 25 at 5 a second.
                    Command.Result ping = t.spokeHost().ping(Topology.HUB_HOST, 25, Duration.ofSeconds(10));
                    assertThat(ping.stdout()).as(ping.describe()).contains(" 25 received");
                    // A new vpnc, from another address, connects.
                    long vpncStart = System.nanoTime();
                    Vpnc second = t.own(Vpnc.start(t.rogue(), work.resolve("vpnc-rogue"),
                            Vpnc.Config.seed(Topology.HUB_OUTSIDE).withNatMode(Vpnc.NatMode.NONE)));
                    EngineStrongSwanInteropTest.awaitVpnc(second, debug);
                    long vpncMillis = (System.nanoTime() - vpncStart) / 1_000_000;
                    int runsDuring = filterMillis.size();
                    stop.set(true);
                    filters.join(WAIT.toMillis() + 5_000);
                    assertThat(filters.isAlive()).as("the filter loop ended").isFalse();
                    if (filterFailure.get() != null) {
                        throw new AssertionError("a filter run failed", filterFailure.get());
                    }
                    assertThat(runsDuring).as("filter runs went on while pinging and connecting (bounded at "
                            + MAX_FILTER_RUNS + ")").isGreaterThan(1).isLessThan(MAX_FILTER_RUNS);
                    System.out.printf("pathological filter: %d runs, %s ms each; meanwhile 25/25 pings and a new "
                                    + "vpnc in %d ms (phase %d ms)%n", filterMillis.size(), filterMillis, vpncMillis,
                            (System.nanoTime() - phaseStart) / 1_000_000);
                    // The user's line still answers after it all.
                    assertThat(user.type("show version | include uptime", "Hub>")).contains("uptime");
                }

                // 2. OpenSSH's exec request, from another network: the table, then exit 0.
                Command.Result exec = openSsh(t.rogue(), work, Topology.HUB_OUTSIDE, PASSWORD,
                        "show crypto isakmp sa");
                assertThat(exec.ok()).as(exec.describe()).isTrue();
                assertThat(exec.stdout()).contains("dst             src             state         conn-id slot",
                        "QM_IDLE", Topology.ROGUE_OUTSIDE);

                // 3. access-class: only the hub itself may log in; the rogue's address is refused.
                configure(t, client, "access-list 10 permit host 127.0.0.1", "line vty 0 4", "access-class 10 in");
                Command.Result wrongSource = openSsh(t.rogue(), work, Topology.HUB_OUTSIDE, PASSWORD,
                        "show version");
                assertThat(wrongSource.ok()).as("from " + Topology.ROGUE_OUTSIDE + ": " + wrongSource.describe())
                        .isFalse();
                assertThat(wrongSource.stdout()).doesNotContain("uptime");
                Command.Result rightSource = openSsh(t.hub(), work, "127.0.0.1", PASSWORD, "show version");
                assertThat(rightSource.ok()).as(rightSource.describe()).isTrue();
                assertThat(rightSource.stdout()).contains("uptime");
                // transport input none: no SSH at all, even from the permitted source.
                configure(t, client, "line vty 0 4", "transport input none");
                Command.Result none = openSsh(t.hub(), work, "127.0.0.1", PASSWORD, "show version");
                assertThat(none.ok()).as("transport input none: " + none.describe()).isFalse();
                assertThat(none.stdout()).doesNotContain("uptime");

                // 4. The idle session was hung up 30 s after it opened (the line's exec-timeout 0 30).
                long closedAt = idleClosed.get(90, TimeUnit.SECONDS);
                assertThat(idle.isClosed() || idle.isClosing()).as("the idle shell closed").isTrue();
                long idleMillis = (closedAt - idleOpened) / 1_000_000;
                System.out.printf("exec-timeout 0 30: the idle session closed %d ms after its login began%n", idleMillis);
                assertThat(idleMillis).isBetween(30_000L, 35_000L);
                idleSession.close();
                // The tunnels lived through all of it.
                t.spokeHost().assertPing(Topology.HUB_HOST, 3, Duration.ofSeconds(10));
                assertThat(vpnc.isAlive()).isTrue();
            }
        }
    }

    /** Logs in over SSH from the hub's own namespace (127.0.0.1). */
    private static ClientSession login(Topology t, SshClient client, String user, String password) throws Exception {
        ClientSession session = t.hub().call(() -> client.connect(user, "127.0.0.1", SSH_PORT).verify(WAIT)
                .getSession());
        session.addPasswordIdentity(password);
        session.auth().verify(WAIT);
        return session;
    }

    /** The operator's configure terminal, in a session of its own (so no session of ours idles past exec-timeout). */
    private static void configure(Topology t, SshClient client, String... lines) throws Exception {
        try (VtyTerminal admin = new VtyTerminal(login(t, client, "admin", "letmein"), "Hub#")) {
            admin.type("configure terminal", "Hub(config");
            for (String line : lines) {
                assertThat(admin.type(line, "Hub(config")).as(line).doesNotContain("%");
            }
            admin.type("end", "Hub#");
        }
    }

    /** OpenSSH's client, password from SSH_ASKPASS, one exec request. */
    private static Command.Result openSsh(NetNs ns, Path work, String host, String password, String command)
            throws Exception {
        Path askpass = work.resolve("askpass-" + ProcessHandle.current().pid());
        Files.writeString(askpass, "#!/bin/sh\necho '" + password + "'\n");
        askpass.toFile().setExecutable(true);
        return ns.exec(WAIT, "env", "SSH_ASKPASS=" + askpass, "SSH_ASKPASS_REQUIRE=force", "DISPLAY=none", "setsid",
                "-w", "ssh", "-p", Integer.toString(SSH_PORT), "-o", "StrictHostKeyChecking=no", "-o",
                "UserKnownHostsFile=/dev/null", "-o", "PubkeyAuthentication=no", "-o", "BatchMode=no", "-o",
                "NumberOfPasswordPrompts=1", "-o", "ConnectTimeout=5", USER + "@" + host, command);
    }
}
