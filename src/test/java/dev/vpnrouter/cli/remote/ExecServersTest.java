package dev.vpnrouter.cli.remote;

import dev.vpnrouter.cli.SeedExecLab;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The exec CLI over its transports on the loopback, in process: SSH to a vty line (the seed spoke's
 * {@code password cisco} + {@code login}; the hub's local user under {@code aaa new-model}) and the console's
 * control socket.
 */
class ExecServersTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private SeedExecLab lab;
    private ExecServers spokeServers;
    private ExecServers hubServers;
    private SshClient client;

    @BeforeEach
    void start() throws IOException {
        lab = new SeedExecLab().up();
        EngineThread engine = EngineThread.locked();
        spokeServers = ExecServers.start(lab.spokeExec, engine, new ExecServers.Options("127.0.0.1", 0,
                dir.resolve("spoke-key"), dir.resolve("spoke.sock")));
        hubServers = ExecServers.start(lab.hubExec, engine, new ExecServers.Options("127.0.0.1", 0,
                dir.resolve("hub-key"), null));
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        client.start();
    }

    @AfterEach
    void stop() throws IOException {
        client.stop();
        spokeServers.close();
        hubServers.close();
    }

    /** Logs in, types {@code lines}, and returns what the terminal showed once {@code until} appeared. */
    private String shell(int port, String user, String password, List<String> lines, String until)
            throws Exception {
        try (ClientSession session = client.connect(user, "127.0.0.1", port).verify(WAIT).getSession()) {
            session.addPasswordIdentity(password);
            session.auth().verify(WAIT);
            try (ChannelShell shell = session.createShellChannel()) {
                PipedOutputStream typed = new PipedOutputStream();
                shell.setIn(new PipedInputStream(typed));
                ByteArrayOutputStream screen = new ByteArrayOutputStream();
                shell.setOut(screen);
                shell.setErr(new ByteArrayOutputStream());
                shell.open().verify(WAIT);
                for (String l : lines) {
                    typed.write(l.getBytes(StandardCharsets.US_ASCII));
                    typed.flush();
                }
                long deadline = System.currentTimeMillis() + WAIT.toMillis();
                while (!screen.toString(StandardCharsets.UTF_8).contains(until)
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                typed.write("exit\r".getBytes(StandardCharsets.US_ASCII));
                typed.flush();
                shell.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), WAIT);
                return screen.toString(StandardCharsets.UTF_8);
            }
        }
    }

    @Test
    void theSpokesVtyPasswordLetsUsRunTheSeedsVerificationCommands() throws Exception {
        String screen = shell(spokeServers.sshPort(), "anyone", "cisco", List.of(
                "show ip interface f0/0\r", "sh cry isa sa\r", "show crypto ipsec sa | include pkts\r",
                "show crypto isakmp sa detail\r"), "Lifetime Cap.");
        assertThat(screen).contains("Spoke>show ip interface f0/0\r\n", "Address determined by DHCP\r\n");
        assertThat(screen).contains("dst             src             state         conn-id slot\r\n"
                + "10.48.67.181    10.100.2.102    QM_IDLE             1    0\r\n");
        assertThat(screen).contains("    #pkts encaps: 9, #pkts encrypt: 9, #pkts digest 9\r\n");
        assertThat(screen).contains("C-id  Local           Remote");
    }

    @Test
    void questionMarkAndTabWorkOnTheTerminal() throws Exception {
        String screen = shell(spokeServers.sshPort(), "x", "cisco", List.of("show cry\t", "isakmp ?",
                "\u0015sh crypto foo\r"), "Invalid input");
        assertThat(screen).contains("\r\u001b[KSpoke>show crypto ");
        assertThat(screen).contains("isakmp ?\r\n  policy ", "Spoke>show crypto isakmp ");
        // Ctrl-U erased the line on the screen (backspaces), then the caret goes under the "f" of foo.
        assertThat(screen).contains("\b \bsh crypto foo\r\n" + " ".repeat(6 + 10) + "^\r\n"
                + "% Invalid input detected at '^' marker.");
    }

    @Test
    void controlZLeavesConfigurationMode() throws Exception {
        String screen = shell(hubServers.sshPort(), "gfullage", "gfullage", List.of(), "Hub>");
        assertThat(screen).contains("Hub>");
        // gfullage has privilege 1 and the hub no enable password: a local admin configures instead.
        lab.hubView.reconfigure(dev.vpnrouter.config.ConfigLoader.load(dev.vpnrouter.config.ConfigWriter.write(
                lab.hubView.config()).replace("end\n", "username admin privilege 15 password 0 pw\nend\n"))
                .config(), lab.now());
        String conf = shell(hubServers.sshPort(), "admin", "pw", List.of("configure terminal\r",
                "crypto keyring spokes\r", "\u001a", "show privilege\r"), "Current privilege level is 15");
        assertThat(conf).contains("Hub(conf-keyring)#^Z\r\nHub#show privilege");
    }

    @Test
    void aWrongPasswordIsRefused() {
        assertThatThrownBy(() -> shell(spokeServers.sshPort(), "x", "wrong", List.of(), "never"))
                .isInstanceOf(Exception.class);
    }

    /** What {@code ssh -p PORT user@hub "COMMAND"} prints on stdout and stderr, and its exit status. */
    private record Exec(String out, String err, Integer status) {
    }

    private Exec exec(int port, String user, String password, String command) throws Exception {
        try (ClientSession session = client.connect(user, "127.0.0.1", port).verify(WAIT).getSession()) {
            session.addPasswordIdentity(password);
            session.auth().verify(WAIT);
            try (org.apache.sshd.client.channel.ChannelExec channel = session.createExecChannel(command)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                channel.setOut(out);
                channel.setErr(err);
                channel.open().verify(WAIT);
                channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), WAIT);
                return new Exec(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                        channel.getExitStatus());
            }
        }
    }

    /** Issue 16: scripts run one command over SSH and get its output, at the login's privilege, as on IOS. */
    @Test
    void anExecRequestRunsOneCommandAndCloses() throws Exception {
        Exec sa = exec(spokeServers.sshPort(), "anyone", "cisco", "show crypto isakmp sa");
        assertThat(sa.out()).contains("dst             src             state         conn-id slot\n"
                + "10.48.67.181    10.100.2.102    QM_IDLE             1    0\n");
        assertThat(sa.status()).isZero();
        Exec users = exec(hubServers.sshPort(), "gfullage", "gfullage", "sh users");
        assertThat(users.out()).contains("gfullage");
        // No enable secret on the seed hub: a vty cannot enable, terminal or not.
        Exec enable = exec(hubServers.sshPort(), "gfullage", "gfullage", "enable");
        assertThat(enable.out() + enable.err()).contains("% No password set");
        assertThatThrownBy(() -> exec(hubServers.sshPort(), "gfullage", "wrong", "show version"))
                .isInstanceOf(Exception.class);
    }

    /** Types configuration lines on the hub's console, as an operator would. */
    private String configureHub(String... lines) {
        dev.vpnrouter.cli.ExecSession console = lab.hubExec.openConsole("test", 0);
        console.execute("enable", 0); // the console enables without a password when none is set, as on IOS
        StringBuilder out = new StringBuilder(console.execute("configure terminal", 0));
        for (String l : lines) {
            out.append(console.execute(l, 0));
        }
        out.append(console.execute("end", 0));
        console.close();
        return out.toString();
    }

    /** Issue 16: line vty's transport input and access-class are enforced before any login. */
    @Test
    void transportInputAndAccessClassKeepConnectionsOut() throws Exception {
        assertThat(configureHub("line vty 0 4", "transport input none")).doesNotContain("%");
        assertThatThrownBy(() -> exec(hubServers.sshPort(), "gfullage", "gfullage", "show version"))
                .isInstanceOf(Exception.class);
        assertThat(configureHub("line vty 0 4", "transport input ssh", "access-class 10 in",
                "access-list 10 permit 192.0.2.0 0.0.0.255")).doesNotContain("%");
        assertThatThrownBy(() -> exec(hubServers.sshPort(), "gfullage", "gfullage", "show version"))
                .as("127.0.0.1 is not in access-class 10").isInstanceOf(Exception.class);
        assertThat(configureHub("access-list 10 permit host 127.0.0.1")).doesNotContain("%");
        assertThat(exec(hubServers.sshPort(), "gfullage", "gfullage", "show version").out()).contains("uptime");
    }

    /** Issue 16: login block-for, as IOS: two failures within a minute and even the right password waits. */
    @Test
    void loginBlockForRefusesEveryoneAfterTheFailures() throws Exception {
        assertThat(configureHub("login block-for 60 attempts 2 within 60")).doesNotContain("%");
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> exec(hubServers.sshPort(), "gfullage", "wrong", "show version"))
                    .isInstanceOf(Exception.class);
        }
        assertThatThrownBy(() -> exec(hubServers.sshPort(), "gfullage", "gfullage", "show version"))
                .as("quiet mode").isInstanceOf(Exception.class);
        assertThat(exec(spokeServers.sshPort(), "anyone", "cisco", "show version").out())
                .as("another router's lines are not affected").contains("uptime");
    }

    /** Issue 16: exec-timeout closes a session nobody types in. */
    @Test
    void execTimeoutClosesAnIdleSession() throws Exception {
        assertThat(configureHub("line vty 0 4", "exec-timeout 0 1")).doesNotContain("%");
        try (IdleShell idle = idleShell()) {
            assertThat(idle.shell().waitFor(EnumSet.of(ClientChannelEvent.CLOSED), WAIT))
                    .as("closed by the router after a second without input").contains(ClientChannelEvent.CLOSED);
        }
    }

    /** gfullage logged in on the hub with a shell open, typing nothing. */
    private record IdleShell(ClientSession session, ChannelShell shell) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try {
                shell.close();
            } finally {
                session.close();
            }
        }
    }

    private IdleShell idleShell() throws IOException {
        ClientSession session = client.connect("gfullage", "127.0.0.1", hubServers.sshPort()).verify(WAIT)
                .getSession();
        try {
            session.addPasswordIdentity("gfullage");
            session.auth().verify(WAIT);
            ChannelShell shell = session.createShellChannel();
            shell.setIn(new PipedInputStream(new PipedOutputStream()));
            shell.setOut(new ByteArrayOutputStream());
            shell.setErr(new ByteArrayOutputStream());
            shell.open().verify(WAIT);
            return new IdleShell(session, shell);
        } catch (IOException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** Issue 16: show ssh lists a vty's SSH connection, and clear line ends the session and hangs it up. */
    @Test
    void showSshListsTheConnectionAndClearLineHangsItUp() throws Exception {
        try (IdleShell idle = idleShell()) {
            ChannelShell shell = idle.shell();
            {
                dev.vpnrouter.cli.ExecSession console = lab.hubExec.openConsole("test", 0);
                console.execute("enable", 0);
                long deadline = System.currentTimeMillis() + 10_000;
                while (!console.execute("show users", 0).contains("vty 0")
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                String ssh = console.execute("show ssh", 0);
                assertThat(ssh).startsWith("Connection Version Mode Encryption  Hmac         State                 "
                        + "Username\n");
                assertThat(ssh.lines().filter(l -> l.startsWith("0          2.0     IN   ")
                        || l.startsWith("0          2.0     OUT  ")))
                        .hasSize(2).allMatch(l -> l.contains("Session started       gfullage"));
                assertThat(ssh).endsWith("%No SSHv1 server connections running.\n");
                assertThat(console.execute("clear line 5", 0)).isEqualTo("% Line is not in use\n");
                assertThat(console.execute("clear line vty 0", 0)).isEqualTo("[OK]\n");
                assertThat(shell.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), WAIT))
                        .as("hung up by clear line").contains(ClientChannelEvent.CLOSED);
                assertThat(console.execute("show users", 0)).doesNotContain("vty 0");
                assertThat(console.execute("show ssh", 0)).isEqualTo("%No SSHv2 server connections running.\n"
                        + "%No SSHv1 server connections running.\n");
                console.close();
            }
        }
    }

    @Test
    void theHubTakesItsLocalUsersUnderAaaNewModel() throws Exception {
        String screen = shell(hubServers.sshPort(), "gfullage", "gfullage", List.of("show users\r"),
                "Peer Address");
        assertThat(screen).contains("gfullage", "127.0.0.1", "vty 0");
        assertThatThrownBy(() -> shell(hubServers.sshPort(), "gfullage", "cisco", List.of(), "never"))
                .isInstanceOf(Exception.class);
    }

    @Test
    void theConsoleSocketRunsCommandsAndHelp() throws Exception {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("spoke.sock")))) {
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch),
                    StandardCharsets.UTF_8));
            OutputStream out = Channels.newOutputStream(ch);
            assertThat(untilEnd(in)).containsExactly("E NSpoke>");
            out.write("X enable\n".getBytes(StandardCharsets.UTF_8));
            assertThat(untilEnd(in)).containsExactly("E NSpoke#"); // the console needs no enable password here
            out.write("X show crypto isakmp sa\n".getBytes(StandardCharsets.UTF_8));
            assertThat(untilEnd(in)).containsExactly("O dst             src             state         conn-id slot",
                    "O 10.48.67.181    10.100.2.102    QM_IDLE             1    0", "E NSpoke#");
            out.write("C sh cry ses\n".getBytes(StandardCharsets.UTF_8));
            assertThat(untilEnd(in)).containsExactly("C sh cry session ", "E NSpoke#");
            out.write("H show crypto session \n".getBytes(StandardCharsets.UTF_8));
            assertThat(untilEnd(in)).contains("O   detail  Show detail crypto sessions");
            out.write("X exit\n".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("Q ");
        }
    }

    @Test
    void theControlSocketIsOwnerOnlyAndItsBindingDirectoryIsGone() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("spoke.sock"))))
                .isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
        }
    }

    @Test
    void aSecondRouterCannotTakeALiveControlSocket() {
        assertThatThrownBy(() -> ExecServers.start(lab.spokeExec, EngineThread.locked(),
                new ExecServers.Options("127.0.0.1", -1, dir.resolve("k"), dir.resolve("spoke.sock"))))
                .hasMessageContaining("already listens");
    }

    private static List<String> untilEnd(BufferedReader in) throws IOException {
        List<String> lines = new ArrayList<>();
        String l;
        while ((l = in.readLine()) != null) {
            lines.add(l);
            if (l.startsWith("E ")) {
                break;
            }
        }
        return lines;
    }
}
