package dev.vpnrouter.app;

import dev.vpnrouter.cli.SeedExecLab;
import dev.vpnrouter.cli.remote.ConsoleClient;
import dev.vpnrouter.cli.remote.EngineThread;
import dev.vpnrouter.cli.remote.ExecServers;
import dev.vpnrouter.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code vpnrouter console} with its input from a pipe, attached to a router's control socket. */
class ConsoleCommandTest {
    @TempDir
    Path dir;

    @Test
    void pipedLinesRunOnTheRouterAndPrintLikeATerminalSession() throws Exception {
        SeedExecLab lab = new SeedExecLab().up();
        Path socket = dir.resolve("console.sock");
        try (ExecServers servers = ExecServers.start(lab.hubExec, EngineThread.locked(),
                new ExecServers.Options(null, -1, dir.resolve("key"), socket));
             ConsoleClient client = ConsoleClient.connect(socket)) {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
            int rc = ConsoleCommand.piped(client, client.greeting(), new BufferedReader(new StringReader("""
                    enable
                    sh cry isa sa
                    show crypto session ?
                    exit
                    """)), out);
            assertThat(rc).isZero();
            assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo("""
                    Hub>enable
                    Hub#sh cry isa sa
                    dst             src             state         conn-id slot
                    10.48.67.181    10.51.82.100    QM_IDLE             1    0
                    10.48.67.181    10.100.2.102    QM_IDLE             2    0
                    Hub#show crypto session ?
                      detail  Show detail crypto sessions
                      remote  Show crypto sessions with a remote IKE peer
                      |       Output modifiers
                      <cr>

                    Hub#exit
                    """);
            assertThat(servers.summary()).contains("console socket " + socket);
        }
    }

    @Test
    void eachRouterHasItsOwnSocketNamedAfterItsHostname() {
        assertThat(ExecCli.defaultSocket(ConfigLoader.load("hostname Hub\n").config()))
                .isEqualTo(Path.of("/run/vpnrouter/Hub.sock"));
        // IOS's default hostname; and nothing in a hostname can climb out of the directory.
        assertThat(ExecCli.defaultSocket(ConfigLoader.load("interface Loopback0\n").config()))
                .isEqualTo(Path.of("/run/vpnrouter/Router.sock"));
        assertThat(ExecCli.socketOf("../etc/x")).isEqualTo(Path.of("/run/vpnrouter/.._etc_x.sock"));
    }

    @Test
    void withoutANameTheConsoleAttachesToTheOnlyRouterAndAsksWhenThereAreSeveral() throws Exception {
        assertThatThrownBy(() -> ConsoleCommand.chooseSocket(null, dir.resolve("missing")))
                .hasMessageContaining("no router's control socket in " + dir.resolve("missing"));
        // Left behind by a router that is gone: nothing listens on it.
        Files.createFile(dir.resolve("Old.sock"));
        Files.createFile(dir.resolve("notes.txt"));
        try (var hub = listen(dir.resolve("Hub.sock"))) {
            assertThat(ConsoleCommand.chooseSocket(null, dir)).isEqualTo(dir.resolve("Hub.sock"));
            try (var spoke = listen(dir.resolve("Spoke.sock"))) {
                assertThatThrownBy(() -> ConsoleCommand.chooseSocket(null, dir))
                        .hasMessage("several routers run here: Hub, Spoke; name one: vpnrouter console ROUTER");
                assertThat(ConsoleCommand.chooseSocket("Spoke", dir)).isEqualTo(dir.resolve("Spoke.sock"));
            }
        }
    }

    private static java.nio.channels.ServerSocketChannel listen(Path path) throws java.io.IOException {
        var server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        server.bind(java.net.UnixDomainSocketAddress.of(path));
        return server;
    }
}
